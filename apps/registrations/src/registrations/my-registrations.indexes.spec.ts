import { indexesWithFields } from '@convene/firestore/testing';
import { MY_REGISTRATIONS_QUERY } from './registrations.store';

/** Production Firestore refuses a query without its composite index; the emulator does not check. */
describe('firestore.indexes.json', () => {
  it.each(['ASCENDING', 'DESCENDING'] as const)('covers "my registrations" ordered %s', (order) => {
    const shape = MY_REGISTRATIONS_QUERY;
    const covering = indexesWithFields(shape.collection, [
      { fieldPath: shape.equality, order: 'ASCENDING' },
      { fieldPath: shape.orderedBy, order },
    ]);
    expect(covering).toHaveLength(1);
  });
});
