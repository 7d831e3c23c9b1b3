// `npm run k8s:build-output`: starts every app from exactly what its image holds (see the Dockerfile's runtime
// stage) and checks that it answers /healthz and /readyz (the gateway also serves the web app), then stops on
// SIGTERM with exit code 0.
//
// For each app, a directory outside the repository (so no parent node_modules can help) gets
//   node_modules      the production dependencies: the lockfile's packages that `npm install --omit=dev
//                     --omit=optional` keeps (hard links to ./node_modules, so this takes a second)
//   dist/libs         the compiled libraries
//   dist/apps/<app>   the compiled app
// and nothing else: a runtime import of a devDependency, of another app, or of a file the build did not emit
// makes that app fail here, as its container would. The apps talk to the Firestore and Pub/Sub emulators
// given by FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST, or to ones this script starts on free ports.
// Needs `npm run build` first (`--build` runs it).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, startEmulator, type RunningEmulator } from './lib/emulators.mts';

const ROOT = join(import.meta.dirname, '..');
const APPS = ['gateway', 'auth', 'events', 'registrations', 'reviews', 'notifications'] as const;
type App = (typeof APPS)[number];
const GRPC_APPS: App[] = ['auth', 'events', 'registrations', 'reviews', 'notifications'];
const PROJECT_ID = 'convene-build-output';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;

interface LockPackage {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  link?: boolean;
}

/** node_modules/… paths npm keeps with --omit=dev --omit=optional, read from package-lock.json. */
function productionPackages(): string[] {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  return Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.optional && !p.devOptional)
    .map(([path]) => path);
}

/** A tree with the production node_modules, as the image's deps stage installs it. */
function productionTree(into: string): number {
  const packages = productionPackages();
  for (const path of packages) {
    const source = join(ROOT, path);
    // A nested package (node_modules/a/node_modules/b) comes with its parent's copy below; copy the rest.
    if (!existsSync(source)) throw new Error(`${path} is in package-lock.json but not installed: run npm install`);
    const target = join(into, path);
    if (existsSync(target)) continue;
    mkdirSync(dirname(target), { recursive: true });
    // Hard links: the same files, no copying (one filesystem); npm's own nested node_modules are filtered too.
    execFileSync('cp', ['-al', source, target]);
    const nested = join(target, 'node_modules');
    if (existsSync(nested)) rmSync(nested, { recursive: true, force: true });
  }
  return packages.length;
}

interface Started {
  app: App;
  child: ChildProcess;
  url: string;
  log: string[];
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | string>;
}

function start(app: App, dir: string, env: Record<string, string>): Started {
  const child = spawn(process.execPath, ['--enable-source-maps', `dist/apps/${app}/src/main.js`], {
    cwd: dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => log.push(...chunk.toString().split('\n').filter(Boolean)));
  }
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal!)),
  );
  return { app, child, url: `http://127.0.0.1:${env.HTTP_PORT}`, log, exited };
}

async function status(url: string): Promise<number | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
    await response.arrayBuffer();
    return response.status;
  } catch (error) {
    return (error as Error).message;
  }
}

async function waitReady(started: Started): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exitCode: number | string | undefined;
  void started.exited.then((code) => (exitCode = code));
  let last: number | string = '';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`exited with code ${exitCode} before answering`);
    if ((await status(`${started.url}/healthz`)) === 200 && (last = await status(`${started.url}/readyz`)) === 200) {
      if (started.app === 'gateway') await checkWebApp(started.url);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS} ms (last /readyz: ${last})`);
}

/** The gateway's image carries the web app: its page and the script the page names both load. */
async function checkWebApp(url: string): Promise<void> {
  const page = await fetch(`${url}/events/some-event`, { headers: { accept: 'text/html' } });
  const html = await page.text();
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (page.status !== 200 || !script) throw new Error(`the web app's page is missing (GET / → ${page.status})`);
  const asset = await fetch(`${url}${script}`);
  await asset.arrayBuffer();
  if (asset.status !== 200) throw new Error(`the web app's script ${script} → ${asset.status}`);
}

/** SIGTERM, as Kubernetes sends it; Nest closes everything, then re-raises the signal (exit 143 in a pod). */
async function stop(started: Started): Promise<number | string> {
  if (started.child.exitCode !== null || started.child.signalCode !== null) return started.exited;
  started.child.kill('SIGTERM');
  const timer = setTimeout(() => started.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  const code = await started.exited;
  clearTimeout(timer);
  return code;
}

if (process.argv.includes('--build'))
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'inherit' });
for (const app of APPS) {
  if (!existsSync(join(ROOT, 'dist/apps', app, 'src/main.js'))) {
    console.error(`dist/apps/${app}/src/main.js is missing: run \`npm run build\` first (or pass --build)`);
    process.exit(1);
  }
}
// Resolution walks up from the app's directory: nothing above the temporary tree may hold packages.
const base = mkdtempSync(join(tmpdir(), 'convene-build-output-'));
for (let dir = dirname(base); ; dir = dirname(dir)) {
  if (existsSync(join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules would leak into the check`);
  if (dir === dirname(dir)) break;
}

const emulators: RunningEmulator[] = [];
const running: Started[] = [];
let failures = 0;
try {
  const began = performance.now();
  const shared = join(base, 'shared');
  const packageCount = productionTree(shared);
  let firestoreHost = process.env.FIRESTORE_EMULATOR_HOST;
  let pubsubHost = process.env.PUBSUB_EMULATOR_HOST;
  if (!firestoreHost || !pubsubHost) {
    const [firestore, pubsub] = await Promise.all([
      startEmulator('firestore'),
      startEmulator('pubsub', { projectId: PROJECT_ID }),
    ]);
    emulators.push(firestore, pubsub);
    firestoreHost = firestore.host;
    pubsubHost = pubsub.host;
  }
  const ports = Object.fromEntries(
    await Promise.all(APPS.map(async (app) => [app, { http: await freePort(), grpc: await freePort() }] as const)),
  ) as Record<App, { http: number; grpc: number }>;
  const grpcUrls = Object.fromEntries(
    GRPC_APPS.map((app) => [`${app.toUpperCase()}_GRPC_URL`, `127.0.0.1:${ports[app].grpc}`]),
  );
  console.log(
    `build output: ${packageCount} production packages; emulators ${firestoreHost} (Firestore), ${pubsubHost} (Pub/Sub)`,
  );
  for (const app of APPS) {
    const dir = join(base, app);
    mkdirSync(join(dir, 'dist', 'apps'), { recursive: true });
    cpSync(join(ROOT, 'dist/libs'), join(dir, 'dist/libs'), { recursive: true });
    cpSync(join(ROOT, 'dist/apps', app), join(dir, 'dist/apps', app), { recursive: true });
    symlinkSync(join(shared, 'node_modules'), join(dir, 'node_modules'), 'dir');
    // Only what a pod's environment holds: no NODE_OPTIONS, NODE_PATH or npm variables from this process.
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      NODE_ENV: 'production',
      GCP_PROJECT_ID: PROJECT_ID,
      FIRESTORE_EMULATOR_HOST: firestoreHost,
      PUBSUB_EMULATOR_HOST: pubsubHost,
      METADATA_SERVER_DETECTION: 'none',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(ports[app].http),
      GRPC_PORT: String(ports[app].grpc),
      LOG_LEVEL: 'warn',
      REMINDER_MODE: 'external',
      ...grpcUrls,
    };
    running.push(start(app, dir, env));
  }
  const results = await Promise.allSettled(running.map(waitReady));
  for (const [i, result] of results.entries()) {
    const started = running[i];
    const stopBegan = performance.now();
    const code = await stop(started);
    const stopSeconds = ((performance.now() - stopBegan) / 1000).toFixed(1);
    if (result.status === 'fulfilled' && (code === 0 || code === 'SIGTERM')) {
      const web = started.app === 'gateway' ? ', web app served' : '';
      console.log(
        `  ${started.app.padEnd(13)} /healthz 200, /readyz 200${web}; stopped on SIGTERM in ${stopSeconds} s`,
      );
      continue;
    }
    failures++;
    const why =
      result.status === 'rejected' ? (result.reason as Error).message : `SIGTERM → ${code} (not a clean stop)`;
    console.error(`  ${started.app.padEnd(13)} FAILED: ${why}\n    ${started.log.slice(-15).join('\n    ')}`);
  }
  console.log(
    `build output: ${APPS.length - failures} of ${APPS.length} apps ran from their image's files alone ` +
      `(${((performance.now() - began) / 1000).toFixed(1)} s)`,
  );
} finally {
  await Promise.all(running.map(stop));
  await Promise.all(emulators.map((e) => e.stop()));
  rmSync(base, { recursive: true, force: true });
}
process.exit(failures ? 1 : 0);
