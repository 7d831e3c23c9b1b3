// Starts and stops Google's Firestore and Pub/Sub emulators (gcloud + Java).
// Each emulator runs in its own process group: the gcloud wrapper spawns a JVM that outlives it, so we
// always signal the whole group. Used by `npm start`, `npm test` and tests that kill an emulator.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type EmulatorKind = 'firestore' | 'pubsub';

export interface RunningEmulator {
  readonly kind: EmulatorKind;
  readonly host: string; // "127.0.0.1:PORT", the value of FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  port?: number; // 0 or absent: a free port
  projectId?: string;
  logFile?: string;
  readyTimeoutMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** How often a port we picked is tried anew when something else took it first. */
const PORT_ATTEMPTS = 3;

export async function startEmulator(kind: EmulatorKind, options: StartOptions = {}): Promise<RunningEmulator> {
  if (options.port) return startOn(kind, options.port, options);
  // A port found free may be taken (by any process's outgoing connection, or the other emulator's
  // websocket port) before the JVM binds it; on a busy machine that happens now and then.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(kind, await freePort(), options);
    } catch (error) {
      const taken = /Address already in use/.test((error as Error).message);
      if (!taken || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOn(kind: EmulatorKind, port: number, options: StartOptions): Promise<RunningEmulator> {
  const hostPort = `127.0.0.1:${port}`;
  const args =
    kind === 'firestore'
      ? ['emulators', 'firestore', 'start', `--host-port=${hostPort}`]
      : [
          'beta',
          'emulators',
          'pubsub',
          'start',
          `--host-port=${hostPort}`,
          `--project=${options.projectId ?? 'convene-local'}`,
          // Without --data-dir the wrapper rewrites a file under ~/.config.
          `--data-dir=${makeDataDir(kind)}`,
        ];
  // The emulators' output goes straight to a file, never through a pipe: a parent that blocks (npm test
  // waits for Jest synchronously) would stop draining the pipe, and an emulator logging stack traces
  // (it does, for every failed precondition) would then block on a full pipe and stall every client.
  const logFile = options.logFile ?? join(makeDataDir(kind), `${kind}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn('gcloud', args, {
    detached: true, // own process group, so stop() reaches the JVM too
    stdio: ['ignore', log, log],
    env: { ...process.env, CLOUDSDK_CORE_DISABLE_PROMPTS: '1' },
  });
  closeSync(log);
  const output = () => readFileSync(logFile, 'utf8').slice(-20_000);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const emulator: RunningEmulator = {
    kind,
    host: hostPort,
    port,
    pid: child.pid ?? -1,
    stop: () => stopGroup(child, exited),
  };
  try {
    await waitUntilServing(port, kind, exited, options.readyTimeoutMs ?? 60_000);
  } catch (error) {
    await emulator.stop();
    throw new Error(`${kind} emulator did not start on ${hostPort}: ${(error as Error).message}\n${output()}`, {
      cause: error,
    });
  }
  return emulator;
}

function makeDataDir(kind: EmulatorKind): string {
  const dir = mkdtempSync(join(tmpdir(), `convene-${kind}-`));
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function waitUntilServing(
  port: number,
  kind: EmulatorKind,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the emulator process exited');
    try {
      // Both emulators answer plain HTTP on their port once they serve (Firestore says "Ok").
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      if (kind === 'pubsub' || response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not serving after ${timeoutMs} ms`);
}

/** Stops a child started in its own process group (TERM, then KILL), and waits until the group is gone. */
export async function stopGroup(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.pid === undefined) return;
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // group already gone
    }
  };
  signalGroup('SIGTERM');
  const done = await Promise.race([exited.then(() => true), sleep(5000).then(() => false)]);
  // The wrapper may exit before its JVM: always finish the group off.
  signalGroup('SIGKILL');
  if (!done) await Promise.race([exited, sleep(2000)]);
  await waitForGroupGone(child.pid);
}

async function waitForGroupGone(pgid: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(-pgid, 0);
    } catch {
      return;
    }
    await sleep(100);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
