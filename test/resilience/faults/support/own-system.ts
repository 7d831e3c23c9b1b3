// A whole Convene system of one test file's own (emulators, mail catcher, every app), for faults that
// would break the runner's shared system: killing an emulator, or services started with a fault switch.
// While it runs, test/support's api() and account helpers talk to its gateway.
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';
import { provisionPubSub } from '../../../../scripts/lib/provision.mts';
import { startSystem, type AppName, type RunningSystem } from '../../../../scripts/lib/system.mts';
import { startTestStack, TEST_SYSTEM_ENV, type TestStack } from '../../../../scripts/lib/test-stack.mts';
import { testOutDir } from './figures';

export interface OwnSystem {
  readonly stack: TestStack;
  readonly system: RunningSystem;
  readonly projectId: string;
  /** Its Firestore, for reading what the services stored. */
  readonly db: Firestore;
  appUrl(app: AppName): string;
  stop(): Promise<void>;
}

/**
 * Starts the system with the suite's settings plus `extraEnv`, and points this process's clients at it
 * until stop(): CONVENE_GATEWAY_URL (api(), registerAccount(), ...) and the emulator variables.
 */
export async function startOwnSystem(name: string, extraEnv: Record<string, string> = {}): Promise<OwnSystem> {
  const projectId = `convene-${name}`;
  const outDir = testOutDir(name);
  const stack = await startTestStack({ projectId, outDir });
  let system: RunningSystem;
  try {
    await provisionPubSub(projectId, stack.emulators.pubsub.host);
    const start = () =>
      startSystem({
        firestoreHost: stack.emulators.firestore.host,
        pubsubHost: stack.emulators.pubsub.host,
        smtp: { host: stack.env.SMTP_HOST, port: Number(stack.env.SMTP_PORT) },
        projectId,
        freePorts: true,
        logDir: join(outDir, 'logs'),
        extraEnv: { ...TEST_SYSTEM_ENV, LOG_LEVEL: 'warn', ...extraEnv },
      });
    // A port found free may be taken (by any process's outgoing connection) before the app listens on
    // it: on a busy machine that happens now and then, and another set of free ports does it.
    system = await start().catch(start);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  // Clients in this process follow these variables over their own settings: swap them until stop().
  const shared = {
    CONVENE_GATEWAY_URL: process.env.CONVENE_GATEWAY_URL,
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
    PUBSUB_EMULATOR_HOST: process.env.PUBSUB_EMULATOR_HOST,
    GCP_PROJECT_ID: process.env.GCP_PROJECT_ID,
  };
  Object.assign(process.env, {
    CONVENE_GATEWAY_URL: system.gatewayUrl,
    FIRESTORE_EMULATOR_HOST: stack.emulators.firestore.host,
    PUBSUB_EMULATOR_HOST: stack.emulators.pubsub.host,
    GCP_PROJECT_ID: projectId,
  });
  const db = createFirestore({ projectId, emulatorHost: stack.emulators.firestore.host });
  return {
    stack,
    system,
    projectId,
    db,
    appUrl(app) {
      const found = system.apps.find((a) => a.name === app);
      if (!found) throw new Error(`${app} is not part of the system`);
      return found.url;
    },
    async stop() {
      for (const [key, value] of Object.entries(shared)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      await db.terminate().catch(() => undefined);
      await system.stop();
      await stack.stop();
    },
  };
}
