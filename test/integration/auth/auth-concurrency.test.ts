import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { Clock, loadConfig } from '@convene/common';
import { createFirestore } from '@convene/firestore';
import { privateFirestore } from '../../support/firestore';
import { Outbox, outboxCollection } from '@convene/pubsub';
import { AccountsService } from '../../../apps/auth/src/accounts/accounts.service';
import { FirestoreUsersRepository } from '../../../apps/auth/src/accounts/firestore-users.repository';
import { AuthConfig } from '../../../apps/auth/src/auth.config';
import { PasswordHasher } from '../../../apps/auth/src/passwords/password-hasher';
import { FirestoreSigningKeysRepository } from '../../../apps/auth/src/signing-keys/firestore-signing-keys.repository';
import { SigningKeysService } from '../../../apps/auth/src/signing-keys/signing-keys.service';
import { FirestoreLoginThrottlesRepository } from '../../../apps/auth/src/throttling/firestore-login-throttles.repository';
import { LoginThrottleService } from '../../../apps/auth/src/throttling/login-throttle.service';
import { AccessTokenIssuer } from '../../../apps/auth/src/tokens/access-token.issuer';
import { FirestoreRefreshTokensRepository } from '../../../apps/auth/src/tokens/firestore-refresh-tokens.repository';
import { TokensService } from '../../../apps/auth/src/tokens/tokens.service';

jest.setTimeout(60_000);

const PASSWORD = 'violet-tram-42-quietly';

/** The auth services on real Firestore adapters (no Pub/Sub: the outbox relay is not started). */
function authOnFirestore(db: Firestore, env: Record<string, string> = {}) {
  const config = loadConfig(AuthConfig, env);
  const clock = new Clock();
  const users = new FirestoreUsersRepository(db, new Outbox(db, { service: 'auth' }));
  const refreshTokens = new FirestoreRefreshTokensRepository(db);
  const signingKeys = new SigningKeysService(new FirestoreSigningKeysRepository(db), clock, config);
  const accessTokens = new AccessTokenIssuer(signingKeys, clock);
  const tokens = new TokensService(refreshTokens, users, accessTokens, config, clock);
  const throttle = new LoginThrottleService(new FirestoreLoginThrottlesRepository(db), config, clock);
  const accounts = new AccountsService(users, new PasswordHasher(), throttle, tokens, accessTokens, config, clock);
  return { accounts, tokens, signingKeys, refreshTokens };
}

describe('auth on the Firestore emulator', () => {
  const projectId = `auth-${randomUUID().slice(0, 8)}`;
  const dbs: Firestore[] = [];
  const newDb = () => {
    const db = createFirestore({ projectId, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST });
    dbs.push(db);
    return db;
  };

  afterAll(async () => {
    await Promise.all(dbs.map((db) => db.terminate()));
  });
  // These tests make transactions contend on purpose: on the shared emulator they stall every other file.
  privateFirestore(projectId);

  it('creates exactly one user from 20 concurrent registrations of one email', async () => {
    const db = newDb();
    const { accounts } = authOnFirestore(db);
    const email = `race-${randomUUID().slice(0, 8)}@example.com`;
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        accounts.register({
          email: i % 2 ? email.toUpperCase() : email,
          password: PASSWORD,
          displayName: `Racer ${i}`,
        }),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const codes = results.flatMap((r) => (r.status === 'rejected' ? [(r.reason as { code?: string }).code] : []));
    expect(fulfilled).toHaveLength(1);
    expect(codes).toEqual(Array(19).fill('EMAIL_TAKEN'));
    expect((await db.collection('users').where('email', '==', email).count().get()).data().count).toBe(1);
    const registeredMessages = await outboxCollection(db, 'auth').where('eventType', '==', 'user.registered').get();
    expect(registeredMessages.docs.filter((d) => JSON.parse(d.get('data') as string).email === email)).toHaveLength(1);
  });

  it('lets at most one of several concurrent refreshes with one token succeed, and ends with the family revoked', async () => {
    const db = newDb();
    const { accounts, tokens } = authOnFirestore(db);
    const session = await accounts.register({
      email: `refresh-${randomUUID().slice(0, 8)}@example.com`,
      password: PASSWORD,
      displayName: 'Refresher',
    });
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => tokens.refresh(session.refreshToken)));
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    expect(succeeded.length).toBeLessThanOrEqual(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'REFRESH_TOKEN_INVALID' });
    }
    const families = await db.collection('refreshFamilies').where('userId', '==', session.user.id).get();
    expect(families.docs).toHaveLength(1);
    expect(families.docs[0]!.get('revokedAt')).toBeDefined();
    // The winner's new token belongs to the revoked family too.
    for (const r of succeeded) {
      await expect(
        tokens.refresh((r as PromiseFulfilledResult<{ refreshToken: string }>).value.refreshToken),
      ).rejects.toMatchObject({
        code: 'REFRESH_TOKEN_INVALID',
      });
    }
  });

  it('bootstraps exactly one active signing key when 3 instances start together', async () => {
    const bootProject = `keys-${randomUUID().slice(0, 8)}`;
    const instances = Array.from({ length: 3 }, () => {
      const db = createFirestore({ projectId: bootProject, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST });
      dbs.push(db);
      return { db, service: authOnFirestore(db).signingKeys };
    });
    const keys = await Promise.all(instances.map(({ service }) => service.ensureActiveKey()));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    const stored = await instances[0]!.db.collection('signingKeys').get();
    expect(stored.docs.map((d) => d.id).sort()).toEqual(['_active', keys[0]!.kid].sort());
    const jwks = await instances[1]!.service.jwks();
    expect(jwks.map((k) => k.kid)).toEqual([keys[0]!.kid]);
  });

  it('rotates: the new key signs, the retired key stays in the JWKS', async () => {
    const db = newDb();
    const { signingKeys } = authOnFirestore(db, { SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '0' });
    const before = await signingKeys.ensureActiveKey();
    const info = await signingKeys.rotate({ userId: 'admin', roles: ['admin'] });
    expect((await signingKeys.activeKey()).kid).toBe(info.kid);
    expect((await signingKeys.jwks()).map((k) => k.kid).sort()).toEqual([before.kid, info.kid].sort());
  });
});
