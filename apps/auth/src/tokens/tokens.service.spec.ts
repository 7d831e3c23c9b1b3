import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { ACCESS_TOKEN } from '@convene/contracts';
import { authTestKit, rejection } from '../testing/auth-test-kit';

const PASSWORD = 'violet-tram-42-quietly';

describe('TokensService', () => {
  let kit: ReturnType<typeof authTestKit>;
  beforeEach(() => {
    kit = authTestKit();
  });

  const register = () =>
    kit.accounts.register({ email: 'alice@example.com', password: PASSWORD, displayName: 'Alice' });
  const verify = async (token: string) =>
    jwtVerify(token, createLocalJWKSet({ keys: await kit.signingKeys.jwks() }), {
      issuer: ACCESS_TOKEN.issuer,
      audience: ACCESS_TOKEN.audience,
      typ: ACCESS_TOKEN.type,
      algorithms: [ACCESS_TOKEN.algorithm],
      currentDate: kit.clock.now(),
    });

  describe('access tokens', () => {
    it('are ES256 at+jwt with kid, verified against the JWKS, carrying the documented claims', async () => {
      const { user, accessToken } = await register();
      const header = decodeProtectedHeader(accessToken);
      expect(header).toEqual({ alg: 'ES256', kid: expect.any(String), typ: 'at+jwt' });
      const { payload } = await verify(accessToken);
      const iat = Math.floor(kit.clock.now().getTime() / 1000);
      expect(payload).toEqual({
        sub: user.id,
        roles: ['attendee'],
        name: user.displayName,
        iss: ACCESS_TOKEN.issuer,
        aud: ACCESS_TOKEN.audience,
        iat,
        nbf: iat,
        exp: iat + 900,
        jti: expect.any(String),
      });
    });

    it('expose only public key members in the JWKS', async () => {
      const keys = await kit.signingKeys.jwks();
      expect(keys).toHaveLength(1);
      expect(Object.keys(keys[0]!).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    });

    it('keep verifying after a key rotation until they expire, and the old key then leaves the JWKS', async () => {
      const { accessToken } = await register();
      const oldKid = decodeProtectedHeader(accessToken).kid;
      const info = await kit.signingKeys.rotate({ userId: 'admin', roles: ['admin'] });
      expect(info.kid).not.toBe(oldKid);
      await expect(verify(accessToken)).resolves.toBeDefined();
      // Pre-published: the old key signs until the new one activates (SIGNING_KEY_ACTIVATION_DELAY_SECONDS).
      const during = await kit.accounts.login({ email: 'alice@example.com', password: PASSWORD }, 'ip');
      expect(decodeProtectedHeader(during.accessToken).kid).toBe(oldKid);
      kit.clock.advance(kit.config.SIGNING_KEY_ACTIVATION_DELAY_SECONDS * 1000);
      const after = await kit.accounts.login({ email: 'alice@example.com', password: PASSWORD }, 'ip');
      expect(decodeProtectedHeader(after.accessToken).kid).toBe(info.kid);
      await expect(verify(during.accessToken)).resolves.toBeDefined();

      kit.clock.advance((900 + 300 + 1) * 1000);
      expect((await kit.signingKeys.jwks()).map((k) => k.kid)).toEqual([info.kid]);
    });

    it('refuse rotation by a non-admin', async () => {
      expect((await rejection(kit.signingKeys.rotate({ userId: 'u', roles: ['attendee', 'organizer'] }))).code).toBe(
        'FORBIDDEN',
      );
    });
  });

  describe('refresh', () => {
    it('rotates: a new pair, and the new refresh token works once more', async () => {
      const first = await register();
      const second = await kit.tokens.refresh(first.refreshToken);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.user.id).toBe(first.user.id);
      await expect(verify(second.accessToken)).resolves.toBeDefined();
      await expect(kit.tokens.refresh(second.refreshToken)).resolves.toBeDefined();
    });

    it('treats reuse of a rotated token as theft: revokes the family, so the thief’s and the victim’s tokens die', async () => {
      const first = await register();
      const second = await kit.tokens.refresh(first.refreshToken);
      expect((await rejection(kit.tokens.refresh(first.refreshToken))).code).toBe('REFRESH_TOKEN_INVALID');
      expect((await rejection(kit.tokens.refresh(second.refreshToken))).code).toBe('REFRESH_TOKEN_INVALID');
      expect([...kit.refreshTokens.families.values()][0]!.revokedAt).toBeDefined();
    });

    it('issues the user’s current roles, not those of the login', async () => {
      const first = await register();
      await kit.accounts.becomeOrganizer({ userId: first.user.id, roles: ['attendee'] });
      const next = await kit.tokens.refresh(first.refreshToken);
      expect((await verify(next.accessToken)).payload.roles).toEqual(['attendee', 'organizer']);
    });

    it('refuses unknown, malformed and expired tokens', async () => {
      const first = await register();
      expect((await rejection(kit.tokens.refresh('A'.repeat(43)))).code).toBe('REFRESH_TOKEN_INVALID');
      expect((await rejection(kit.tokens.refresh('short'))).code).toBe('REFRESH_TOKEN_INVALID');
      kit.clock.advance(30 * 86_400_000);
      expect((await rejection(kit.tokens.refresh(first.refreshToken))).code).toBe('REFRESH_TOKEN_INVALID');
    });

    it('stores only the SHA-256 of refresh tokens', async () => {
      const { refreshToken } = await register();
      const [hash] = kit.refreshTokens.tokens.keys();
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify([...kit.refreshTokens.tokens.values()])).not.toContain(refreshToken);
    });
  });

  describe('logout', () => {
    it('revokes the family, and answers the same for an unknown token', async () => {
      const first = await register();
      const second = await kit.tokens.refresh(first.refreshToken);
      await kit.tokens.logout(second.refreshToken);
      expect((await rejection(kit.tokens.refresh(second.refreshToken))).code).toBe('REFRESH_TOKEN_INVALID');
      await expect(kit.tokens.logout('B'.repeat(43))).resolves.toBeUndefined();
      await expect(kit.tokens.logout('')).resolves.toBeUndefined();
    });
  });
});
