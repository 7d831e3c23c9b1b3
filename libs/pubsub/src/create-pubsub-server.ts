import { PubSub } from '@google-cloud/pubsub';
import type { INestApplicationContext } from '@nestjs/common';
import { Metrics } from '@convene/common';
import { PUBSUB_MODULE_OPTIONS, type PubSubModuleOptions } from './pubsub-module-options';
import { PubSubServer, type PubSubServerOptions } from './pubsub.server';
import { PubSubTopology } from './topology';

export type PubSubServerTuning = Pick<
  PubSubServerOptions,
  'maxMessages' | 'drainTimeoutMs' | 'reconnectBackoff' | 'logger' | 'faultNackFirstDeliveryRatio'
>;

/**
 * Builds the consuming strategy from what PubSubModule put in the container, so the server shares the
 * client, topology (and its delivery settings) and service name with the publisher:
 * `app.connectMicroservice({ strategy: createPubSubServer(app) })`.
 */
export function createPubSubServer(app: INestApplicationContext, tuning: PubSubServerTuning = {}): PubSubServer {
  const options = app.get<PubSubModuleOptions>(PUBSUB_MODULE_OPTIONS, { strict: false });
  return new PubSubServer({
    ...tuning,
    pubsub: app.get(PubSub, { strict: false }),
    topology: app.get(PubSubTopology, { strict: false }),
    service: options.service,
    metrics: optionalMetrics(app),
  });
}

function optionalMetrics(app: INestApplicationContext): Metrics | undefined {
  try {
    return app.get(Metrics, { strict: false });
  } catch {
    return undefined; // the app runs without the metrics registry
  }
}
