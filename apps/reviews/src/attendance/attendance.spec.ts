import { applyFact, eligibility, type Attendance, type AttendanceFact } from './attendance';

const eventId = 'e';
const userId = 'u';
const startsAt = '2026-06-01T18:00:00.000Z';
const before = new Date('2026-06-01T17:00:00.000Z');
const after = new Date('2026-06-01T19:00:00.000Z');

function fact(registrationId: string, version: number, status: 'confirmed' | 'cancelled', extra = {}): AttendanceFact {
  return { eventId, userId, registrationId, version, status, ...extra };
}

function applyAll(facts: AttendanceFact[]): Attendance | undefined {
  return facts.reduce<Attendance | undefined>((held, f) => applyFact(held, f) ?? held, undefined);
}

describe('attendance projection', () => {
  it('ignores a duplicate and an older message', () => {
    const confirmed = applyFact(undefined, fact('r', 1, 'confirmed'));
    expect(applyFact(confirmed, fact('r', 1, 'confirmed'))).toBeUndefined();
    const cancelled = applyFact(confirmed, fact('r', 2, 'cancelled'));
    expect(applyFact(cancelled, fact('r', 1, 'confirmed'))).toBeUndefined();
    expect(cancelled?.registrations.r.status).toBe('cancelled');
  });

  it('keeps a check-in whatever arrives after it', () => {
    const checkedIn = applyFact(undefined, fact('r', 2, 'confirmed', { checkedIn: true }));
    const cancelled = applyFact(checkedIn, fact('r', 3, 'cancelled'));
    expect(cancelled?.checkedIn).toBe(true);
    // A late, older check-in message still records the check-in if it was missing.
    const late = applyFact(
      applyFact(undefined, fact('r', 3, 'cancelled')),
      fact('r', 2, 'confirmed', { checkedIn: true }),
    );
    expect(late?.checkedIn).toBe(true);
    expect(late?.registrations.r.status).toBe('cancelled');
  });

  it('converges to the same document in every delivery order', () => {
    const facts = [
      fact('r1', 1, 'confirmed'),
      fact('r1', 2, 'cancelled', { confirmedUntil: '2026-05-01T00:00:00.000Z' }),
      fact('r2', 1, 'confirmed'),
      fact('r2', 2, 'confirmed', { checkedIn: true }),
    ];
    const expected = applyAll(facts);
    for (let i = 0; i < 50; i++) {
      const shuffled = [...facts, ...facts].sort(() => Math.random() - 0.5);
      expect(applyAll(shuffled)).toEqual(expected);
    }
  });
});

describe('review eligibility', () => {
  it('lets in whoever checked in, even before the start', () => {
    const attendance = applyAll([fact('r', 2, 'confirmed', { checkedIn: true })]);
    expect(eligibility(attendance, startsAt, before)).toEqual({ eligible: true, checkedIn: true });
  });

  it('lets a confirmed attendee in once the event started, not before', () => {
    const attendance = applyAll([fact('r', 1, 'confirmed')]);
    expect(eligibility(attendance, startsAt, before)).toEqual({ eligible: false, reason: 'not-started' });
    expect(eligibility(attendance, startsAt, after)).toEqual({ eligible: true, checkedIn: false });
  });

  it('counts a seat given up after the start, not one given up before', () => {
    const late = applyAll([fact('r', 2, 'cancelled', { confirmedUntil: '2026-06-01T18:30:00.000Z' })]);
    expect(eligibility(late, startsAt, after)).toEqual({ eligible: true, checkedIn: false });
    const early = applyAll([fact('r', 2, 'cancelled', { confirmedUntil: '2026-06-01T12:00:00.000Z' })]);
    expect(eligibility(early, startsAt, after)).toEqual({ eligible: false, reason: 'not-an-attendee' });
  });

  it('refuses someone who never held a seat', () => {
    expect(eligibility(undefined, startsAt, after)).toEqual({ eligible: false, reason: 'not-an-attendee' });
    const waitedThenLeft = applyAll([fact('r', 2, 'cancelled')]);
    expect(eligibility(waitedThenLeft, startsAt, after)).toEqual({ eligible: false, reason: 'not-an-attendee' });
  });
});
