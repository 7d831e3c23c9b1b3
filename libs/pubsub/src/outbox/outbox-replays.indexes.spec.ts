import { declaredIndexes, fieldsOf } from '@convene/firestore/testing';
import { OUTBOX_REPLAY_QUERY } from './outbox-replays';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
describe('firestore.indexes.json', () => {
  it('covers the outbox replay query (one type of message, sent since a time)', () => {
    const shape = OUTBOX_REPLAY_QUERY;
    const covering = declaredIndexes().filter(
      (index) =>
        index.collectionGroup === shape.collection &&
        index.queryScope === 'COLLECTION' &&
        JSON.stringify(fieldsOf(index)) ===
          JSON.stringify([
            { fieldPath: shape.equality, order: 'ASCENDING' },
            { fieldPath: shape.range, order: 'ASCENDING' },
          ]),
    );
    expect(covering).toHaveLength(1);
  });
});
