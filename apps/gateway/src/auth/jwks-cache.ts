import { Logger } from '@nestjs/common';
import { importJWK, type CryptoKey } from 'jose';
import { DomainError } from '@convene/common';
import { ACCESS_TOKEN, type JwkMessage } from '@convene/contracts';

/** Where the public keys come from: the auth service's GetJwks in production, a stub in tests. */
export abstract class JwksSource {
  abstract fetch(): Promise<readonly JwkMessage[]>;
}

/** A public verification key as the gateway republishes it at /.well-known/jwks.json. */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: 'ES256';
  use: 'sig';
}

export interface JwksCacheOptions {
  /** How long a fetched key set is used without asking again. */
  ttlSeconds: number;
  /** Least time between two fetches once keys are cached (unknown kid, expired TTL). */
  minRefetchIntervalMs?: number;
  now?: () => number;
}

export const JWKS_MIN_REFETCH_INTERVAL_MS = 30_000;

/**
 * The auth service's public keys, fetched once and reused: verifying a token never calls auth,
 * except to learn a key it does not know yet (rotation). Those refetches, and refreshes after the TTL,
 * happen at most once per `minRefetchIntervalMs`, so tokens naming made-up kids cannot make us hammer
 * auth. While auth is unreachable the last key set stays in use; with none at all, protected routes
 * answer 503 (the token may be fine: 401 would send clients to log in again for our outage).
 */
export class JwksCache {
  private readonly logger = new Logger(JwksCache.name);
  private readonly ttlMs: number;
  private readonly minRefetchIntervalMs: number;
  private readonly now: () => number;

  private keys = new Map<string, CryptoKey>();
  private jwks: PublicJwk[] = [];
  /** Set once a fetch succeeded: until then there is nothing to verify with. */
  private fetchedAt: number | undefined;
  private lastAttemptAt: number | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly source: JwksSource,
    options: JwksCacheOptions,
  ) {
    this.ttlMs = options.ttlSeconds * 1000;
    // Never staler than the TTL: the limiter only stops made-up kids and failures from hammering auth.
    this.minRefetchIntervalMs = Math.min(options.minRefetchIntervalMs ?? JWKS_MIN_REFETCH_INTERVAL_MS, this.ttlMs);
    this.now = options.now ?? Date.now;
  }

  /** The key named `kid`, or undefined when auth does not know it either. */
  async keyFor(kid: string): Promise<CryptoKey | undefined> {
    await this.ensureLoaded();
    const known = this.keys.get(kid);
    if (known || !this.mayRefetch()) return known;
    await this.refresh();
    return this.keys.get(kid);
  }

  /** The current public key set (for /.well-known/jwks.json). */
  async publicKeys(): Promise<readonly PublicJwk[]> {
    await this.ensureLoaded();
    return this.jwks;
  }

  private async ensureLoaded(): Promise<void> {
    if (this.fetchedAt === undefined) {
      await this.refresh();
      if (this.fetchedAt === undefined) {
        throw new DomainError('SERVICE_UNAVAILABLE', 'Cannot verify access tokens right now, try again later');
      }
    } else if (this.now() - this.fetchedAt >= this.ttlMs && this.mayRefetch()) {
      await this.refresh();
    }
  }

  private mayRefetch(): boolean {
    return this.lastAttemptAt === undefined || this.now() - this.lastAttemptAt >= this.minRefetchIntervalMs;
  }

  /** One fetch at a time; concurrent callers share it. Never throws: a failure keeps the old set. */
  private refresh(): Promise<void> {
    this.inFlight ??= this.fetchAndImport().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async fetchAndImport(): Promise<void> {
    this.lastAttemptAt = this.now();
    try {
      const fetched = await this.source.fetch();
      const keys = new Map<string, CryptoKey>();
      const jwks: PublicJwk[] = [];
      for (const jwk of fetched) {
        const usable = await importVerificationKey(jwk);
        if (!usable) {
          this.logger.warn({ message: 'ignoring a JWK that cannot verify access tokens', kid: jwk.kid });
          continue;
        }
        keys.set(usable.jwk.kid, usable.key);
        jwks.push(usable.jwk);
      }
      this.keys = keys;
      this.jwks = jwks;
      this.fetchedAt = this.now();
    } catch (error) {
      this.logger.warn({
        message: 'fetching the JWKS from auth failed; keeping the keys already cached',
        cachedKeys: this.keys.size,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

async function importVerificationKey(jwk: JwkMessage): Promise<{ key: CryptoKey; jwk: PublicJwk } | undefined> {
  const fits =
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    typeof jwk.kid === 'string' &&
    jwk.kid.length > 0 &&
    (!jwk.alg || jwk.alg === ACCESS_TOKEN.algorithm) &&
    (!jwk.use || jwk.use === 'sig');
  if (!fits) return undefined;
  const publicJwk: PublicJwk = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwk.kid, alg: 'ES256', use: 'sig' };
  try {
    // Only the public members are imported: a private `d` sent by mistake never becomes usable here.
    const key = await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, ACCESS_TOKEN.algorithm);
    return key instanceof Uint8Array ? undefined : { key, jwk: publicJwk };
  } catch {
    return undefined;
  }
}
