/**
 * Who attended an event, as far as reviews knows: the reviews service's own projection of
 * registrations' messages (`registration.confirmed` / `promoted` / `cancelled`, `attendee.checked-in`),
 * one document per person and event (`attendance/{eventId}~{userId}`).
 *
 * A person may hold several registrations for one event over time (register, cancel, register again),
 * so the document keeps each registration's latest known state with its version: a message changes a
 * registration only when it is newer than what is held, and a check-in is a fact that never goes away.
 * Applying the same messages in any order, any number of times, gives the same document.
 */
export interface Attendance {
  eventId: string;
  userId: string;
  /** Checked in at the door with one of their registrations (the strongest proof of attending). */
  checkedIn: boolean;
  registrations: Record<string, RegistrationState>;
}

export interface RegistrationState {
  version: number;
  status: 'confirmed' | 'cancelled';
  /** For a cancelled registration that held a seat: when the seat was given up. */
  confirmedUntil?: string;
}

/** What one message says about one registration. */
export interface AttendanceFact {
  eventId: string;
  userId: string;
  registrationId: string;
  version: number;
  status: 'confirmed' | 'cancelled';
  /** For a cancellation of a confirmed registration: when it was cancelled. */
  confirmedUntil?: string;
  checkedIn?: boolean;
}

export function attendanceKey(eventId: string, userId: string): string {
  return `${eventId}~${userId}`;
}

/** The attendance after `fact`, or undefined when the fact changes nothing (old or duplicate). */
export function applyFact(current: Attendance | undefined, fact: AttendanceFact): Attendance | undefined {
  const base: Attendance = current ?? {
    eventId: fact.eventId,
    userId: fact.userId,
    checkedIn: false,
    registrations: {},
  };
  const held = base.registrations[fact.registrationId];
  const newer = !held || held.version < fact.version;
  const checksIn = fact.checkedIn === true && !base.checkedIn;
  if (!newer && !checksIn) return undefined;
  const registrations = { ...base.registrations };
  if (newer) {
    registrations[fact.registrationId] = {
      version: fact.version,
      status: fact.status,
      ...(fact.confirmedUntil ? { confirmedUntil: fact.confirmedUntil } : {}),
    };
  }
  return { ...base, checkedIn: base.checkedIn || checksIn, registrations };
}

export type Eligibility =
  { eligible: true; checkedIn: boolean } | { eligible: false; reason: 'not-an-attendee' | 'not-started' };

/**
 * Convene's rule (ARCHITECTURE.md invariant 6): a person may review an event they checked in at, or
 * one they held a confirmed registration for once it had started — still confirmed now, or confirmed
 * until a moment at or after the start.
 */
export function eligibility(attendance: Attendance | undefined, startsAt: string, now: Date): Eligibility {
  if (attendance?.checkedIn) return { eligible: true, checkedIn: true };
  const start = Date.parse(startsAt);
  const states = Object.values(attendance?.registrations ?? {});
  const heldAtStart = states.some(
    (s) => s.status === 'cancelled' && s.confirmedUntil !== undefined && Date.parse(s.confirmedUntil) >= start,
  );
  const confirmed = states.some((s) => s.status === 'confirmed');
  if (!confirmed && !heldAtStart) return { eligible: false, reason: 'not-an-attendee' };
  if (now.getTime() < start) return { eligible: false, reason: 'not-started' };
  return { eligible: true, checkedIn: false };
}
