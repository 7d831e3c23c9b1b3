import { createPublicKey, randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { base64url, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { ACCESS_TOKEN } from '@convene/contracts';
import { registerAccount, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api } from '../support/gateway';

/**
 * Forged and broken access tokens against the running gateway: each must get 401. Tokens that need a
 * valid signature with a wrong claim are signed with the real signing key, read from the emulator.
 */
let db: Firestore;
let account: TestAccount;
let realKid: string;
let realPrivateKey: Awaited<ReturnType<typeof importJWK>>;
let realPublicJwk: JWK;

beforeAll(async () => {
  db = systemFirestore();
  account = await registerAccount();
  realKid = JSON.parse(Buffer.from(account.accessToken.split('.')[0], 'base64url').toString()).kid;
  const stored = (await db.collection('signingKeys').doc(realKid).get()).data();
  if (!stored) throw new Error(`signing key ${realKid} not found in the emulator`);
  realPrivateKey = await importJWK(stored.privateJwk, 'ES256');
  realPublicJwk = stored.publicJwk;
});
afterAll(() => db.terminate());

const now = (): number => Math.floor(Date.now() / 1000);

function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sub: account.id,
    roles: ['attendee'],
    iss: ACCESS_TOKEN.issuer,
    aud: ACCESS_TOKEN.audience,
    iat: now(),
    nbf: now(),
    exp: now() + 600,
    jti: randomUUID(),
    ...overrides,
  };
}

async function signReal(payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: realKid, typ: ACCESS_TOKEN.type, ...header })
    .sign(realPrivateKey);
}

function unsigned(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  return `${encode(header)}.${encode(payload)}.`;
}

async function hs256(secret: Uint8Array, payload: Record<string, unknown>): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', kid: realKid, typ: ACCESS_TOKEN.type }).sign(secret);
}

async function otherKey(kid: string, payload: Record<string, unknown>): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid, typ: ACCESS_TOKEN.type }).sign(privateKey);
}

function tamperPayload(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
  return [header, base64url.encode(JSON.stringify({ ...decoded, ...changes })), signature].join('.');
}

function flipSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  const bytes = Buffer.from(signature, 'base64url');
  bytes[10] ^= 0x01;
  return [header, payload, bytes.toString('base64url')].join('.');
}

const publicKeyPem = (): Uint8Array =>
  new TextEncoder().encode(
    createPublicKey({ key: realPublicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString(),
  );

describe('the gateway refuses every forged or broken access token with 401', () => {
  it('accepts the genuine token (the attacks below differ from it in one way each)', async () => {
    expect((await api('/v1/me', { token: await signReal(claims()) })).status).toBe(200);
  });

  const attacks: Array<[string, () => Promise<string> | string]> = [
    ['alg none', () => unsigned({ alg: 'none', typ: ACCESS_TOKEN.type, kid: realKid }, claims({ roles: ['admin'] }))],
    ['alg none with a signature part', () => unsigned({ alg: 'none', typ: ACCESS_TOKEN.type }, claims()) + 'c2ln'],
    ['HS256 signed with the public key (PEM)', () => hs256(publicKeyPem(), claims({ roles: ['admin'] }))],
    [
      'HS256 signed with the public JWK',
      () => hs256(new TextEncoder().encode(JSON.stringify(realPublicJwk)), claims()),
    ],
    ['an unknown kid', () => otherKey(`kid-${randomUUID()}`, claims())],
    ['a real kid on another key', () => otherKey(realKid, claims({ roles: ['admin'] }))],
    ['a wrong issuer', () => signReal(claims({ iss: 'https://evil.example/auth' }))],
    ['a wrong audience', () => signReal(claims({ aud: 'another-api' }))],
    ['a wrong typ (an ID token)', () => signReal(claims(), { typ: 'JWT' })],
    ['an expired token', () => signReal(claims({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 60 }))],
    ['nbf in the future', () => signReal(claims({ nbf: now() + 600 }))],
    ['a tampered payload (roles → admin)', async () => tamperPayload(account.accessToken, { roles: ['admin'] })],
    ['a tampered payload (sub → someone else)', async () => tamperPayload(account.accessToken, { sub: randomUUID() })],
    ['a tampered signature', async () => flipSignature(account.accessToken)],
    ['no roles claim', () => signReal(claims({ roles: undefined }))],
    ['garbage', () => 'not.a.jwt'],
  ];

  it.each(attacks)('%s', async (_name, forge) => {
    const response = await api('/v1/me', { token: await forge() });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
  });

  it('refuses a token in another scheme or without the Bearer prefix', async () => {
    for (const authorization of [`Basic ${account.accessToken}`, account.accessToken, 'Bearer']) {
      const response = await api('/v1/me', { headers: { authorization } });
      expect(response.status).toBe(401);
    }
  });
});
