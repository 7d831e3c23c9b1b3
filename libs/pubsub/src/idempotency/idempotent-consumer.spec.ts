import type { Firestore } from '@google-cloud/firestore';
import { IdempotentConsumer } from './idempotent-consumer';

/** A Firestore whose runTransaction fails with the given errors first, then succeeds. */
function firestoreFailingWith(...errors: Error[]): { firestore: Firestore; runs: () => number } {
  let runs = 0;
  const doc = { collection: () => ({ doc: () => ({}) }) };
  const firestore = {
    collection: () => ({ doc: () => doc }),
    runTransaction: async () => {
      runs += 1;
      const error = errors.shift();
      if (error) throw error;
      return { applied: true, result: 'done' };
    },
  } as unknown as Firestore;
  return { firestore, runs: () => runs };
}

function grpcError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('IdempotentConsumer contention', () => {
  it.each([
    ['ALREADY_EXISTS (a duplicate created the marker)', grpcError(6, '6 ALREADY_EXISTS: Document already exists')],
    ['ABORTED (the SDK ran out of retries)', grpcError(10, '10 ABORTED: Transaction lock timeout')],
    ['a transaction the backend closed', grpcError(3, '3 INVALID_ARGUMENT: Transaction is invalid or closed.')],
  ])('runs again after %s', async (_name, error) => {
    const { firestore, runs } = firestoreFailingWith(error);
    const consumer = new IdempotentConsumer(firestore, { service: 'notifications' });
    await expect(consumer.runOnce('c', 'e', async () => 'done')).resolves.toEqual({ applied: true, result: 'done' });
    expect(runs()).toBe(2);
  });

  it('does not retry other errors, and gives up after five runs', async () => {
    const invalid = firestoreFailingWith(grpcError(3, '3 INVALID_ARGUMENT: Value for argument "data" is not valid'));
    await expect(
      new IdempotentConsumer(invalid.firestore, { service: 'notifications' }).runOnce('c', 'e', async () => 'x'),
    ).rejects.toThrow('not valid');
    expect(invalid.runs()).toBe(1);

    const aborted = firestoreFailingWith(...Array.from({ length: 6 }, () => grpcError(10, 'ABORTED')));
    await expect(
      new IdempotentConsumer(aborted.firestore, { service: 'notifications' }).runOnce('c', 'e', async () => 'x'),
    ).rejects.toThrow('ABORTED');
    expect(aborted.runs()).toBe(5);
  });
});
