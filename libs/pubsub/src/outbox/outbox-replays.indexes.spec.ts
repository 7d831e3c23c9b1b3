import { indexesWithFields } from '@convene/firestore/testing';
import { OUTBOX_REPLAY_QUERY } from './outbox-replays';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
describe('firestore.indexes.json', () => {
  it('covers the outbox replay query (one type of message, sent since a time)', () => {
    const shape = OUTBOX_REPLAY_QUERY;
    const covering = indexesWithFields(shape.collection, [
      { fieldPath: shape.equality, order: 'ASCENDING' },
      { fieldPath: shape.range, order: 'ASCENDING' },
    ]);
    expect(covering).toHaveLength(1);
  });
});
