import { declaredIndexes, fieldsOf, type CompositeIndex as Index } from '@convene/firestore/testing';
import { attendeesQueryShape, type AttendeesQueryShape } from './attendees.query';

/**
 * Production Firestore refuses a query without its composite index (the emulator does not check).
 * The attendee list's query is built from attendeesQueryShape, so checking every shape it can return
 * against firestore.indexes.json checks every query the code can run.
 */

const declared = declaredIndexes();

/** The index a shape needs: its equality fields (any order, ascending), then the ordered field ascending. */
function satisfies(index: Index, shape: AttendeesQueryShape): boolean {
  if (index.collectionGroup !== 'registrations' || index.queryScope !== 'COLLECTION') return false;
  const fields = fieldsOf(index);
  const equalities = fields.slice(0, shape.equalities.length);
  const rest = fields.slice(shape.equalities.length);
  return (
    equalities.every((f) => f.order === 'ASCENDING') &&
    equalities
      .map((f) => f.fieldPath)
      .sort()
      .join() === [...shape.equalities].sort().join() &&
    JSON.stringify(rest) === JSON.stringify([{ fieldPath: shape.orderedBy, order: 'ASCENDING' }])
  );
}

const presence = [false, true];
const filters = presence.flatMap((status) =>
  presence.map((checkedIn) => ({
    status: status ? ('confirmed' as const) : undefined,
    checkedIn: checkedIn ? true : undefined,
  })),
);

describe('firestore.indexes.json', () => {
  it.each(filters)('covers the attendee list filtered by %j', (filter) => {
    expect(declared.some((index) => satisfies(index, attendeesQueryShape(filter)))).toBe(true);
  });

  it('would fail for a filter without an index (the check can fail)', () => {
    const uncovered = { equalities: ['eventId', 'userId'], orderedBy: 'createdAt' } as unknown as AttendeesQueryShape;
    expect(declared.some((index) => satisfies(index, uncovered))).toBe(false);
  });
});
