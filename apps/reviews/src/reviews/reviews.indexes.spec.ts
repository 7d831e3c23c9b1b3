import { indexesWithFields, type IndexField } from '@convene/firestore/testing';
import { REVIEW_SORTS } from '@convene/contracts';
import { REVIEW_COLLECTIONS } from './review';
import { REVIEW_LIST_QUERIES } from './reviews.store';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
describe('firestore.indexes.json', () => {
  it.each(REVIEW_SORTS)('covers an event’s reviews sorted by %s', (sort) => {
    const shape = REVIEW_LIST_QUERIES[sort];
    const expected: IndexField[] = [
      ...shape.equality.map((fieldPath) => ({ fieldPath, order: 'ASCENDING' as const })),
      ...shape.orderedBy.map((fieldPath) => ({ fieldPath, order: 'DESCENDING' as const })),
    ];
    const covering = indexesWithFields(REVIEW_COLLECTIONS.reviews, expected);
    expect(covering).toHaveLength(1);
  });
});
