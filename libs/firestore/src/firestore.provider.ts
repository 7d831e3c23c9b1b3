import { Firestore } from '@google-cloud/firestore';
import { RECONNECT_CHANNEL_OPTIONS } from '@convene/contracts';

export interface FirestoreOptions {
  readonly projectId: string;
  /** "host:port" of the Firestore emulator; absent in production (Application Default Credentials). */
  readonly emulatorHost?: string;
}

/**
 * One client per process. `ignoreUndefinedProperties` lets domain objects carry optional fields
 * without a mapping step that strips `undefined`.
 */
export function createFirestore(options: FirestoreOptions): Firestore {
  const emulator = options.emulatorHost
    ? // The client also reads FIRESTORE_EMULATOR_HOST itself; naming the host here keeps config the only source.
      { host: options.emulatorHost, ssl: false, customHeaders: { Authorization: 'Bearer owner' } }
    : {};
  return new Firestore({
    projectId: options.projectId,
    ignoreUndefinedProperties: true,
    ...RECONNECT_CHANNEL_OPTIONS,
    ...emulator,
  });
}
