import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '../firestore.provider';

/**
 * Runs one repository contract suite twice: against the in-memory fake and against the Firestore
 * adapter on the emulator. Whatever the fake lets unit tests assume, the real adapter must honour.
 *
 *   describeRepositoryContract('EventsRepository', {
 *     fake: () => new InMemoryEventsRepository(),
 *     firestore: (db) => new FirestoreEventsRepository(db),
 *   }, (repo) => { it('...', async () => { await repo().save(...) }) });
 *
 * Each emulator test gets its own project id, so suites never see each other's documents.
 */
export function describeRepositoryContract<R>(
  name: string,
  factories: { fake: () => R; firestore: (db: Firestore) => R },
  suite: (repository: () => R) => void,
): void {
  describe(`${name} contract`, () => {
    describe('in-memory fake', () => {
      let repository: R;
      beforeEach(() => {
        repository = factories.fake();
      });
      suite(() => repository);
    });

    describe('Firestore adapter on the emulator', () => {
      let db: Firestore;
      let repository: R;
      beforeEach(() => {
        const emulatorHost = process.env.FIRESTORE_EMULATOR_HOST;
        if (!emulatorHost) throw new Error('FIRESTORE_EMULATOR_HOST is not set: run through `npm test`');
        db = createFirestore({ projectId: `contract-${randomUUID().slice(0, 8)}`, emulatorHost });
        repository = factories.firestore(db);
      });
      afterEach(async () => {
        await db.terminate();
      });
      suite(() => repository);
    });
  });
}
