import type { PubSub } from '@google-cloud/pubsub';
import type { ReadinessIndicator } from '@convene/common';

/** Ready when a cheap admin call reaches Pub/Sub. */
export class PubSubReadiness implements ReadinessIndicator {
  readonly name = 'pubsub';

  constructor(
    private readonly pubsub: PubSub,
    /** Bounds the client's own retries (10 min by default) so a down Pub/Sub fails the check quickly. */
    private readonly timeoutMs = 3_000,
  ) {}

  async check(): Promise<void> {
    await this.pubsub.getTopics({ pageSize: 1, autoPaginate: false, gaxOpts: { timeout: this.timeoutMs } });
  }
}
