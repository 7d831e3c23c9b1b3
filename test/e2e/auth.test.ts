import { createHash, randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { adminAccount, registerAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api, eventually, type ApiResponse } from '../support/gateway';

let db: Firestore;
beforeAll(() => (db = systemFirestore()));
afterAll(() => db.terminate());

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Bodies must never carry a credential's stored form. */
function expectNoSecrets(response: ApiResponse, refreshTokens: string[] = []): void {
  expect(response.text).not.toMatch(/\$argon2/);
  expect(response.text).not.toMatch(/passwordHash|tokenHash/i);
  for (const token of refreshTokens) expect(response.text).not.toContain(sha256(token));
}

describe('account lifecycle: register → login → me → refresh → logout', () => {
  it('works end to end and never shows a stored secret', async () => {
    const email = `Ada.${randomUUID()}@Example.COM`;
    const password = `correct horse ${randomUUID()}`;
    const registered = await api('/v1/auth/register', { json: { email: ` ${email} `, password, displayName: 'Ada' } });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({
      user: { email: email.toLowerCase(), displayName: 'Ada', roles: ['attendee'] },
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    expect(registered.headers.get('cache-control')).toContain('no-store');
    expectNoSecrets(registered, [registered.body.refreshToken]);

    const login = await api('/v1/auth/login', { json: { email: email.toUpperCase(), password } });
    expect(login.status).toBe(200);
    expectNoSecrets(login, [login.body.refreshToken]);

    const me = await api('/v1/me', { token: login.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      id: registered.body.user.id,
      email: email.toLowerCase(),
      displayName: 'Ada',
      roles: ['attendee'],
      createdAt: expect.any(String),
    });

    const renamed = await api('/v1/me', {
      method: 'PATCH',
      json: { displayName: 'Ada L.' },
      token: login.body.accessToken,
    });
    expect(renamed.body.displayName).toBe('Ada L.');

    const refreshed = await api('/v1/auth/refresh', { json: { refreshToken: login.body.refreshToken } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(login.body.refreshToken);
    expectNoSecrets(refreshed, [refreshed.body.refreshToken, login.body.refreshToken]);

    const logout = await api('/v1/auth/logout', { json: { refreshToken: refreshed.body.refreshToken } });
    expect(logout.status).toBe(204);
    const afterLogout = await api('/v1/auth/refresh', { json: { refreshToken: refreshed.body.refreshToken } });
    expect(afterLogout.status).toBe(401);
  });

  it('stores the password as Argon2id with at least OWASP’s parameters', async () => {
    const account = await registerAccount();
    const stored = (await db.collection('users').doc(account.id).get()).data();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('answers a wrong password and an unknown email with the same 401', async () => {
    const account = await registerAccount();
    const wrongPassword = await api('/v1/auth/login', { json: { email: account.email, password: 'not-the-password' } });
    const unknownEmail = await api('/v1/auth/login', {
      json: { email: `nobody-${randomUUID()}@example.com`, password: 'not-the-password' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(unknownEmail.body.code).toBe(wrongPassword.body.code);
    expect(unknownEmail.body.detail).toBe(wrongPassword.body.detail);
  });

  it('refuses weak, short, too long and common passwords, naming the field', async () => {
    for (const password of ['short', 'x'.repeat(129), 'password1', 'qwertyuiop']) {
      const response = await api('/v1/auth/register', {
        json: { email: `weak-${randomUUID()}@example.com`, password, displayName: 'Weak' },
      });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'password' })]));
    }
  });
});

describe('refresh tokens', () => {
  it('revokes the whole family when a rotated token is presented again', async () => {
    const account = await registerAccount();
    const first = await api('/v1/auth/refresh', { json: { refreshToken: account.refreshToken } });
    expect(first.status).toBe(200);

    const replay = await api('/v1/auth/refresh', { json: { refreshToken: account.refreshToken } });
    expect(replay.status).toBe(401);
    // The thief replayed an old token: the legitimate newest token dies with the family.
    const newest = await api('/v1/auth/refresh', { json: { refreshToken: first.body.refreshToken } });
    expect(newest.status).toBe(401);
  });

  it('refuses a made-up token', async () => {
    expect((await api('/v1/auth/refresh', { json: { refreshToken: 'made-up' } })).status).toBe(401);
  });
});

describe('registration under concurrency and mass assignment', () => {
  it('creates exactly one user for 20 concurrent registrations of one email', async () => {
    const email = `race-${randomUUID()}@example.com`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api('/v1/auth/register', {
          json: { email, password: `pw-race-${i}-${randomUUID()}`, displayName: `Racer ${i}` },
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const users = await db.collection('users').where('email', '==', email).count().get();
    expect(users.data().count).toBe(1);
  });

  it.each(['role', 'roles', 'id'])('refuses `%s` in a registration body, and creates nothing', async (field) => {
    const email = `mass-${randomUUID()}@example.com`;
    const response = await api('/v1/auth/register', {
      json: {
        email,
        password: `pw-${randomUUID()}`,
        displayName: 'Mallory',
        [field]: field === 'roles' ? ['admin'] : 'admin',
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
    expect((await db.collection('users').where('email', '==', email).count().get()).data().count).toBe(0);
  });

  it.each(['role', 'roles', 'id'])('refuses `%s` in PATCH /v1/me, and changes nothing', async (field) => {
    const account = await registerAccount();
    const response = await api('/v1/me', {
      method: 'PATCH',
      json: { displayName: 'Mallory', [field]: field === 'roles' ? ['admin'] : 'admin' },
      token: account.accessToken,
    });
    expect(response.status).toBe(400);
    const me = await api('/v1/me', { token: account.accessToken });
    expect(me.body).toMatchObject({ displayName: account.displayName, roles: ['attendee'] });
  });
});

describe('brute force', () => {
  it('answers 429 with Retry-After from the 11th wrong password, without locking out the owner elsewhere', async () => {
    const account = await registerAccount();
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    for (let i = 1; i <= 10; i++) {
      const attempt = await api('/v1/auth/login', {
        json: { email: account.email, password: `guess-${i}` },
        headers: attacker,
      });
      expect(attempt.status).toBe(401);
    }
    const blocked = await api('/v1/auth/login', {
      json: { email: account.email, password: 'guess-11' },
      headers: attacker,
    });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password is refused from the attacker's address while blocked...
    const fromAttacker = await api('/v1/auth/login', {
      json: { email: account.email, password: account.password },
      headers: attacker,
    });
    expect(fromAttacker.status).toBe(429);
    // ...but the owner, elsewhere, signs in.
    const owner = await api('/v1/auth/login', {
      json: { email: account.email, password: account.password },
      headers: { 'x-forwarded-for': '198.51.100.20' },
    });
    expect(owner.status).toBe(200);
  });
});

describe('roles', () => {
  it('lets anyone become an organizer, with a token that carries the role', async () => {
    const account = await registerAccount();
    const response = await api('/v1/me/organizer', { method: 'POST', token: account.accessToken });
    expect(response.status).toBe(200);
    expect(response.body.user.roles).toEqual(expect.arrayContaining(['attendee', 'organizer']));
    const me = await api('/v1/me', { token: response.body.accessToken });
    expect(me.body.roles).toContain('organizer');
  });

  it('lets only an admin grant roles', async () => {
    const admin = await adminAccount();
    expect(admin.id).toBeDefined();
    const target = await registerAccount();
    const mallory = await registerAccount();
    const refused = await api(`/v1/admin/users/${target.id}/roles`, {
      json: { role: 'admin' },
      token: mallory.accessToken,
    });
    expect(refused.status).toBe(403);
    const granted = await api(`/v1/admin/users/${target.id}/roles`, {
      json: { role: 'organizer' },
      token: admin.accessToken,
    });
    expect(granted.status).toBe(200);
    const refreshed = await api('/v1/auth/refresh', { json: { refreshToken: target.refreshToken } });
    const me = await api('/v1/me', { token: refreshed.body.accessToken });
    expect(me.body.roles).toContain('organizer');
  });
});

describe('signing keys', () => {
  it('publishes public keys only, and keeps old tokens valid across a rotation', async () => {
    const jwks = await api('/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const key of jwks.body.keys) {
      expect(key).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
      expect(key).not.toHaveProperty('d');
    }

    const account = await registerAccount();
    const admin = await adminAccount();
    expect((await api('/v1/admin/signing-keys/rotate', { method: 'POST', token: account.accessToken })).status).toBe(
      403,
    );
    const rotated = await api('/v1/admin/signing-keys/rotate', { method: 'POST', token: admin.accessToken });
    expect(rotated.status).toBe(200);

    expect(Date.parse(rotated.body.activatesAt)).toBeGreaterThan(Date.now());

    // Pre-published: the gateway learns the new key while tokens are still signed with the old one...
    const kidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).kid;
    await eventually(
      async () => {
        const keys = (await api('/.well-known/jwks.json')).body.keys as { kid: string }[];
        return keys.some((k) => k.kid === rotated.body.kid) ? true : undefined;
      },
      15_000,
      'the gateway to publish the new key',
    );
    // ...then new tokens carry the new key, and both old and new tokens verify.
    const fresh = await eventually(
      async () => {
        const login = await api('/v1/auth/login', { json: { email: account.email, password: account.password } });
        return kidOf(login.body.accessToken) === rotated.body.kid ? login.body.accessToken : undefined;
      },
      30_000,
      'the new key to start signing',
    );
    expect((await api('/v1/me', { token: fresh })).status).toBe(200);
    expect((await api('/v1/me', { token: account.accessToken })).status).toBe(200);
  }, 60_000);
});

describe('DELETE /v1/me', () => {
  it('erases the account, ends its sessions, and other services forget the person', async () => {
    const account = await registerAccount();
    const welcomed = await eventually(
      async () => {
        const snapshot = await db.collection('notifications').where('recipientId', '==', account.id).get();
        return snapshot.empty ? undefined : snapshot.size;
      },
      20_000,
      'the welcome notification',
    );
    expect(welcomed).toBe(1);

    expect((await api('/v1/me', { method: 'DELETE', token: account.accessToken })).status).toBe(204);

    expect((await api('/v1/auth/login', { json: { email: account.email, password: account.password } })).status).toBe(
      401,
    );
    expect((await api('/v1/auth/refresh', { json: { refreshToken: account.refreshToken } })).status).toBe(401);
    expect((await db.collection('users').doc(account.id).get()).exists).toBe(false);
    await eventually(
      async () => {
        const snapshot = await db.collection('notifications').where('recipientId', '==', account.id).get();
        return snapshot.empty ? true : undefined;
      },
      20_000,
      'notifications to erase the deleted user’s notifications',
    );
    // The address is free again.
    const again = await api('/v1/auth/register', {
      json: { email: account.email, password: `pw-${randomUUID()}`, displayName: 'Again' },
    });
    expect(again.status).toBe(201);
  });
});

describe('authentication is required by default', () => {
  it.each([
    ['GET', '/v1/me'],
    ['PATCH', '/v1/me'],
    ['DELETE', '/v1/me'],
    ['POST', '/v1/me/organizer'],
    ['POST', '/v1/events'],
  ])('%s %s without a token → 401 problem+json with WWW-Authenticate', async (method, path) => {
    const response = await api(path, { method, json: method === 'GET' || method === 'DELETE' ? undefined : {} });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
