import { DomainError } from '@convene/common';
import { encodeAttendeeCursor } from './attendee-cursor';
import { attendeesFilterOf, attendeesQueryShape } from './attendees.query';

const EVENT_ID = '6f1c2b1e-0d1f-4c39-9c43-2b8a8c7b4a11';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return error.details.errors?.[0]?.field;
    throw error;
  }
  throw new Error('expected VALIDATION_FAILED');
}

describe('attendeesFilterOf', () => {
  it('defaults the limit to 100 and keeps the filters', () => {
    expect(attendeesFilterOf({ eventId: EVENT_ID, limit: 0, status: 'confirmed', checkedIn: false })).toEqual({
      eventId: EVENT_ID,
      status: 'confirmed',
      checkedIn: false,
      limit: 100,
      after: undefined,
    });
  });

  it('accepts limits from 1 to 1000 and decodes the cursor', () => {
    const after = { createdAt: '2030-01-01T10:00:00.000Z', id: 'abc' };
    expect(attendeesFilterOf({ eventId: EVENT_ID, limit: 1000, cursor: encodeAttendeeCursor(after) })).toMatchObject({
      limit: 1000,
      after,
    });
    expect(attendeesFilterOf({ eventId: EVENT_ID, limit: 1 }).limit).toBe(1);
  });

  it.each([
    ['limit', { limit: 1001 }],
    ['limit', { limit: -1 }],
    ['limit', { limit: 2.5 }],
    ['status', { status: 'checked-in' }],
    ['cursor', { cursor: 'nope' }],
    ['eventId', { eventId: 'not-a-uuid' }],
  ])('refuses a bad %s', (field, override) => {
    expect(fieldOf(() => attendeesFilterOf({ eventId: EVENT_ID, limit: 10, ...override }))).toBe(field);
  });
});

describe('attendeesQueryShape', () => {
  it('compares the event, then each given filter, and orders by registration time', () => {
    expect(attendeesQueryShape({})).toEqual({ equalities: ['eventId'], orderedBy: 'createdAt' });
    expect(attendeesQueryShape({ status: 'waitlisted', checkedIn: false })).toEqual({
      equalities: ['eventId', 'status', 'checkedIn'],
      orderedBy: 'createdAt',
    });
  });
});
