import { GrpcServiceConfig, IntSetting, IsHostPort } from '@convene/common';

export class ReviewsConfig extends GrpcServiceConfig {
  override HTTP_PORT = 3004;

  override GRPC_PORT = 50054;

  /** The events service (an event's organizer, status and start). */
  @IsHostPort()
  EVENTS_GRPC_URL = '127.0.0.1:50052';

  /** Deadline of calls to events (ms). */
  @IntSetting(100, 60_000)
  GRPC_DEADLINE_MS = 5000;
}
