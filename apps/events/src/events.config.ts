import { GrpcServiceConfig, IntSetting, IsHostPort } from '@convene/common';

export class EventsConfig extends GrpcServiceConfig {
  override HTTP_PORT = 3002;

  override GRPC_PORT = 50052;

  /** The registrations service: the authority on seats, asked before a published event's capacity changes. */
  @IsHostPort()
  REGISTRATIONS_GRPC_URL = '127.0.0.1:50053';

  /** Deadline of calls to registrations (ms). */
  @IntSetting(100, 60_000)
  GRPC_DEADLINE_MS = 5000;

  /**
   * How long after it was read from Firestore a public event or listing page may still be served from
   * memory (ms; 0 disables). Entries read again after half that age are refreshed in the background.
   */
  @IntSetting(0, 60_000)
  EVENTS_READ_CACHE_MS = 2000;

  /**
   * How long after a registration message an event's `hasSeats` flag is recomputed (ms): at most one
   * write of the event document per this interval, event and replica, however many messages arrive.
   */
  @IntSetting(100, 60_000)
  HAS_SEATS_REFRESH_MS = 1000;
}
