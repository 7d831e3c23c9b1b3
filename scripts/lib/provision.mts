// Creates every topic, subscription and dead-letter topic the contracts registry declares, using the
// compiled @convene/pubsub (the same code the services run). Idempotent.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from './system.mts';

export async function provisionPubSub(projectId: string, emulatorHost: string): Promise<string[]> {
  const require = createRequire(import.meta.url);
  const { PubSub } = require('@google-cloud/pubsub');
  const { provisionTopology } = require(join(ROOT, 'dist/libs/pubsub/src/index.js'));
  const pubsub = new PubSub({ projectId, apiEndpoint: emulatorHost, emulatorMode: true });
  try {
    return await provisionTopology(pubsub);
  } finally {
    await pubsub.close();
  }
}
