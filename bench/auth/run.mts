// `npm run bench:auth`: through the gateway of a running system (emulators, every service):
//   1. logins/s — Argon2id-bound (m=19456 KiB, t=2, p=1) plus the refresh-token and throttle writes;
//   2. token verifications/s — PATCH /v1/me with a body validation refuses: the guard verifies the
//      ES256 token (cached JWKS), then validation answers 400, so no backend is called;
//   3. GET /v1/me — verification plus a gRPC call to auth and a Firestore read, for context.
import { load, type LoadResult } from '../lib/load.mts';
import { postJson, withSystem } from '../lib/system.mts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);

function report(name: string, result: LoadResult, expectedStatus: string): void {
  console.log(
    `${name.padEnd(34)} ${result.requestsPerSecond.toFixed(1).padStart(8)} req/s   p50 ${String(result.p50Ms).padStart(4)} ms   p99 ${String(result.p99Ms).padStart(4)} ms   ` +
      `errors ${result.errors}   statuses ${JSON.stringify(result.statuses)} (expected ${expectedStatus})`,
  );
}

await withSystem('convene-bench', async (system) => {
  const gateway = system.gatewayUrl;
  const credentials = { email: 'bench@example.com', password: 'bench-password-8f2e' };
  const { accessToken } = await postJson<{ accessToken: string }>(`${gateway}/v1/auth/register`, {
    ...credentials,
    displayName: 'Bench',
  });
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
});
