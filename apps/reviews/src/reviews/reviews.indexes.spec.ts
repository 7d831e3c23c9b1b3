import { declaredIndexes, fieldsOf } from '@convene/firestore/testing';
import { REVIEW_SORTS } from '@convene/contracts';
import { REVIEW_COLLECTIONS } from './review';
import { REVIEW_LIST_QUERIES } from './reviews.store';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
const declared = declaredIndexes();

describe('firestore.indexes.json', () => {
  it.each(REVIEW_SORTS)('covers an event’s reviews sorted by %s', (sort) => {
    const shape = REVIEW_LIST_QUERIES[sort];
    const expected = [
      ...shape.equality.map((fieldPath) => ({ fieldPath, order: 'ASCENDING' })),
      ...shape.orderedBy.map((fieldPath) => ({ fieldPath, order: 'DESCENDING' })),
    ];
    const covering = declared.filter(
      (index) =>
        index.collectionGroup === REVIEW_COLLECTIONS.reviews &&
        index.queryScope === 'COLLECTION' &&
        JSON.stringify(fieldsOf(index)) === JSON.stringify(expected),
    );
    expect(covering).toHaveLength(1);
  });
});
