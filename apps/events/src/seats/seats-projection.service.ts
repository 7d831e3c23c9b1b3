import { Injectable } from '@nestjs/common';
import { HasSeatsRefresher } from './has-seats-refresher';
import { SeatProjectionRepository, type RegistrationSeat } from './seat-projection.repository';

/** Applies registrations' messages to the seats-taken projection (the counts events shows). */
@Injectable()
export class SeatsProjection {
  constructor(
    private readonly seats: SeatProjectionRepository,
    private readonly refresher: HasSeatsRefresher,
  ) {}

  /**
   * Records the registration's status (only if newer) and schedules the event's `hasSeats` refresh —
   * also for a duplicate, in case the delivery that applied it died before.
   */
  async record(seat: RegistrationSeat): Promise<void> {
    await this.seats.apply(seat);
    this.refresher.schedule(seat.eventId);
  }
}
