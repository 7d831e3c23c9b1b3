import { startEmulator, type RunningEmulator } from '../../scripts/lib/emulators.mts';
import { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';

/** A client on the shared emulator, in the project the system under test uses. */
export function systemFirestore(): Firestore {
  return createFirestore({
    projectId: process.env.GCP_PROJECT_ID ?? 'convene-test',
    emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
  });
}

/**
 * A Firestore emulator for one test file, for tests that make transactions contend on purpose: the
 * emulator serializes contending transactions with ~2.8 s lock timeouts (FACTS.md), which would stall
 * every other file sharing it. Swaps FIRESTORE_EMULATOR_HOST for the file's duration (the client
 * reads that variable over its own settings). Call in a describe block; use `db()` inside tests.
 */
export function privateFirestore(projectId: string): { db(): Firestore } {
  let emulator: RunningEmulator | undefined;
  let db: Firestore | undefined;
  let sharedHost: string | undefined;
  beforeAll(async () => {
    emulator = await startEmulator('firestore');
    sharedHost = process.env.FIRESTORE_EMULATOR_HOST;
    process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
    db = createFirestore({ projectId, emulatorHost: emulator.host });
  }, 60_000);
  afterAll(async () => {
    await db?.terminate();
    process.env.FIRESTORE_EMULATOR_HOST = sharedHost;
    await emulator?.stop();
  });
  return {
    db: () => {
      if (!db) throw new Error('the private Firestore emulator is not running');
      return db;
    },
  };
}
