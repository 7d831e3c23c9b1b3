import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { ACCESS_TOKEN, type JwkMessage, type Role } from '@convene/contracts';

export interface TestSigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JwkMessage;
  /** The public key as PEM: the bytes an HS256 key-confusion attack uses as its secret. */
  publicPem: string;
}

export async function createSigningKey(kid: string): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(publicKey);
  return {
    kid,
    privateKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y!, kid, alg: 'ES256', use: 'sig' },
    publicPem: await exportSPKI(publicKey),
  };
}

export interface AccessTokenOverrides {
  sub?: string;
  roles?: unknown;
  claims?: JWTPayload;
  header?: Record<string, unknown>;
  /** Seconds relative to now. */
  iat?: number;
  exp?: number;
  nbf?: number;
  omit?: ('sub' | 'iat' | 'exp' | 'roles' | 'iss' | 'aud')[];
}

/** A token as the auth service signs it, with any part overridden to build an attack. */
export async function signAccessToken(key: TestSigningKey, overrides: AccessTokenOverrides = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: ACCESS_TOKEN.issuer,
    aud: ACCESS_TOKEN.audience,
    sub: overrides.sub ?? 'user-1',
    roles: overrides.roles ?? (['attendee'] satisfies Role[]),
    iat: now + (overrides.iat ?? 0),
    exp: now + (overrides.exp ?? ACCESS_TOKEN.ttlSeconds),
    ...(overrides.nbf === undefined ? {} : { nbf: now + overrides.nbf }),
    ...overrides.claims,
  };
  for (const claim of overrides.omit ?? []) delete payload[claim];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', typ: ACCESS_TOKEN.type, kid: key.kid, ...overrides.header })
    .sign(key.privateKey);
}

export function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

export function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Record<string, unknown>;
}
