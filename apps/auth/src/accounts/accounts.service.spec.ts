import { decodeJwt } from 'jose';
import { UserDeletedV1, UserRegisteredV1 } from '@convene/contracts';
import { authTestKit, rejection } from '../testing/auth-test-kit';

const PASSWORD = 'violet-tram-42-quietly';
const admin = (userId = 'admin-1') => ({ userId, roles: ['attendee', 'admin'] as const }) as never;

describe('AccountsService', () => {
  let kit: ReturnType<typeof authTestKit>;
  beforeEach(() => {
    kit = authTestKit({ ADMIN_EMAILS: 'Boss@Example.com' });
  });

  const register = (email = 'alice@example.com', password = PASSWORD, displayName = 'Alice') =>
    kit.accounts.register({ email, password, displayName });

  describe('register', () => {
    it('creates an attendee with a normalized email, an Argon2id hash and announces user.registered', async () => {
      const session = await register('  ALICE@Example.COM ');
      expect(session.user).toEqual({
        id: expect.any(String),
        email: 'alice@example.com',
        displayName: 'Alice',
        roles: ['attendee'],
        createdAt: '2030-01-01T12:00:00.000Z',
      });
      const stored = await kit.users.findById(session.user.id);
      expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(kit.users.published).toHaveLength(1);
      expect(kit.users.published[0]).toBeInstanceOf(UserRegisteredV1);
      expect(kit.users.published[0]).toMatchObject({ userId: session.user.id, email: 'alice@example.com' });
      expect(decodeJwt(session.accessToken)).toMatchObject({ sub: session.user.id, roles: ['attendee'] });
      expect(session.expiresIn).toBe(900);
    });

    it('never returns the password hash or the refresh token hash', async () => {
      const session = await register();
      const json = JSON.stringify(session);
      expect(json).not.toContain('argon2');
      expect(json).not.toContain('passwordHash');
      const [tokenHash] = kit.refreshTokens.tokens.keys();
      expect(json).not.toContain(tokenHash);
    });

    it('refuses an email already taken, whatever its case or spacing, and stores nothing', async () => {
      await register('alice@example.com');
      const error = await rejection(register(' Alice@EXAMPLE.com'));
      expect(error.code).toBe('EMAIL_TAKEN');
      expect(kit.users.published).toHaveLength(1);
    });

    it.each([
      ['a bad email', 'not-an-email', PASSWORD, 'Alice', 'email'],
      ['an empty display name', 'a@example.com', PASSWORD, '   ', 'displayName'],
      ['a display name over 80 characters', 'a@example.com', PASSWORD, 'x'.repeat(81), 'displayName'],
      ['a common password', 'a@example.com', 'password1', 'Alice', 'password'],
      ['the email as password', 'bob.smith@example.com', 'bob.smith@example.com', 'Bob', 'password'],
    ])('refuses %s with VALIDATION_FAILED naming %s', async (_case, email, password, displayName, field) => {
      const error = await rejection(register(email, password, displayName));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([expect.objectContaining({ field })]);
      expect(kit.users.published).toHaveLength(0);
    });

    it('makes configured admin emails admins (the bootstrap path)', async () => {
      const session = await register('boss@example.com');
      expect(session.user.roles).toEqual(['attendee', 'admin']);
    });
  });

  describe('login', () => {
    it('answers a session for the right password', async () => {
      const registered = await register();
      const session = await kit.accounts.login({ email: 'Alice@example.com', password: PASSWORD }, '10.0.0.1');
      expect(session.user.id).toBe(registered.user.id);
      expect(session.refreshToken).not.toBe(registered.refreshToken);
    });

    it('answers the same INVALID_CREDENTIALS for a wrong password and an unknown email', async () => {
      await register();
      const wrong = await rejection(
        kit.accounts.login({ email: 'alice@example.com', password: 'nope-nope-nope' }, 'ip'),
      );
      const unknown = await rejection(kit.accounts.login({ email: 'nobody@example.com', password: PASSWORD }, 'ip'));
      expect(wrong).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'the email or password is wrong' });
      expect(unknown).toMatchObject({ code: 'INVALID_CREDENTIALS', message: 'the email or password is wrong' });
    });

    it('grants admin at login to a configured admin email registered before the config', async () => {
      const session = await register('boss@example.com');
      await kit.users.update(session.user.id, (u) => ({ user: { ...u, roles: ['attendee'] }, messages: [] }));
      const login = await kit.accounts.login({ email: 'boss@example.com', password: PASSWORD }, 'ip');
      expect(login.user.roles).toEqual(['attendee', 'admin']);
      expect(decodeJwt(login.accessToken).roles).toEqual(['attendee', 'admin']);
    });
  });

  describe('brute-force throttling', () => {
    it('refuses the 11th wrong password from one IP with 429, but not the owner from another IP', async () => {
      await register();
      for (let i = 0; i < 10; i++) {
        const error = await rejection(
          kit.accounts.login({ email: 'alice@example.com', password: `wrong-${i}-x` }, '6.6.6.6'),
        );
        expect(error.code).toBe('INVALID_CREDENTIALS');
      }
      const blocked = await rejection(
        kit.accounts.login({ email: 'alice@example.com', password: PASSWORD }, '6.6.6.6'),
      );
      expect(blocked.code).toBe('TOO_MANY_ATTEMPTS');
      expect(blocked.details.retryAfterSeconds).toBe(900);

      await expect(
        kit.accounts.login({ email: 'alice@example.com', password: PASSWORD }, '1.2.3.4'),
      ).resolves.toBeDefined();

      kit.clock.advance(900_000);
      await expect(
        kit.accounts.login({ email: 'alice@example.com', password: PASSWORD }, '6.6.6.6'),
      ).resolves.toBeDefined();
    });

    it('counts unknown emails the same way, so the 429 does not reveal existence', async () => {
      for (let i = 0; i < 10; i++) {
        await rejection(kit.accounts.login({ email: 'ghost@example.com', password: `wrong-${i}-x` }, '6.6.6.6'));
      }
      const blocked = await rejection(kit.accounts.login({ email: 'ghost@example.com', password: 'x' }, '6.6.6.6'));
      expect(blocked.code).toBe('TOO_MANY_ATTEMPTS');
    });

    it('resets the (email, IP) counter on success', async () => {
      await register();
      for (let i = 0; i < 9; i++) {
        await rejection(kit.accounts.login({ email: 'alice@example.com', password: `wrong-${i}-x` }, 'ip'));
      }
      await kit.accounts.login({ email: 'alice@example.com', password: PASSWORD }, 'ip');
      for (let i = 0; i < 9; i++) {
        expect(
          (await rejection(kit.accounts.login({ email: 'alice@example.com', password: 'bad-bad-bad' }, 'ip'))).code,
        ).toBe('INVALID_CREDENTIALS');
      }
    });
  });

  describe('me', () => {
    it('reads and updates the caller, validating the display name', async () => {
      const { user } = await register();
      const me = { userId: user.id, roles: ['attendee' as const] };
      expect(await kit.accounts.getMe(me)).toEqual(user);
      expect(await kit.accounts.updateMe(me, { displayName: ' Alice M. ' })).toMatchObject({ displayName: 'Alice M.' });
      expect((await rejection(kit.accounts.updateMe(me, { displayName: '' }))).code).toBe('VALIDATION_FAILED');
      expect((await kit.accounts.getMe(me)).displayName).toBe('Alice M.');
    });

    it('deletes the account: user.deleted published, sessions revoked, email free again', async () => {
      const session = await register();
      const me = { userId: session.user.id, roles: ['attendee' as const] };
      await kit.accounts.deleteMe(me);
      expect(kit.users.published.at(-1)).toBeInstanceOf(UserDeletedV1);
      expect(kit.users.published.at(-1)).toMatchObject({ userId: session.user.id });
      expect((await rejection(kit.accounts.getMe(me))).code).toBe('USER_NOT_FOUND');
      expect((await rejection(kit.tokens.refresh(session.refreshToken))).code).toBe('REFRESH_TOKEN_INVALID');
      expect([...kit.refreshTokens.families.values()].every((f) => f.revokedAt)).toBe(true);
      await expect(register()).resolves.toBeDefined();
    });
  });

  describe('roles', () => {
    it('lets the caller become an organizer, with a token that says so', async () => {
      const { user } = await register();
      const change = await kit.accounts.becomeOrganizer({ userId: user.id, roles: ['attendee'] });
      expect(change.user.roles).toEqual(['attendee', 'organizer']);
      expect(decodeJwt(change.accessToken)).toMatchObject({ sub: user.id, roles: ['attendee', 'organizer'] });
    });

    it('lets only admins grant roles', async () => {
      const { user } = await register();
      const forbidden = await rejection(
        kit.accounts.grantRole({ userId: user.id, roles: ['attendee', 'organizer'] }, user.id, 'admin'),
      );
      expect(forbidden.code).toBe('FORBIDDEN');
      expect((await kit.users.findById(user.id))!.roles).toEqual(['attendee']);

      expect(await kit.accounts.grantRole(admin(), user.id, 'admin')).toMatchObject({ roles: ['attendee', 'admin'] });
      expect((await rejection(kit.accounts.grantRole(admin(), user.id, 'root'))).code).toBe('VALIDATION_FAILED');
      expect((await rejection(kit.accounts.grantRole(admin(), 'missing', 'organizer'))).code).toBe('USER_NOT_FOUND');
    });
  });
});
