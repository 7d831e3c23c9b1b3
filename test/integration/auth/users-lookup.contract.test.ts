import { randomUUID } from 'node:crypto';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { Outbox } from '@convene/pubsub';
import { FirestoreUsersRepository } from '../../../apps/auth/src/accounts/firestore-users.repository';
import { InMemoryUsersRepository } from '../../../apps/auth/src/accounts/in-memory-users.repository';
import type { User } from '../../../apps/auth/src/accounts/user';
import type { UsersRepository } from '../../../apps/auth/src/accounts/users.repository';

/** UsersRepository's batched lookup (GetUsers), on the fake and on the emulator alike. */
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

describeRepositoryContract<UsersRepository>(
  'UsersRepository lookups',
  {
    fake: () => new InMemoryUsersRepository(),
    firestore: (db) => new FirestoreUsersRepository(db, new Outbox(db, { service: 'auth' })),
  },
  (repository) => {
    it('reads many users at once, in the order asked, leaving unknown and deleted ones out', async () => {
      const [ada, grace, gone] = [aUser({ displayName: 'Ada' }), aUser({ displayName: 'Grace' }), aUser()];
      for (const user of [ada, grace, gone]) await repository().create(user, []);
      await repository().delete(gone.id, () => []);

      expect(await repository().findByIds([grace.id, randomUUID(), gone.id, ada.id])).toEqual([grace, ada]);
      expect(await repository().findByIds([])).toEqual([]);
    });
  },
);
