import { BaseServiceConfig, IntSetting, IsHostPort } from '@convene/common';

export class RegistrationsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3003;

  @IntSetting(1, 65535)
  GRPC_PORT = 50053;

  /** The events service (what an event is: status, times, organizer, staff, waitlist setting). */
  @IsHostPort()
  EVENTS_GRPC_URL = '127.0.0.1:50052';

  /** The auth service (the holder's display name, printed on the ticket). */
  @IsHostPort()
  AUTH_GRPC_URL = '127.0.0.1:50051';

  /** Deadline of calls to events and auth (ms). */
  @IntSetting(100, 60_000)
  GRPC_DEADLINE_MS = 5000;

  /** How often the outbox relay looks for records it was not kicked for (e.g. after a crash). */
  @IntSetting(50, 60_000)
  OUTBOX_POLL_MS = 1000;

  /** Most registrations committed in one Firestore transaction (each writes three documents). */
  @IntSetting(1, 150)
  REGISTRATION_BATCH_MAX = 100;

  /** How long what events says of an event (status, times, staff) is reused for registering (ms). */
  @IntSetting(0, 60_000)
  EVENT_INFO_CACHE_MS = 1000;
}
