import { declaredIndexes, fieldsOf } from '@convene/firestore/testing';
import { MY_REGISTRATIONS_QUERY } from './registrations.store';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
const declared = declaredIndexes();

describe('firestore.indexes.json', () => {
  it.each(['ASCENDING', 'DESCENDING'])('covers "my registrations" ordered %s', (order) => {
    const shape = MY_REGISTRATIONS_QUERY;
    const covering = declared.filter(
      (index) =>
        index.collectionGroup === shape.collection &&
        index.queryScope === 'COLLECTION' &&
        JSON.stringify(fieldsOf(index)) ===
          JSON.stringify([
            { fieldPath: shape.equality, order: 'ASCENDING' },
            { fieldPath: shape.orderedBy, order },
          ]),
    );
    expect(covering).toHaveLength(1);
  });
});
