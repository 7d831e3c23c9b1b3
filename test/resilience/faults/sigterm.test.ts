import { registerOrganizer, type TestAccount } from '../../support/accounts';
import { api } from '../../support/gateway';
import { sleep } from '../../../scripts/lib/emulators.mts';
import { publishedEvents, signUpCrowd } from './support/crowd';
import { reportFigures, seconds } from './support/figures';
import { killService, sharedSystemEnv, startService, type ServiceProcess } from './support/services';

/**
 * Issue 10, "SIGTERM under load → readiness flips first, 0 failed in-flight requests, exit < 10 s",
 * for the gateway and for a backend (registrations). Each is an extra process beside the shared
 * system (the gateway: a second one on its own port; registrations: a replica that a gateway of this
 * file's own routes to), so the shared system keeps serving the next test files.
 *
 * Clients keep sending requests (registrations and reads) through the gateway while /readyz is
 * polled; then the process gets SIGTERM. /readyz must be seen answering 503 "shutting down" while the
 * process still serves; every request sent until then (so every one in flight at the signal) must
 * complete with an answer below 500; the process must exit within 10 s.
 */
jest.setTimeout(180_000);

const WORKERS = 16;
/** Requests completed before the signal: the load is steady by then. */
const WARM_UP = 40;
const EXIT_LIMIT_MS = 10_000;

interface Sent {
  sentAt: number;
  doneAt: number;
  status: number; // 0: no HTTP answer (refused, reset)
}

interface Outcome {
  inFlightAtSignal: number;
  sentBeforeSignal: Sent[];
  /** Sent before the poller had seen readiness down (a later moment than the flip itself). */
  sentBeforeFlipSeen: Sent[];
  sentAfterSignal: Sent[];
  readinessFlippedAfterMs?: number;
  stoppedAcceptingAfterMs?: number;
  exitedAfterMs: number;
  exitCode: number | null;
  exitSignal: string | null;
}

/**
 * Drives `load` from WORKERS loops and polls `target`'s /readyz; SIGTERMs `target` once the load is
 * steady, and goes on until it exited.
 */
async function terminateUnderLoad(target: ServiceProcess, load: (worker: number) => Promise<number>) {
  const sent: Sent[] = [];
  let signalledAt = Infinity;
  let exitedAt = Infinity;
  let flippedAt: number | undefined; // when the first /readyz 503 that says "shutting down" came back
  let refusedAt: number | undefined; // when a /readyz first went out that the app did not answer
  const exited = target.exited.then((how) => ((exitedAt = Date.now()), how));

  const workers = Array.from({ length: WORKERS }, async (_, worker) => {
    while (Date.now() < exitedAt) {
      const sentAt = Date.now();
      const status = await load(worker).catch(() => 0);
      sent.push({ sentAt, doneAt: Date.now(), status });
      if (sentAt > signalledAt && status !== 0 && status < 500) continue;
      if (sentAt > signalledAt) await sleep(5); // nothing to reach: do not spin
    }
  });
  const poller = (async () => {
    while (Date.now() < exitedAt) {
      const askedAt = Date.now();
      try {
        const response = await fetch(`${target.url}/readyz`, { signal: AbortSignal.timeout(5000) });
        const body = (await response.json().catch(() => ({}))) as { checks?: Record<string, unknown> };
        if (response.status === 503 && body.checks?.shutdown && flippedAt === undefined) flippedAt = Date.now();
        // A 503 that is not the readiness report: the server itself refusing while it closes.
        if (response.status === 503 && !body.checks && askedAt > signalledAt) refusedAt ??= askedAt;
      } catch {
        if (askedAt > signalledAt && refusedAt === undefined) refusedAt = askedAt;
      }
      await sleep(2);
    }
  })();

  while (sent.length < WARM_UP) await sleep(10);
  signalledAt = Date.now();
  target.process.kill('SIGTERM');
  const how = await exited;
  await Promise.all([...workers, poller]);

  const before = sent.filter((s) => s.sentAt < signalledAt);
  return {
    inFlightAtSignal: before.filter((s) => s.doneAt >= signalledAt).length,
    sentBeforeSignal: before,
    sentBeforeFlipSeen: sent.filter((s) => s.sentAt < (flippedAt ?? signalledAt)),
    sentAfterSignal: sent.filter((s) => s.sentAt >= signalledAt),
    readinessFlippedAfterMs: flippedAt === undefined ? undefined : flippedAt - signalledAt,
    stoppedAcceptingAfterMs: refusedAt === undefined ? undefined : refusedAt - signalledAt,
    exitedAfterMs: exitedAt - signalledAt,
    exitCode: how.code,
    exitSignal: how.signal,
  } satisfies Outcome;
}

function summary(o: Outcome): Record<string, unknown> {
  const failedBefore = o.sentBeforeSignal.filter((s) => s.status === 0 || s.status >= 500);
  const after = (test: (s: Sent) => boolean) => o.sentAfterSignal.filter(test).length;
  return {
    requestsBeforeSignal: o.sentBeforeSignal.length,
    inFlightAtSignal: o.inFlightAtSignal,
    failedInFlight: failedBefore.length,
    requestsBeforeReadinessSeenDown: o.sentBeforeFlipSeen.length,
    failedBeforeReadinessSeenDown: o.sentBeforeFlipSeen.filter((s) => s.status === 0 || s.status >= 500).length,
    failedStatuses: [...new Set(failedBefore.map((s) => s.status))],
    readinessFlippedAfterMs: o.readinessFlippedAfterMs,
    stoppedAcceptingAfterMs: o.stoppedAcceptingAfterMs,
    exitedAfterMs: o.exitedAfterMs,
    exitLimitMs: EXIT_LIMIT_MS,
    exitCode: o.exitCode,
    exitSignal: o.exitSignal,
    afterSignal: {
      ok: after((s) => s.status > 0 && s.status < 500),
      refused: after((s) => s.status === 0),
      status5xx: after((s) => s.status >= 500),
    },
  };
}

function line(name: string, o: Outcome): string {
  const failed = o.sentBeforeSignal.filter((s) => s.status === 0 || s.status >= 500).length;
  return (
    `${name}: ${o.sentBeforeSignal.length} requests before SIGTERM (${o.inFlightAtSignal} in flight), ${failed} failed; ` +
    `/readyz 503 after ${o.readinessFlippedAfterMs ?? '—'} ms, refused after ${o.stoppedAcceptingAfterMs ?? '—'} ms, ` +
    `exit ${o.exitCode ?? o.exitSignal} after ${seconds(o.exitedAfterMs)}`
  );
}

function expectGraceful(o: Outcome): void {
  expect(o.inFlightAtSignal).toBeGreaterThan(0); // the signal did land under load
  expect(o.readinessFlippedAfterMs).toBeDefined(); // seen "not ready" while it still answered
  // Everything sent until then (a superset of what was in flight at the signal) got a real answer.
  expect(o.sentBeforeFlipSeen.filter((s) => s.status === 0 || s.status >= 500)).toEqual([]);
  if (o.stoppedAcceptingAfterMs !== undefined)
    expect(o.readinessFlippedAfterMs!).toBeLessThan(o.stoppedAcceptingAfterMs);
  expect(o.exitCode === 0 || o.exitSignal === 'SIGTERM').toBe(true);
  expect(o.exitedAfterMs).toBeLessThan(EXIT_LIMIT_MS);
}

describe('SIGTERM under load', () => {
  const sharedGateway = process.env.CONVENE_GATEWAY_URL;
  const started: ServiceProcess[] = [];
  let people: TestAccount[];
  let eventIds: string[];
  let env: Record<string, string>;

  beforeAll(async () => {
    env = { ...sharedSystemEnv(), LOG_LEVEL: 'warn' };
    const organizer = await registerOrganizer();
    [people, eventIds] = await Promise.all([
      signUpCrowd(WORKERS, 'Steady', { quietEmail: true }),
      publishedEvents(organizer, 2, 2 * WORKERS),
    ]);
  }, 120_000);

  afterAll(async () => {
    process.env.CONVENE_GATEWAY_URL = sharedGateway;
    await Promise.all(started.map(killService));
  });

  /**
   * Through `gateway` (api() follows CONVENE_GATEWAY_URL), workers ask for a seat at one busy `event`
   * three times in four (201 the first time, then 409 with the seat held: each is a turn in the
   * registrations service's lane for that event, which thus never stays empty for long) and otherwise
   * read their registrations, without a pause.
   */
  const steadyLoad = (gateway: ServiceProcess, event: string) => {
    process.env.CONVENE_GATEWAY_URL = gateway.url;
    let turn = 0;
    return async (worker: number) => {
      const person = people[worker];
      const response =
        turn++ % 4 !== 3
          ? await api(`/v1/events/${event}/registrations`, { method: 'POST', token: person.accessToken })
          : await api('/v1/me/registrations', { token: person.accessToken });
      return response.status;
    };
  };

  it('a gateway: flips readiness, finishes what it was sent, exits in time', async () => {
    const gateway = await startService('gateway', { env, logName: 'sigterm-gateway' });
    started.push(gateway);
    const outcome = await terminateUnderLoad(gateway, steadyLoad(gateway, eventIds[0]));
    reportFigures('sigterm-gateway', line('gateway', outcome), summary(outcome));
    expectGraceful(outcome);
  });

  it('the registrations service: flips readiness, finishes what it was sent, exits in time', async () => {
    const registrations = await startService('registrations', { env, logName: 'sigterm-registrations' });
    started.push(registrations);
    const gateway = await startService('gateway', {
      env: { ...env, REGISTRATIONS_GRPC_URL: registrations.grpcUrl! },
      logName: 'sigterm-registrations-gateway',
    });
    started.push(gateway);
    const outcome = await terminateUnderLoad(registrations, steadyLoad(gateway, eventIds[1]));
    reportFigures('sigterm-registrations', line('registrations', outcome), summary(outcome));
    expectGraceful(outcome);
  });
});
