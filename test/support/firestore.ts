import { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';

/** A client on the shared emulator, in the project the system under test uses. */
export function systemFirestore(): Firestore {
  return createFirestore({
    projectId: process.env.GCP_PROJECT_ID ?? 'convene-test',
    emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
  });
}
