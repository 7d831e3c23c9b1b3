import { declaredIndexes, fieldsOf, type CompositeIndex as Index, type IndexField } from '@convene/firestore/testing';
import { listQueryShape, ownEventsQueryShape, type ListQueryShape } from './list-events.query';

/**
 * Production Firestore refuses a query without its composite index (the emulator does not check).
 * The listing's query is built from listQueryShape, so checking every shape it can return against
 * firestore.indexes.json checks every query the code can run.
 */

const declared = declaredIndexes();

/** The index a shape needs: equality fields (any order), then the array, then the ordered field. */
function satisfies(index: Index, shape: ListQueryShape): boolean {
  if (index.collectionGroup !== 'events' || index.queryScope !== 'COLLECTION') return false;
  const fields = fieldsOf(index);
  const equalities = fields.slice(0, shape.equalities.length);
  const rest = fields.slice(shape.equalities.length);
  const expectedRest: IndexField[] = [
    ...(shape.arrayContains ? [{ fieldPath: shape.arrayContains, arrayConfig: 'CONTAINS' as const }] : []),
    { fieldPath: shape.orderedBy, order: 'ASCENDING' },
  ];
  return (
    equalities.every((f) => f.order === 'ASCENDING') &&
    [...equalities.map((f) => f.fieldPath)].sort().join() === [...shape.equalities].sort().join() &&
    JSON.stringify(rest) === JSON.stringify(expectedRest)
  );
}

const presence = [false, true];
const combinations = presence.flatMap((q) =>
  presence.flatMap((category) =>
    presence.flatMap((organizerId) =>
      presence.map((hasSeats) => ({
        q: q ? 'word' : undefined,
        category: category ? ('meetup' as const) : undefined,
        organizerId: organizerId ? 'someone' : undefined,
        hasSeats: hasSeats || undefined,
      })),
    ),
  ),
);

describe('firestore.indexes.json', () => {
  it.each(combinations)('covers the event listing filtered by %j', (filter) => {
    const shape = listQueryShape(filter);
    expect(declared.some((index) => satisfies(index, shape))).toBe(true);
  });

  it('filters on hasSeats only when asked for events with seats left', () => {
    expect(listQueryShape({ hasSeats: true }).equalities).toContain('hasSeats');
    expect(listQueryShape({ hasSeats: false }).equalities).not.toContain('hasSeats');
  });

  it("covers an organizer's own events", () => {
    expect(declared.some((index) => satisfies(index, ownEventsQueryShape()))).toBe(true);
  });

  it('would fail for a filter without an index (the check can fail)', () => {
    const uncovered: ListQueryShape = { equalities: ['status', 'visibility', 'timezone'], orderedBy: 'startsAt' };
    expect(declared.some((index) => satisfies(index, uncovered))).toBe(false);
  });

  it('declares the outbox relay index (status, nextAttemptAt)', () => {
    expect(
      declared.some(
        (i) => i.collectionGroup === 'messages' && i.fields.map((f) => f.fieldPath).join() === 'status,nextAttemptAt',
      ),
    ).toBe(true);
  });
});
