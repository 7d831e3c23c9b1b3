import { BaseServiceConfig } from './base-service.config';
import { IntSetting } from './int-setting.decorator';

/**
 * A service that serves gRPC and publishes through the transactional outbox (auth, events,
 * registrations). Each sets its own default port: `override GRPC_PORT = 50052;`.
 */
export class GrpcServiceConfig extends BaseServiceConfig {
  @IntSetting(1, 65535)
  GRPC_PORT!: number;

  /** How often the outbox relay looks for records it was not kicked for (e.g. after a crash). */
  @IntSetting(50, 60_000)
  OUTBOX_POLL_MS = 1000;
}
