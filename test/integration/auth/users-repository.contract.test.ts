import { randomUUID } from 'node:crypto';
import { UserDeletedV1, UserRegisteredV1 } from '@convene/contracts';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { Outbox, outboxCollection } from '@convene/pubsub';
import { FirestoreUsersRepository } from '../../../apps/auth/src/accounts/firestore-users.repository';
import { InMemoryUsersRepository } from '../../../apps/auth/src/accounts/in-memory-users.repository';
import type { User } from '../../../apps/auth/src/accounts/user';
import type { UsersRepository } from '../../../apps/auth/src/accounts/users.repository';

function aUser(overrides: Partial<User> = {}): User {
  return {
    id: randomUUID(),
    email: `${randomUUID().slice(0, 8)}@example.com`,
    displayName: 'Contract',
    roles: ['attendee'],
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g',
    createdAt: '2031-01-01T00:00:00.000Z',
    ...overrides,
  };
}

const registered = (user: User) =>
  Object.assign(new UserRegisteredV1(), {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    registeredAt: user.createdAt,
  });

const outboxes = new WeakMap<UsersRepository, () => Promise<number>>();

describeRepositoryContract<UsersRepository>(
  'UsersRepository',
  {
    fake: () => {
      const repository = new InMemoryUsersRepository();
      outboxes.set(repository, async () => repository.published.length);
      return repository;
    },
    firestore: (db) => {
      const repository = new FirestoreUsersRepository(db, new Outbox(db, { service: 'auth' }));
      outboxes.set(repository, async () => (await outboxCollection(db, 'auth').count().get()).data().count);
      return repository;
    },
  },
  (repository) => {
    const outboxSize = (): Promise<number> => outboxes.get(repository())!();

    it('reads back what it stored, by id and by email, with its message', async () => {
      const user = aUser();
      await repository().create(user, [registered(user)]);
      expect(await repository().findById(user.id)).toEqual(user);
      expect(await repository().findByEmail(user.email)).toEqual(user);
      expect(await outboxSize()).toBe(1);
    });

    it('answers undefined for an unknown id or email', async () => {
      expect(await repository().findById(randomUUID())).toBeUndefined();
      expect(await repository().findByEmail('nobody@example.com')).toBeUndefined();
    });

    it('refuses a second user with the same email with EMAIL_TAKEN, writing nothing', async () => {
      const first = aUser();
      await repository().create(first, [registered(first)]);
      const second = aUser({ email: first.email });
      await expect(repository().create(second, [registered(second)])).rejects.toMatchObject({ code: 'EMAIL_TAKEN' });
      expect(await repository().findById(second.id)).toBeUndefined();
      expect(await repository().findByEmail(first.email)).toEqual(first);
      expect(await outboxSize()).toBe(1);
    });

    it('updates through a change, and writes nothing when the change refuses', async () => {
      const user = aUser();
      await repository().create(user, []);
      const updated = await repository().update(user.id, (u) => ({
        user: { ...u, roles: ['attendee', 'organizer'] },
        messages: [],
      }));
      expect(updated!.roles).toEqual(['attendee', 'organizer']);
      await expect(
        repository().update(user.id, () => {
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      expect(await repository().findById(user.id)).toEqual(updated);
      expect(await repository().update(randomUUID(), (u) => ({ user: u, messages: [] }))).toBeUndefined();
    });

    it('deletes the user and frees the email, with its message', async () => {
      const user = aUser();
      await repository().create(user, []);
      const deleted = await repository().delete(user.id, (u) => [
        Object.assign(new UserDeletedV1(), { userId: u.id, deletedAt: '2031-02-01T00:00:00.000Z' }),
      ]);
      expect(deleted).toEqual(user);
      expect(await repository().findById(user.id)).toBeUndefined();
      expect(await repository().findByEmail(user.email)).toBeUndefined();
      expect(await outboxSize()).toBe(1);
      await expect(repository().create(aUser({ email: user.email }), [])).resolves.toBeUndefined();
      expect(await repository().delete(randomUUID(), () => [])).toBeUndefined();
    });
  },
);
