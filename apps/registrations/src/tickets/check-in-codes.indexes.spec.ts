import { declaredIndexes, fieldsOf } from '@convene/firestore/testing';
import { CHECK_IN_CODE_QUERY } from './check-in-codes';

/**
 * Production Firestore may refuse (or merge slowly) the typed-code lookup without its composite index
 * (the emulator does not check): the lookup's equalities must be declared in firestore.indexes.json.
 */
function covers(equalities: readonly string[]): boolean {
  return declaredIndexes().some((index) => {
    const fields = fieldsOf(index);
    return (
      index.collectionGroup === CHECK_IN_CODE_QUERY.collection &&
      index.queryScope === 'COLLECTION' &&
      fields.length === equalities.length &&
      fields.every((f) => f.order === 'ASCENDING') &&
      fields
        .map((f) => f.fieldPath)
        .sort()
        .join() === [...equalities].sort().join()
    );
  });
}

describe('firestore.indexes.json', () => {
  it('declares the index of the check-in code lookup (event, code)', () => {
    expect(covers(CHECK_IN_CODE_QUERY.equalities)).toBe(true);
  });

  it('would fail for a lookup without an index (the check can fail)', () => {
    expect(covers(['eventId', 'holderName'])).toBe(false);
  });
});
