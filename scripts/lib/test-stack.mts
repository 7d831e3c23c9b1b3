// The stack a test tier runs against: both emulators, the mail catcher and, when asked, the whole system
// started from dist/ with the settings the e2e and resilience suites rely on. Shared by `npm test` and
// `npm run test:resilience`, which each start their own.
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from './emulators.mts';
import { startMailCatcher, type RunningMailCatcher } from './mail-catcher.mts';
import { provisionPubSub } from './provision.mts';
import { startSystem, type RunningSystem } from './system.mts';

export const TEST_ADMIN_EMAIL = 'admin@convene.test';

/** What the suites expect of the system they run against. */
export const TEST_SYSTEM_ENV: Record<string, string> = {
  // Accounts registered with this address are admins (auth's bootstrap path), for tests of admin routes.
  ADMIN_EMAILS: TEST_ADMIN_EMAIL,
  // One trusted proxy hop lets tests act from distinct client addresses via X-Forwarded-For.
  TRUST_PROXY_HOPS: '1',
  // A key rotation takes effect within the suite: gateways refetch keys every 10 s, a new key signs after 12 s.
  JWKS_CACHE_SECONDS: '10',
  SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '12',
  // Webhook receivers in tests listen on 127.0.0.1.
  WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
};

export interface TestStack {
  /** Environment for test processes: emulator hosts, SMTP, mail catcher, and the system's URLs once started. */
  readonly env: Record<string, string>;
  readonly emulators: { firestore: RunningEmulator; pubsub: RunningEmulator };
  readonly system?: RunningSystem;
  startSystem(): Promise<RunningSystem>;
  stopSystem(): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestStack(options: { projectId: string; outDir: string }): Promise<TestStack> {
  const { projectId, outDir } = options;
  const started: Array<RunningEmulator | RunningMailCatcher> = [];
  const track = <T extends RunningEmulator | RunningMailCatcher>(thing: T): T => (started.push(thing), thing);
  let firestore: RunningEmulator, pubsub: RunningEmulator, catcher: RunningMailCatcher;
  try {
    [firestore, pubsub, catcher] = await Promise.all([
      startEmulator('firestore').then(track),
      startEmulator('pubsub', { projectId }).then(track),
      startMailCatcher({ logFile: join(outDir, 'mail-catcher.log') }).then(track),
    ]);
  } catch (error) {
    await Promise.all(started.map((s) => s.stop()));
    throw error;
  }
  const env: Record<string, string> = {
    METADATA_SERVER_DETECTION: 'none',
    GCP_PROJECT_ID: projectId,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    // Tests send to the catcher and read what it received back through its API.
    SMTP_HOST: catcher.smtpHost,
    SMTP_PORT: String(catcher.smtpPort),
    CONVENE_MAIL_CATCHER_URL: catcher.url,
  };
  console.log(
    `emulators: Firestore ${firestore.host}, Pub/Sub ${pubsub.host}; mail catcher: SMTP ${catcher.smtpHost}:${catcher.smtpPort}, ${catcher.url}`,
  );
  let system: RunningSystem | undefined;
  const stack: TestStack = {
    env,
    emulators: { firestore, pubsub },
    get system() {
      return system;
    },
    async startSystem() {
      await provisionPubSub(projectId, pubsub.host);
      system = await startSystem({
        firestoreHost: firestore.host,
        pubsubHost: pubsub.host,
        smtp: { host: catcher.smtpHost, port: catcher.smtpPort },
        projectId,
        freePorts: true,
        logDir: join(outDir, 'logs'),
        extraEnv: TEST_SYSTEM_ENV,
      });
      env.CONVENE_E2E_ADMIN_EMAIL = TEST_ADMIN_EMAIL;
      env.CONVENE_GATEWAY_URL = system.gatewayUrl;
      env.CONVENE_APP_URLS = JSON.stringify(Object.fromEntries(system.apps.map((a) => [a.name, a.url])));
      // For tests that start an extra replica of a service beside the system's.
      env.CONVENE_SYSTEM_ENV = JSON.stringify(system.env);
      return system;
    },
    async stopSystem() {
      const running = system;
      system = undefined;
      await running?.stop();
    },
    async stop() {
      await stack.stopSystem();
      await Promise.all(started.splice(0).map((s) => s.stop()));
    },
  };
  return stack;
}
