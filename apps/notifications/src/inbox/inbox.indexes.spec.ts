import { declaredIndexes, fieldsOf } from '@convene/firestore/testing';
import { INBOX_QUERIES } from './inbox.store';
import { NOTIFICATIONS_COLLECTION } from './notification';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
const declared = declaredIndexes();

describe('firestore.indexes.json', () => {
  it.each(Object.entries(INBOX_QUERIES))('covers the inbox query "%s"', (_name, shape) => {
    const expected = [
      ...shape.equality.map((fieldPath) => ({ fieldPath, order: 'ASCENDING' })),
      ...shape.orderedBy.map(({ field, direction }) => ({ fieldPath: field, order: direction })),
    ];
    const covering = declared.filter(
      (index) =>
        index.collectionGroup === NOTIFICATIONS_COLLECTION &&
        JSON.stringify(fieldsOf(index)) === JSON.stringify(expected),
    );
    expect(covering).toHaveLength(1);
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
    expect(
      declared.filter((i) => i.collectionGroup === group && JSON.stringify(fieldsOf(i)) === JSON.stringify(expected)),
    ).toHaveLength(1);
  });
});
