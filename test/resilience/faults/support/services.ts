// Single services started (and killed) by a fault test: one app from its build in dist/, on ports of
// its own, logging to a file under the test's output directory. The runner's shared system stays up;
// these processes are extra replicas pointed at it (or at a stack the test started itself).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../../../scripts/lib/emulators.mts';
import { mainFileOf, waitReady, type AppName } from '../../../../scripts/lib/system.mts';
import { testOutDir } from './figures';

export interface ServiceProcess {
  readonly name: AppName;
  /** Its HTTP base URL (/readyz, /metrics, and the public API for the gateway). */
  readonly url: string;
  readonly httpPort: number;
  /** "127.0.0.1:PORT" of its gRPC server (backends only). */
  readonly grpcUrl?: string;
  readonly grpcPort?: number;
  readonly process: ChildProcess;
  /** Settles when the process is gone: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServiceOptions {
  /** The whole environment of the app besides its ports (e.g. sharedSystemEnv() plus overrides). */
  env: Record<string, string>;
  /** Reuse these ports (a restart "on the same ports"); free ones otherwise. */
  httpPort?: number;
  grpcPort?: number;
  /** Log file name under <out>/logs (appended across restarts). */
  logName: string;
}

const BACKENDS: readonly AppName[] = ['auth', 'events', 'registrations', 'reviews', 'notifications'];

/**
 * Starts one app and waits until its /readyz answers 200. On free ports, tries a second set if the
 * first fails (a port found free can be taken by another process before the app listens on it).
 */
export async function startService(name: AppName, options: ServiceOptions): Promise<ServiceProcess> {
  const fixed = options.httpPort !== undefined || options.grpcPort !== undefined;
  return startOnce(name, options).catch((error: unknown) => {
    if (fixed) throw error;
    return startOnce(name, options);
  });
}

async function startOnce(name: AppName, options: ServiceOptions): Promise<ServiceProcess> {
  const httpPort = options.httpPort ?? (await freePort());
  const grpcPort = BACKENDS.includes(name) ? (options.grpcPort ?? (await freePort())) : undefined;
  const log = openSync(join(testOutDir('logs'), `${options.logName}.log`), 'a');
  const child = spawn(process.execPath, ['--enable-source-maps', mainFileOf(name)], {
    env: {
      ...options.env,
      HTTP_PORT: String(httpPort),
      ...(grpcPort ? { GRPC_PORT: String(grpcPort) } : {}),
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const service: ServiceProcess = {
    name,
    url: `http://127.0.0.1:${httpPort}`,
    httpPort,
    ...(grpcPort ? { grpcUrl: `127.0.0.1:${grpcPort}`, grpcPort } : {}),
    process: child,
    exited,
  };
  try {
    await waitReady(service);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return service;
}

/** SIGKILLs the service (if still running) and waits until it is gone. */
export async function killService(service: ServiceProcess | undefined): Promise<void> {
  if (!service || service.process.exitCode !== null || service.process.signalCode !== null) return;
  service.process.kill('SIGKILL');
  await service.exited;
}

/**
 * The environment the runner's shared system runs with (emulators, project, SMTP, the test settings
 * and every service's gRPC address), for an extra replica of one of its services.
 */
export function sharedSystemEnv(): Record<string, string> {
  const shared = process.env.CONVENE_SYSTEM_ENV;
  if (!shared) throw new Error('CONVENE_SYSTEM_ENV is not set: run through `npm run test:resilience`');
  return { ...(process.env as Record<string, string>), ...(JSON.parse(shared) as Record<string, string>) };
}
