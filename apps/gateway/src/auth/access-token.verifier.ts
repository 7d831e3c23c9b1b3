import { errors, jwtVerify, type CryptoKey, type JWTPayload, type JWSHeaderParameters } from 'jose';
import { DomainError, type Identity } from '@convene/common';
import { ACCESS_TOKEN, ROLES, type Role } from '@convene/contracts';
import { invalidAccessToken } from './authentication-errors';
import { JwksCache } from './jwks-cache';

/** Room for clocks that disagree a little; no more, so an expired token stays expired. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/** Far above a real token (a few hundred bytes); bounds the work garbage can cause. */
const MAX_TOKEN_LENGTH = 4096;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_SUBJECT_LENGTH = 128;

/**
 * Turns an access token into the Identity it proves, or refuses it with 401. Only ES256 signatures by
 * a key of the auth service's JWKS count (so `alg: none` and HS256-with-the-public-key are refused
 * before any key is looked up), with our issuer, audience and `typ: at+jwt`, inside its lifetime.
 */
export class AccessTokenVerifier {
  constructor(private readonly keys: JwksCache) {}

  async verify(token: string): Promise<Identity> {
    if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw invalidAccessToken();
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, (header) => this.keyFor(header), {
        algorithms: [ACCESS_TOKEN.algorithm],
        issuer: ACCESS_TOKEN.issuer,
        audience: ACCESS_TOKEN.audience,
        typ: ACCESS_TOKEN.type,
        requiredClaims: ['sub', 'exp', 'iat'],
        maxTokenAge: ACCESS_TOKEN.ttlSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      }));
    } catch (error) {
      // The key cache's 503 (no keys and auth unreachable) is ours, not the token's fault.
      if (error instanceof DomainError) throw error;
      throw invalidAccessToken(error instanceof errors.JWTExpired ? 'expired' : 'invalid');
    }
    return identityOf(payload);
  }

  private async keyFor(header: JWSHeaderParameters): Promise<CryptoKey> {
    const key = typeof header.kid === 'string' && header.kid ? await this.keys.keyFor(header.kid) : undefined;
    if (!key) throw invalidAccessToken();
    return key;
  }
}

function identityOf(payload: JWTPayload): Identity {
  const { sub, roles, name } = payload;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > MAX_SUBJECT_LENGTH) throw invalidAccessToken();
  if (!Array.isArray(roles) || !roles.every(isRole)) throw invalidAccessToken();
  const displayName = typeof name === 'string' && name.length > 0 && name.length <= 200 ? name : undefined;
  return { userId: sub, roles: [...new Set(roles)], ...(displayName ? { displayName } : {}) };
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
