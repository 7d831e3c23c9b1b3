import { BaseServiceConfig, IntSetting } from '@convene/common';

export class NotificationsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3005;

  /** Deliveries of one message before it goes to its dead-letter topic. Pub/Sub allows 5–100. */
  @IntSetting(5, 100)
  PUBSUB_MAX_DELIVERY_ATTEMPTS = 5;
}
