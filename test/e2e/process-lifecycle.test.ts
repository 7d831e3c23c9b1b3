import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort, startEmulator, type RunningEmulator } from '../../scripts/lib/emulators.mts';

const ROOT = join(__dirname, '..', '..');
const mainOf = (app: string): string => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');

interface Exit {
  code: number | null;
  output: string;
}

function runUntilExit(app: string, env: Record<string, string>, timeoutMs = 20_000): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainOf(app)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('configuration is validated before anything starts', () => {
  it.each([
    ['events', { HTTP_PORT: 'eighty' }, 'HTTP_PORT'],
    ['events', { GRPC_PORT: '70000' }, 'GRPC_PORT'],
    ['gateway', { EVENTS_GRPC_URL: 'not a host' }, 'EVENTS_GRPC_URL'],
    ['gateway', { CORS_ORIGINS: 'localhost:5173' }, 'CORS_ORIGINS'],
    ['notifications', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['auth', { FIRESTORE_EMULATOR_HOST: 'nowhere' }, 'FIRESTORE_EMULATOR_HOST'],
  ])('%s exits non-zero naming %j', async (app, env, variable) => {
    const result = await runUntilExit(app, env);
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    expect(result.output).toContain(variable);
  });
});

describe('readiness follows Firestore, liveness does not', () => {
  let firestore: RunningEmulator;
  let child: ReturnType<typeof spawn>;
  let base: string;

  beforeAll(async () => {
    firestore = await startEmulator('firestore');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawn(process.execPath, [mainOf('reviews')], {
      env: {
        ...process.env,
        FIRESTORE_EMULATOR_HOST: firestore.host,
        HTTP_PORT: String(port),
        GCP_PROJECT_ID: 'readiness-test',
      },
      stdio: 'ignore',
    });
  }, 60_000);

  afterAll(async () => {
    child?.kill('SIGKILL');
    await firestore?.stop();
  });

  const status = async (path: string): Promise<number> => {
    try {
      return (await fetch(`${base}${path}`, { signal: AbortSignal.timeout(8000) })).status;
    } catch {
      return 0;
    }
  };
  const until = async (path: string, expected: number, timeoutMs: number): Promise<number> => {
    const deadline = Date.now() + timeoutMs;
    let last = 0;
    while (Date.now() < deadline) {
      last = await status(path);
      if (last === expected) return last;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return last;
  };

  it('is ready with Firestore up, 503 with it down while /healthz stays 200', async () => {
    expect(await until('/readyz', 200, 30_000)).toBe(200);
    await firestore.stop();
    expect(await until('/readyz', 503, 20_000)).toBe(503);
    expect(await status('/healthz')).toBe(200);
  }, 90_000);
});
