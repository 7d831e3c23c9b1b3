import { SeatProjectionRepository, type RegistrationSeat, type SeatCounts } from './seat-projection.repository';

/** Unit-test fake with the adapter's semantics. */
export class InMemorySeatProjectionRepository extends SeatProjectionRepository {
  private readonly seats = new Map<string, Map<string, RegistrationSeat>>();
  async apply(seat: RegistrationSeat): Promise<boolean> {
    const ofEvent = this.seats.get(seat.eventId) ?? new Map<string, RegistrationSeat>();
    this.seats.set(seat.eventId, ofEvent);
    const held = ofEvent.get(seat.registrationId);
    if (held && held.version >= seat.version) return false;
    ofEvent.set(seat.registrationId, { ...seat });
    return true;
  }

  async counts(eventId: string): Promise<SeatCounts> {
    const seats = [...(this.seats.get(eventId)?.values() ?? [])];
    return {
      confirmed: seats.filter((s) => s.status === 'confirmed').length,
      waitlisted: seats.filter((s) => s.status === 'waitlisted').length,
    };
  }
}
