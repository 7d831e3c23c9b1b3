import type { ServiceName } from '@convene/contracts';
import type { PubSubClientOptions } from './pubsub-client.factory';
import type { TopologyOptions } from './topology-options';

export interface PubSubModuleOptions extends PubSubClientOptions, TopologyOptions {
  /** This service: the `source` of what it publishes and the prefix of the subscriptions it consumes. */
  readonly service: ServiceName;
  readonly publishTimeoutMs?: number;
}

export const PUBSUB_MODULE_OPTIONS = Symbol('PUBSUB_MODULE_OPTIONS');
