import { GrpcServiceConfig, IntSetting, IsHostPort } from '@convene/common';

export class RegistrationsConfig extends GrpcServiceConfig {
  override HTTP_PORT = 3003;

  override GRPC_PORT = 50053;

  /** The events service (what an event is: status, times, organizer, staff, waitlist setting). */
  @IsHostPort()
  EVENTS_GRPC_URL = '127.0.0.1:50052';

  /** The auth service (the holder's display name, printed on the ticket). */
  @IsHostPort()
  AUTH_GRPC_URL = '127.0.0.1:50051';

  /** Deadline of calls to events and auth (ms). */
  @IntSetting(100, 60_000)
  GRPC_DEADLINE_MS = 5000;

  /** Most registrations committed in one Firestore transaction (each writes three documents). */
  @IntSetting(1, 150)
  REGISTRATION_BATCH_MAX = 100;

  /** How long what events says of an event (status, times, staff) is reused for registering (ms). */
  @IntSetting(0, 60_000)
  EVENT_INFO_CACHE_MS = 1000;
}
