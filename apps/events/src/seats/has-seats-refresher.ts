import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { EventsRepository } from '../events/events.repository';
import { SeatProjectionRepository } from './seat-projection.repository';

/** How long after an applied message an event's `hasSeats` is recomputed (ms). Provided from config. */
export abstract class HasSeatsRefreshSettings {
  abstract readonly delayMs: number;
}

const MAX_ATTEMPTS = 5;

/**
 * Keeps each event's `hasSeats` flag (the listing's "has seats" filter) in step with the seats
 * projection, writing the event document at most once per delay per event and process, and only when
 * the flag flips: a flash sale's thousands of messages for one event must not each write it.
 */
@Injectable()
export class HasSeatsRefresher implements OnApplicationShutdown {
  private readonly logger = new Logger(HasSeatsRefresher.name);
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly events: EventsRepository,
    private readonly seats: SeatProjectionRepository,
    private readonly settings: HasSeatsRefreshSettings,
  ) {}

  /**
   * Refreshes the event's flag after the delay, unless a refresh is already due: that one runs after
   * this message was applied, so it covers it. A message applied while a refresh runs schedules the next.
   */
  schedule(eventId: string, attempt = 1): void {
    if (this.pending.has(eventId)) return;
    const timer = setTimeout(() => {
      this.pending.delete(eventId);
      this.refresh(eventId).catch((error: unknown) => {
        const failure = { eventId, attempt, error: error instanceof Error ? error.message : String(error) };
        if (attempt >= MAX_ATTEMPTS) {
          this.logger.error({ message: 'gave up refreshing hasSeats until the next message', ...failure });
          return;
        }
        this.logger.warn({ message: 'refreshing hasSeats failed; will retry', ...failure });
        this.schedule(eventId, attempt + 1);
      });
    }, this.settings.delayMs);
    timer.unref();
    this.pending.set(eventId, timer);
  }

  /** Recomputes the flag from the projection's confirmed count and the event's capacity. */
  async refresh(eventId: string): Promise<void> {
    const event = await this.events.findById(eventId);
    if (event?.status !== 'published') return;
    const { confirmed } = await this.seats.counts(eventId);
    const hasSeats = confirmed < event.capacity;
    if (hasSeats === event.hasSeats) return;
    // Written only if the capacity is still the one it was computed with: a capacity change sets the
    // flag itself, from registrations' own count.
    await this.events.setHasSeats(eventId, hasSeats, { capacity: event.capacity });
  }

  onApplicationShutdown(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
