// `npm start`: builds, starts both emulators and the mail catcher (each in its own process group),
// provisions Pub/Sub, starts every app, waits for every /readyz, seeds demo data, prints the URLs.
// Ctrl-C stops it all.
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from './lib/emulators.mts';
import { startMailCatcher, type RunningMailCatcher } from './lib/mail-catcher.mts';
import { provisionPubSub } from './lib/provision.mts';
import { seed } from './lib/seed.mts';
import { APPS, ROOT, startSystem, type RunningSystem } from './lib/system.mts';
import { execFileSync } from 'node:child_process';

// No GCE metadata server here: don't let Google's clients probe for one.
process.env.METADATA_SERVER_DETECTION ??= 'none';
const projectId = process.env.GCP_PROJECT_ID || 'convene-local';
const firestorePort = Number(process.env.FIRESTORE_EMULATOR_PORT || 8080);
const pubsubPort = Number(process.env.PUBSUB_EMULATOR_PORT || 8085);
const mailSmtpPort = Number(process.env.MAIL_CATCHER_SMTP_PORT || 1025);
const mailWebPort = Number(process.env.MAIL_CATCHER_WEB_PORT || 1080);
const logDir = join(ROOT, '.convene', 'logs');

const emulators: RunningEmulator[] = [];
let mailCatcher: RunningMailCatcher | undefined;
let system: RunningSystem | undefined;
let stopping = false;

async function stopEverything(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    console.log('\nstopping Convene…');
    await system?.stop();
    await Promise.all([...emulators.map((e) => e.stop()), mailCatcher?.stop()]);
    console.log('stopped: every app and emulator this command started has exited');
  }
  process.exit(code);
}
process.on('SIGINT', () => void stopEverything(0));
process.on('SIGTERM', () => void stopEverything(0));

try {
  console.log('building…');
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'inherit' });
  console.log(
    `starting the Firestore (:${firestorePort}) and Pub/Sub (:${pubsubPort}) emulators and the mail catcher (:${mailSmtpPort})…`,
  );
  const [firestore, pubsub, catcher] = await Promise.all([
    startEmulator('firestore', { port: firestorePort }).then((e) => (emulators.push(e), e)),
    startEmulator('pubsub', { port: pubsubPort, projectId }).then((e) => (emulators.push(e), e)),
    startMailCatcher({ smtpPort: mailSmtpPort, webPort: mailWebPort, logFile: join(logDir, 'mail-catcher.log') }).then(
      (c) => (mailCatcher = c),
    ),
  ]);
  const provisioned = await provisionPubSub(projectId, pubsub.host);
  console.log(`provisioned Pub/Sub: ${provisioned.join(', ')} with their subscriptions and dead-letter topics`);
  console.log(`starting ${APPS.join(', ')}… (logs in ${logDir})`);
  system = await startSystem({
    firestoreHost: firestore.host,
    pubsubHost: pubsub.host,
    smtp: { host: catcher.smtpHost, port: catcher.smtpPort },
    projectId,
    logDir,
    echo: process.env.CONVENE_QUIET !== '1',
  });
  const seeded = await seed(system.gatewayUrl);
  const gateway = system.gatewayUrl;
  console.log(
    [
      '',
      'Convene is up.',
      `  Web app       ${gateway}/   (npm run dev:web serves it with hot reload on http://localhost:5173)`,
      `  API           ${gateway}/v1/events`,
      `  API docs      ${gateway}/docs   (spec: ${gateway}/openapi.json)`,
      ...system.apps.map((app) => `  ${app.name.padEnd(13)} ${app.url}/readyz   ${app.url}/metrics`),
      `  Firestore     ${firestore.host} (emulator)   Pub/Sub ${pubsub.host} (emulator), project ${projectId}`,
      `  Email         ${catcher.url}   (mail catcher: every email the apps send, SMTP ${catcher.smtpHost}:${catcher.smtpPort})`,
      `  Sign in as    ${seeded.organizerEmail} / ${seeded.organizerPassword} (an organizer: ${gateway}/signin)`,
      `  Seeded events ${seeded.eventIds.map((id) => `${gateway}/events/${id}`).join('\n                ')}`,
      '',
      'Press Ctrl-C to stop everything.',
    ].join('\n'),
  );
} catch (error) {
  console.error(`npm start failed: ${(error as Error).message}`);
  await stopEverything(1);
}
