import type { Identity } from '@convene/common';

/** The capacity of an event as events records it, sent along with a resize. */
export interface CapacitySnapshot {
  id: string;
  organizerId: string;
  capacity: number;
  capacityVersion: number;
}

/** What registrations applied: `capacityVersion` is its own, so the highest one is the latest change. */
export interface CapacityResize {
  capacity: number;
  capacityVersion: number;
  confirmed: number;
  /** Waitlisted attendees let in by a raise. */
  promoted: number;
}

/**
 * Registrations, the authority on seats. A published event's capacity changes there first (inside
 * the transaction that also serializes registrations): it refuses a capacity below the confirmed count
 * with CAPACITY_BELOW_CONFIRMED and promotes the waitlist on a raise. See docs/architecture.md.
 */
export abstract class SeatAuthority {
  abstract resize(event: CapacitySnapshot, capacity: number, actor: Identity): Promise<CapacityResize>;
}
