import { randomUUID } from 'node:crypto';
import { AttendanceStore } from '../../../apps/reviews/src/attendance/attendance.store';
import { applyFact, type Attendance, type AttendanceFact } from '../../../apps/reviews/src/attendance/attendance';
import { privateFirestore } from '../../support/firestore';

jest.setTimeout(120_000);

/**
 * Concurrent messages about one person's registrations contend on one document: on a private emulator,
 * because the emulator serializes contending transactions with multi-second lock timeouts.
 */
describe('the attendance projection under redelivery and reordering', () => {
  const firestore = privateFirestore('attendance-test');

  it('ends as the in-order result when every message arrives twice, at once, in any order', async () => {
    const store = new AttendanceStore(firestore.db());
    const eventId = randomUUID();
    const userId = randomUUID();
    const [first, second] = [randomUUID(), randomUUID()];
    const facts: AttendanceFact[] = [
      { eventId, userId, registrationId: first, version: 1, status: 'confirmed' },
      {
        eventId,
        userId,
        registrationId: first,
        version: 2,
        status: 'cancelled',
        confirmedUntil: '2026-01-01T00:00:00.000Z',
      },
      { eventId, userId, registrationId: second, version: 1, status: 'confirmed' },
      { eventId, userId, registrationId: second, version: 2, status: 'confirmed', checkedIn: true },
    ];
    const inOrder = facts.reduce<Attendance | undefined>((held, fact) => applyFact(held, fact) ?? held, undefined);

    const deliveries = [...facts, ...facts].sort(() => Math.random() - 0.5);
    await Promise.all(deliveries.map((fact) => store.apply(fact)));

    expect(await store.get(eventId, userId)).toEqual(inOrder);
  });
});
