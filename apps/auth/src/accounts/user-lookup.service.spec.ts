import { randomUUID } from 'node:crypto';
import type { Identity } from '@convene/common';
import { GET_USERS_MAX } from '@convene/contracts';
import { authTestKit, rejection } from '../testing/auth-test-kit';

const PASSWORD = 'violet-tram-42-quietly';
const ORGANIZER: Identity = { userId: 'organizer-1', roles: ['attendee', 'organizer'] };
const ADMIN: Identity = { userId: 'admin-1', roles: ['attendee', 'admin'] };
const ATTENDEE: Identity = { userId: 'attendee-1', roles: ['attendee'] };

describe('UserLookupService', () => {
  let kit: ReturnType<typeof authTestKit>;
  beforeEach(() => {
    kit = authTestKit();
  });

  const register = async (email: string, displayName: string) =>
    (await kit.accounts.register({ email, password: PASSWORD, displayName })).user;

  describe('getUsers', () => {
    it('names the accounts asked for, in the order asked, leaving unknown ids out and nothing else in', async () => {
      const ada = await register('ada@example.com', 'Ada');
      const grace = await register('grace@example.com', 'Grace');

      const users = await kit.lookup.getUsers([grace.id, randomUUID(), ada.id, grace.id]);

      expect(users).toEqual([
        { id: grace.id, email: 'grace@example.com', displayName: 'Grace' },
        { id: ada.id, email: 'ada@example.com', displayName: 'Ada' },
      ]);
      expect(await kit.lookup.getUsers([])).toEqual([]);
    });

    it(`accepts ${GET_USERS_MAX} ids and refuses more, naming ids`, async () => {
      const ids = Array.from({ length: GET_USERS_MAX }, () => randomUUID());
      expect(await kit.lookup.getUsers(ids)).toEqual([]);
      const error = await rejection(kit.lookup.getUsers([...ids, randomUUID()]));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([{ field: 'ids', message: expect.any(String) }]);
    });

    it('refuses an id that is not a uuid (it would become a document path), naming ids', async () => {
      const error = await rejection(kit.lookup.getUsers([randomUUID(), 'users/x']));
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.errors).toEqual([{ field: 'ids', message: expect.any(String) }]);
    });
  });

  describe('findByEmail', () => {
    it('finds the account by its email compared as login does (case and surrounding spaces ignored)', async () => {
      const ada = await register('Ada@Example.com', 'Ada');
      for (const typed of ['ada@example.com', '  ADA@EXAMPLE.COM ']) {
        expect(await kit.lookup.findByEmail(ORGANIZER, typed)).toEqual({
          id: ada.id,
          email: 'ada@example.com',
          displayName: 'Ada',
        });
      }
      expect((await kit.lookup.findByEmail(ADMIN, 'ada@example.com')).id).toBe(ada.id);
    });

    it('answers USER_NOT_FOUND for an email no account has (an exact match, not a prefix)', async () => {
      await register('ada@example.com', 'Ada');
      for (const email of ['bob@example.com', 'ada@example.co', 'da@example.com']) {
        expect((await rejection(kit.lookup.findByEmail(ORGANIZER, email))).code).toBe('USER_NOT_FOUND');
      }
    });

    it.each(['not-an-email', '', 'a/b@example.com', `${'x'.repeat(250)}@example.com`])(
      'refuses %p with VALIDATION_FAILED naming email',
      async (email) => {
        const error = await rejection(kit.lookup.findByEmail(ORGANIZER, email));
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
      },
    );

    it('is for organizers and admins only (FORBIDDEN), before saying whether the email exists', async () => {
      await register('ada@example.com', 'Ada');
      expect((await rejection(kit.lookup.findByEmail(ATTENDEE, 'ada@example.com'))).code).toBe('FORBIDDEN');
      expect((await rejection(kit.lookup.findByEmail(ATTENDEE, 'nobody@example.com'))).code).toBe('FORBIDDEN');
    });
  });
});
