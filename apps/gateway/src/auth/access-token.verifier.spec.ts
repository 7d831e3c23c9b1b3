import { SignJWT } from 'jose';
import { DomainError } from '@convene/common';
import { ACCESS_TOKEN, type JwkMessage } from '@convene/contracts';
import { AccessTokenVerifier } from './access-token.verifier';
import { JwksCache, JwksSource } from './jwks-cache';
import {
  base64url,
  createSigningKey,
  decodeSegment,
  signAccessToken,
  type TestSigningKey,
} from './testing/test-signing-keys';

class StubJwksSource extends JwksSource {
  calls = 0;
  constructor(public keys: JwkMessage[]) {
    super();
  }
  async fetch(): Promise<JwkMessage[]> {
    this.calls += 1;
    return this.keys;
  }
}

describe('AccessTokenVerifier', () => {
  let key: TestSigningKey;
  let stranger: TestSigningKey;
  let verifier: AccessTokenVerifier;

  beforeAll(async () => {
    key = await createSigningKey('key-1');
    // Same algorithm, a kid the JWKS does not list: what an attacker's own key looks like.
    stranger = await createSigningKey('attacker');
  });

  beforeEach(() => {
    verifier = new AccessTokenVerifier(new JwksCache(new StubJwksSource([key.publicJwk]), { ttlSeconds: 300 }));
  });

  async function expectRefused(token: string): Promise<DomainError> {
    const error = await verifier.verify(token).then(
      () => undefined,
      (refusal: unknown) => refusal,
    );
    expect(error).toBeInstanceOf(DomainError);
    const domainError = error as DomainError;
    expect(domainError.code).toBe('UNAUTHENTICATED');
    expect(domainError.details).toEqual({ bearerError: 'invalid_token' });
    return domainError;
  }

  it('accepts a token the auth service signed and yields its identity', async () => {
    const token = await signAccessToken(key, { sub: 'u-42', roles: ['attendee', 'organizer'] });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: 'u-42', roles: ['attendee', 'organizer'] });
  });

  it('passes the display name the token carries along (for printing, not for access)', async () => {
    const token = await signAccessToken(key, { sub: 'u-7', roles: ['attendee'], claims: { name: 'Zoë Ōkubo' } });
    await expect(verifier.verify(token)).resolves.toEqual({
      userId: 'u-7',
      roles: ['attendee'],
      displayName: 'Zoë Ōkubo',
    });
  });

  it('tolerates a few seconds of clock skew, no more', async () => {
    await expect(verifier.verify(await signAccessToken(key, { exp: -3 }))).resolves.toMatchObject({ userId: 'user-1' });
    await expectRefused(await signAccessToken(key, { exp: -10 }));
  });

  describe('refuses forged and broken tokens', () => {
    it('alg none (unsigned), with or without a signature segment', async () => {
      const payload = decodeSegment((await signAccessToken(key, { roles: ['admin'] })).split('.')[1]!);
      const header = base64url({ alg: 'none', typ: ACCESS_TOKEN.type, kid: key.kid });
      await expectRefused(`${header}.${base64url(payload)}.`);
      await expectRefused(`${header}.${base64url(payload)}.${base64url('x')}`);
    });

    it('HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        iss: ACCESS_TOKEN.issuer,
        aud: ACCESS_TOKEN.audience,
        sub: 'user-1',
        roles: ['admin'],
        iat: now,
        exp: now + 600,
      };
      for (const secret of [key.publicPem, JSON.stringify(key.publicJwk), key.publicJwk.x]) {
        const forged = await new SignJWT(claims)
          .setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN.type, kid: key.kid })
          .sign(new TextEncoder().encode(secret));
        await expectRefused(forged);
      }
    });

    it('a kid the JWKS does not list (signed with another ES256 key)', async () => {
      await expectRefused(await signAccessToken(stranger, { roles: ['admin'] }));
    });

    it('a valid signature under a kid that names another key', async () => {
      await expectRefused(await signAccessToken(stranger, { header: { kid: key.kid } }));
    });

    it('no kid at all', async () => {
      await expectRefused(await signAccessToken(key, { header: { kid: undefined } }));
    });

    it('a wrong issuer', async () => {
      await expectRefused(await signAccessToken(key, { claims: { iss: 'https://evil.example/auth' } }));
    });

    it('a wrong audience', async () => {
      await expectRefused(await signAccessToken(key, { claims: { aud: 'another-api' } }));
    });

    it('a wrong or missing typ (an ID token or a plain JWT is not an access token)', async () => {
      await expectRefused(await signAccessToken(key, { header: { typ: 'JWT' } }));
      await expectRefused(await signAccessToken(key, { header: { typ: undefined } }));
    });

    it('an expired token', async () => {
      const error = await expectRefused(await signAccessToken(key, { iat: -1000, exp: -60 }));
      expect(error.message).toBe('The access token has expired');
    });

    it('a token not valid yet (nbf in the future)', async () => {
      await expectRefused(await signAccessToken(key, { nbf: 120 }));
    });

    it('a token issued in the future or living longer than an access token may', async () => {
      await expectRefused(await signAccessToken(key, { iat: 600, exp: 1200 }));
      await expectRefused(await signAccessToken(key, { iat: -2 * ACCESS_TOKEN.ttlSeconds, exp: 3600 }));
    });

    it('a tampered payload under the original signature', async () => {
      const [header, payload, signature] = (await signAccessToken(key)).split('.') as [string, string, string];
      const elevated = { ...decodeSegment(payload), roles: ['admin'], sub: 'someone-else' };
      await expectRefused(`${header}.${base64url(elevated)}.${signature}`);
    });

    it('a flipped signature byte', async () => {
      const [header, payload, signature] = (await signAccessToken(key)).split('.') as [string, string, string];
      const bytes = Buffer.from(signature, 'base64url');
      bytes[10] = bytes[10]! ^ 0x01;
      await expectRefused(`${header}.${payload}.${bytes.toString('base64url')}`);
    });

    it('missing required claims (sub, exp, iat, iss, aud)', async () => {
      for (const claim of ['sub', 'exp', 'iat', 'iss', 'aud'] as const) {
        await expectRefused(await signAccessToken(key, { omit: [claim] }));
      }
    });

    it('a roles claim that is missing, not an array, or names an unknown role', async () => {
      await expectRefused(await signAccessToken(key, { omit: ['roles'] }));
      await expectRefused(await signAccessToken(key, { roles: 'admin' }));
      await expectRefused(await signAccessToken(key, { roles: ['attendee', 'superuser'] }));
    });

    it('garbage', async () => {
      for (const garbage of ['', 'not-a-jwt', 'a.b', 'a.b.c', '...', `${'a'.repeat(5000)}.b.c`, 'eyJ.eyJ.e y']) {
        await expectRefused(garbage);
      }
    });
  });
});
