// Runs the whole Convene system as local processes: every app from its build in dist/, pointed at
// the emulators. Shared by `npm start` and `npm test` (the e2e tier runs against it).
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './emulators.mts';

export const ROOT = join(import.meta.dirname, '..', '..');

export type AppName = 'gateway' | 'auth' | 'events' | 'registrations' | 'reviews' | 'notifications';

/** Default ports; every one can be overridden by the app's own variable (see README). */
export const APP_PORTS: Record<AppName, { http: number; grpc?: number }> = {
  gateway: { http: 3000 },
  auth: { http: 3001, grpc: 50051 },
  events: { http: 3002, grpc: 50052 },
  registrations: { http: 3003, grpc: 50053 },
  reviews: { http: 3004, grpc: 50054 },
  notifications: { http: 3005, grpc: 50055 },
};

export const APPS = Object.keys(APP_PORTS) as AppName[];

export interface RunningApp {
  readonly name: AppName;
  readonly url: string;
  readonly process: ChildProcess;
}

export interface SystemOptions {
  firestoreHost: string;
  pubsubHost: string;
  projectId: string;
  /** Pick free ports instead of the defaults (tests). */
  freePorts?: boolean;
  logDir: string;
  /** Also echo each app's log lines to this process's stdout, prefixed with the app name. */
  echo?: boolean;
  /** Where the apps send email (the local mail catcher): SMTP_HOST and SMTP_PORT. */
  smtp?: { host: string; port: number };
  extraEnv?: Record<string, string>;
}

export interface RunningSystem {
  readonly apps: RunningApp[];
  /** The environment every app got besides process.env and its own ports: emulators, gRPC addresses, settings. */
  readonly env: Record<string, string>;
  readonly gatewayUrl: string;
  stop(): Promise<void>;
}

export function mainFileOf(app: AppName): string {
  return join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
}

export async function startSystem(options: SystemOptions): Promise<RunningSystem> {
  const ports = await resolvePorts(options.freePorts ?? false);
  mkdirSync(options.logDir, { recursive: true });
  // What the system's apps share besides process.env (their own ports come on top, per app).
  const own: Record<string, string> = {
    GCP_PROJECT_ID: options.projectId,
    FIRESTORE_EMULATOR_HOST: options.firestoreHost,
    PUBSUB_EMULATOR_HOST: options.pubsubHost,
    METADATA_SERVER_DETECTION: 'none',
    EVENTS_GRPC_URL: `127.0.0.1:${ports.events.grpc}`,
    AUTH_GRPC_URL: `127.0.0.1:${ports.auth.grpc}`,
    REGISTRATIONS_GRPC_URL: `127.0.0.1:${ports.registrations.grpc}`,
    REVIEWS_GRPC_URL: `127.0.0.1:${ports.reviews.grpc}`,
    NOTIFICATIONS_GRPC_URL: `127.0.0.1:${ports.notifications.grpc}`,
    ...(options.smtp ? { SMTP_HOST: options.smtp.host, SMTP_PORT: String(options.smtp.port) } : {}),
    ...options.extraEnv,
  };
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...own };
  const apps: RunningApp[] = [];
  const system: RunningSystem = {
    apps,
    env: own,
    gatewayUrl: `http://127.0.0.1:${ports.gateway.http}`,
    stop: () => stopApps(apps),
  };
  try {
    for (const name of APPS) {
      const main = mainFileOf(name);
      if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
      const appEnv: Record<string, string> = { ...env, HTTP_PORT: String(ports[name].http) };
      if (ports[name].grpc) appEnv.GRPC_PORT = String(ports[name].grpc);
      const child = spawn(process.execPath, ['--enable-source-maps', main], {
        cwd: ROOT,
        env: appEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      pipeLogs(name, child, options);
      apps.push({ name, url: `http://127.0.0.1:${ports[name].http}`, process: child });
    }
    await Promise.all(apps.map((app) => waitReady(app)));
  } catch (error) {
    await system.stop();
    throw error;
  }
  return system;
}

async function resolvePorts(free: boolean): Promise<Record<AppName, { http: number; grpc?: number }>> {
  if (!free) return portsFromEnv();
  const entries = await Promise.all(
    APPS.map(
      async (name) => [name, { http: await freePort(), grpc: APP_PORTS[name].grpc && (await freePort()) }] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<AppName, { http: number; grpc?: number }>;
}

/** APP_PORTS, overridden by GATEWAY_HTTP_PORT, EVENTS_GRPC_PORT, ... when set. */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): Record<AppName, { http: number; grpc?: number }> {
  const read = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`${name} must be a port number (got "${raw}")`);
    return port;
  };
  const entries = APPS.map((name) => {
    const prefix = name.toUpperCase();
    const defaults = APP_PORTS[name];
    return [
      name,
      {
        http: read(`${prefix}_HTTP_PORT`, defaults.http),
        ...(defaults.grpc ? { grpc: read(`${prefix}_GRPC_PORT`, defaults.grpc) } : {}),
      },
    ] as const;
  });
  return Object.fromEntries(entries) as Record<AppName, { http: number; grpc?: number }>;
}

function pipeLogs(name: AppName, child: ChildProcess, options: SystemOptions): void {
  const file = createWriteStream(join(options.logDir, `${name}.log`), { flags: 'a' });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      file.write(chunk);
      if (options.echo) {
        for (const line of chunk.toString().split('\n').filter(Boolean))
          process.stdout.write(`[${name.padEnd(13)}] ${line}\n`);
      }
    });
  }
  child.once('exit', () => file.end());
}

export async function waitReady(app: RunningApp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (app.process.exitCode !== null) throw new Error(`${app.name} exited with code ${app.process.exitCode}`);
    try {
      const response = await fetch(`${app.url}/readyz`, { signal: AbortSignal.timeout(3000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${app.name} not ready at ${app.url}/readyz after ${timeoutMs} ms: ${last}`);
}

async function stopApps(apps: RunningApp[]): Promise<void> {
  await Promise.all(
    apps.map(async ({ process: child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }),
  );
}
