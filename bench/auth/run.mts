// `npm run bench:auth`: through the gateway of a running system (emulators, every service):
//   1. logins/s — Argon2id-bound (m=19456 KiB, t=2, p=1) plus the refresh-token and throttle writes;
//   2. token verifications/s — PATCH /v1/me with a body validation refuses: the guard verifies the
//      ES256 token (cached JWKS), then validation answers 400, so no backend is called;
//   3. GET /v1/me — verification plus a gRPC call to auth and a Firestore read, for context.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../scripts/lib/emulators.mts';
import { provisionPubSub } from '../../scripts/lib/provision.mts';
import { ROOT, startSystem, type RunningSystem } from '../../scripts/lib/system.mts';
import { load, type LoadResult } from '../lib/load.mts';

process.env.METADATA_SERVER_DETECTION ??= 'none';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const projectId = 'convene-bench';

function report(name: string, result: LoadResult, expectedStatus: string): void {
  console.log(
    `${name.padEnd(34)} ${result.requestsPerSecond.toFixed(1).padStart(8)} req/s   p50 ${String(result.p50Ms).padStart(4)} ms   p99 ${String(result.p99Ms).padStart(4)} ms   ` +
      `errors ${result.errors}   statuses ${JSON.stringify(result.statuses)} (expected ${expectedStatus})`,
  );
}

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'ignore' });
const emulators: RunningEmulator[] = [];
let system: RunningSystem | undefined;
try {
  const [firestore, pubsub] = await Promise.all([startEmulator('firestore'), startEmulator('pubsub', { projectId })]);
  emulators.push(firestore, pubsub);
  await provisionPubSub(projectId, pubsub.host);
  system = await startSystem({
    firestoreHost: firestore.host,
    pubsubHost: pubsub.host,
    projectId,
    freePorts: true,
    logDir: mkdtempSync(join(tmpdir(), 'convene-bench-')),
    extraEnv: { LOG_LEVEL: 'warn' },
  });
  const gateway = system.gatewayUrl;
  const credentials = { email: 'bench@example.com', password: 'bench-password-8f2e' };
  const registered = await fetch(`${gateway}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...credentials, displayName: 'Bench' }),
  });
  if (registered.status !== 201)
    throw new Error(`registering the bench user: ${registered.status} ${await registered.text()}`);
  const { accessToken } = (await registered.json()) as { accessToken: string };
  const json = { 'content-type': 'application/json' };
  const bearer = { authorization: `Bearer ${accessToken}` };

  console.log(
    `node ${process.version}, ${seconds} s per scenario, 2-core machine shared by the load generator, services and emulators`,
  );
  const login = await load(`${gateway}/v1/auth/login`, {
    connections: 8,
    durationSeconds: seconds,
    method: 'POST',
    headers: json,
    body: JSON.stringify(credentials),
  });
  report('login (Argon2id)', login, '200');
  const verify = await load(`${gateway}/v1/me`, {
    connections: 50,
    durationSeconds: seconds,
    method: 'PATCH',
    headers: { ...json, ...bearer },
    body: JSON.stringify({ unknownField: true }),
  });
  report('token verification (→ 400)', verify, '400');
  const me = await load(`${gateway}/v1/me`, { connections: 50, durationSeconds: seconds, headers: bearer });
  report('GET /v1/me (verify + gRPC + read)', me, '200');
} finally {
  await system?.stop();
  await Promise.all(emulators.map((e) => e.stop()));
}
