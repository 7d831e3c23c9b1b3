import { randomBytes } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { Clock, DomainError, hasRole, type Identity } from '@convene/common';
import { ACCESS_TOKEN, type JwkMessage, type SigningKeyInfoMessage } from '@convene/contracts';
import { AuthConfig } from '../auth.config';
import { activationOf, type SigningKey } from './signing-key';
import { SigningKeysRepository } from './signing-keys.repository';

/**
 * How long a replica signs with the key it last read. Another replica's rotation therefore reaches it
 * within this time; tokens it signed meanwhile with the old key still verify, because a retired key
 * stays in the JWKS for a token's lifetime plus RETIRED_KEY_GRACE_SECONDS (> this cache).
 */
export const ACTIVE_KEY_CACHE_MS = 30_000;
export const RETIRED_KEY_GRACE_SECONDS = 5 * 60;

export interface ActiveSigningKey {
  kid: string;
  privateKey: Awaited<ReturnType<typeof importJWK>>;
}

@Injectable()
export class SigningKeysService implements OnModuleInit {
  private cached: { key: ActiveSigningKey; until: number } | undefined;

  constructor(
    private readonly keys: SigningKeysRepository,
    private readonly clock: Clock,
    private readonly config: AuthConfig,
  ) {}

  /** On boot every replica makes sure a key exists, so the first login never races to create one. */
  async onModuleInit(): Promise<void> {
    await this.ensureActiveKey();
  }

  async ensureActiveKey(): Promise<SigningKey> {
    return (await this.keys.findActive()) ?? this.keys.installFirst(await this.newKey());
  }

  /**
   * The key that signs access tokens now: the newest key once its activation time has come, until
   * then the key it replaces (read from Firestore at most every ACTIVE_KEY_CACHE_MS).
   */
  async activeKey(): Promise<ActiveSigningKey> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.key;
    const newest = await this.ensureActiveKey();
    const newestActivation = Date.parse(activationOf(newest));
    const signing = newestActivation <= now ? newest : ((await this.keyReplacedBy(newest, now)) ?? newest);
    const key = { kid: signing.kid, privateKey: await importJWK(signing.privateJwk, ACCESS_TOKEN.algorithm) };
    // Never cache the outgoing key past the moment the newest one takes over.
    const until =
      newestActivation > now ? Math.min(now + ACTIVE_KEY_CACHE_MS, newestActivation) : now + ACTIVE_KEY_CACHE_MS;
    this.cached = { key, until };
    return key;
  }

  /**
   * Admins only: a new key is published in the JWKS now and starts signing after
   * SIGNING_KEY_ACTIVATION_DELAY_SECONDS (longer than the gateways' JWKS cache), so no gateway ever
   * meets a token signed with a key it has not fetched. The previous key signs until then and keeps
   * verifying its tokens until they expire.
   */
  async rotate(caller: Identity): Promise<SigningKeyInfoMessage> {
    if (!hasRole(caller, 'admin')) throw new DomainError('FORBIDDEN', 'only an admin may rotate signing keys');
    const now = this.clock.now().getTime();
    const next = {
      ...(await this.newKey()),
      activatesAt: new Date(now + this.config.SIGNING_KEY_ACTIVATION_DELAY_SECONDS * 1000).toISOString(),
    };
    await this.keys.rotate(next);
    this.cached = undefined;
    return { kid: next.kid, createdAt: next.createdAt, activatesAt: next.activatesAt };
  }

  /** Public keys of the active key and of keys retired recently enough that their tokens may be alive. */
  async jwks(): Promise<JwkMessage[]> {
    const now = this.clock.now().getTime();
    const since = new Date(now - (ACCESS_TOKEN.ttlSeconds + RETIRED_KEY_GRACE_SECONDS) * 1000).toISOString();
    const [active, retired] = await Promise.all([this.ensureActiveKey(), this.keys.findRetiredSince(since)]);
    const keys = [active, ...retired.filter((key) => key.kid !== active.kid)];
    return keys.map((key) => toJwkMessage(key.kid, key.publicJwk));
  }

  /** The key `newest` replaces: the latest-created key whose retirement is still ahead. */
  private async keyReplacedBy(newest: SigningKey, now: number): Promise<SigningKey | undefined> {
    const retiring = await this.keys.findRetiredSince(new Date(now).toISOString());
    return retiring
      .filter((key) => key.kid !== newest.kid)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  }

  private async newKey(): Promise<SigningKey> {
    const { privateKey, publicKey } = await generateKeyPair(ACCESS_TOKEN.algorithm, { extractable: true });
    return {
      kid: randomBytes(16).toString('base64url'),
      privateJwk: await exportJWK(privateKey),
      publicJwk: await exportJWK(publicKey),
      createdAt: this.clock.now().toISOString(),
    };
  }
}

function toJwkMessage(kid: string, jwk: JWK): JwkMessage {
  // Only the public members, named explicitly: a private `d` must never be copied out by accident.
  return {
    kty: jwk.kty ?? 'EC',
    crv: jwk.crv ?? 'P-256',
    x: jwk.x ?? '',
    y: jwk.y ?? '',
    kid,
    alg: ACCESS_TOKEN.algorithm,
    use: 'sig',
  };
}
