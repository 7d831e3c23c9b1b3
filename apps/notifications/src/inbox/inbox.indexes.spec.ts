import { indexesWithFields, type IndexField } from '@convene/firestore/testing';
import { INBOX_QUERIES } from './inbox.store';
import { NOTIFICATIONS_COLLECTION } from './notification';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
describe('firestore.indexes.json', () => {
  it.each(Object.entries(INBOX_QUERIES))('covers the inbox query "%s"', (_name, shape) => {
    const expected: IndexField[] = [
      ...shape.equality.map((fieldPath) => ({ fieldPath, order: 'ASCENDING' as const })),
      ...shape.orderedBy.map(({ field, direction }) => ({ fieldPath: field, order: direction })),
    ];
    expect(indexesWithFields(NOTIFICATIONS_COLLECTION, expected)).toHaveLength(1);
  });

  it.each([
    [
      'fanouts',
      [
        { fieldPath: 'status', order: 'ASCENDING' },
        { fieldPath: 'leaseUntil', order: 'ASCENDING' },
      ],
    ],
    [
      'eventFacts',
      [
        { fieldPath: 'status', order: 'ASCENDING' },
        { fieldPath: 'startsAt', order: 'ASCENDING' },
      ],
    ],
  ])('covers the %s worker query', (group, expected) => {
    expect(indexesWithFields(group, expected as IndexField[])).toHaveLength(1);
  });
});
