import { PubSub } from '@google-cloud/pubsub';
import { RECONNECT_CHANNEL_OPTIONS } from '@convene/contracts';

export interface PubSubClientOptions {
  readonly projectId: string;
  /** "host:port" of the Pub/Sub emulator; absent in production (Application Default Credentials). */
  readonly emulatorHost?: string;
}

/**
 * One client per process. The emulator is named explicitly (not through PUBSUB_EMULATOR_HOST) so the
 * validated config stays the only source of where we connect.
 */
export function createPubSub(options: PubSubClientOptions): PubSub {
  const base = { projectId: options.projectId, ...RECONNECT_CHANNEL_OPTIONS };
  return options.emulatorHost
    ? new PubSub({ ...base, apiEndpoint: options.emulatorHost, emulatorMode: true })
    : new PubSub(base);
}
