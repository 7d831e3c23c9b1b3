// `npm run bench:flash-sale`: an on-sale rush through the gateway. FLASH_USERS distinct people
// (default 2000) register for an event of FLASH_SEATS seats (default 500) at FLASH_CONCURRENCY
// requests in flight (default 200), each once — twice, on two events: first without, then with an
// Idempotency-Key per request (as a careful client sends). For each rush it prints confirmed,
// waitlisted, responses by status, oversold (must be 0), duplicates, requests/s, p50/p99 and how the
// registrations service batched; and the baseline, measured first on the same quiet emulator:
// sequential single-registration transactions (registrations/s), with each rush's ratio.
// Targets: 0 oversold, 0 5xx, p99 < 2 s, throughput >= 3x the baseline.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib/system.mts';
import { pool, postJson, signUp, withSystem } from '../lib/system.mts';

const require = createRequire(import.meta.url);
const USERS = Number(process.env.FLASH_USERS ?? 2000);
const SEATS = Number(process.env.FLASH_SEATS ?? 500);
const CONCURRENCY = Number(process.env.FLASH_CONCURRENCY ?? 200);
const BASELINE_REGISTRATIONS = Number(process.env.FLASH_BASELINE ?? 300);
const PASSWORD = 'flash-sale-bench-password';

/** How many batches (and registrations in them) the registrations service committed so far, from its /metrics. */
async function batchFigures(appUrl: string): Promise<{ batches: number; registrations: number }> {
  const metrics = await (await fetch(`${appUrl}/metrics`)).text();
  const value = (name: string) =>
    Number(
      metrics
        .split('\n')
        .find((line) => line.startsWith(name))
        ?.split(' ')
        .at(-1) ?? 0,
    );
  return {
    batches: value('convene_registration_batch_size_count'),
    registrations: value('convene_registration_batch_size_sum'),
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

await withSystem('convene-flash-sale', async (system, emulators) => {
  const gateway = system.gatewayUrl;
  const projectId = 'convene-flash-sale';

  // ── setup (not measured): an organizer, the event, and USERS accounts ──
  const organizer = await postJson<{ accessToken: string }>(`${gateway}/v1/auth/register`, {
    email: `organizer-${randomUUID()}@example.com`,
    password: PASSWORD,
    displayName: 'Flash Organizer',
  });
  const { accessToken: organizerToken } = await postJson<{ accessToken: string }>(
    `${gateway}/v1/me/organizer`,
    {},
    organizer.accessToken,
  );
  const startsAt = new Date(Date.now() + 7 * 86_400_000);
  const publishEvent = async (title: string): Promise<string> => {
    const event = await postJson<{ id: string }>(
      `${gateway}/v1/events`,
      {
        title,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
        timezone: 'Europe/Paris',
        venue: { name: 'Bench hall', address: '1 rue du Test, Paris' },
        category: 'concert',
        capacity: SEATS,
        waitlistEnabled: true,
      },
      organizerToken,
    );
    await postJson(`${gateway}/v1/events/${event.id}/publish`, {}, organizerToken);
    return event.id;
  };
  const plainEvent = await publishEvent('Flash sale night');
  const keyedEvent = await publishEvent('Flash sale night, careful clients');
  process.stdout.write(`creating ${USERS} accounts… `);
  const tokens = await signUp(gateway, USERS, 'fan', PASSWORD);
  console.log('done');

  const { createFirestore } = require(join(ROOT, 'dist/libs/firestore/src/index.js'));
  const db: import('@google-cloud/firestore').Firestore = createFirestore({
    projectId,
    emulatorHost: emulators.firestoreHost,
  });
  /**
   * Waits until the asynchronous consumers caught up with the previous phase (`done` counts what
   * they store), so each measured phase starts on a quiet system rather than on another's backlog.
   */
  const settle = async (what: string, done: () => Promise<boolean>): Promise<void> => {
    const deadline = Date.now() + 180_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`the system did not settle: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  };
  const count = async (query: import('@google-cloud/firestore').Query) => (await query.count().get()).data().count;
  // Every new account is welcomed (in-app and by email): let those go before measuring anything.
  await settle('welcome notifications and emails', async () => {
    const welcomed = await count(db.collection('notifications').where('kind', '==', 'welcome'));
    const unsent = await count(db.collection('emailOutbox').where('status', '==', 'pending'));
    return welcomed >= USERS + 1 && unsent === 0;
  });
  // ── baseline, before the rush: one registration per transaction, one after the other, on the emulator ──
  const { RegistrationsStore } = require(
    join(ROOT, 'dist/apps/registrations/src/registrations/registrations.store.js'),
  );
  const { Outbox } = require(join(ROOT, 'dist/libs/pubsub/src/index.js'));
  const { Clock } = require(join(ROOT, 'dist/libs/common/src/index.js'));
  const store = new RegistrationsStore(db, new Outbox(db, { service: 'registrations' }), new Clock());
  const baselineEvent = randomUUID();
  await store.ensureInventory({ eventId: baselineEvent, capacity: BASELINE_REGISTRATIONS, capacityVersion: 0 });
  const { shards: baselineShards } = await store.readInventory(baselineEvent);
  const baselineStarted = performance.now();
  for (let i = 0; i < BASELINE_REGISTRATIONS; i++) {
    const shard = baselineShards.find((s: { capacity: number; taken: number }) => s.taken < s.capacity);
    const [outcome] = await store.confirmBatch(baselineEvent, shard.index, [
      {
        userId: randomUUID(),
        holderName: 'Baseline',
        eventTitle: 'Baseline',
        eventStartsAt: startsAt.toISOString(),
        eventEndsAt: startsAt.toISOString(),
      },
    ]);
    if (outcome.kind !== 'confirmed') throw new Error(`baseline registration ${i} was ${outcome.kind}`);
    shard.taken += 1;
  }
  const baseline = BASELINE_REGISTRATIONS / ((performance.now() - baselineStarted) / 1000);

  // The baseline's own outbox messages go out and are consumed before the rushes start.
  await settle('the baseline’s messages', async () => {
    const projected = await count(db.collection('seatProjections').doc(baselineEvent).collection('registrations'));
    return projected >= BASELINE_REGISTRATIONS;
  });

  const registrationsUrl = system.apps.find((app) => app.name === 'registrations')!.url;

  /** Everyone registers once for `eventId`, CONCURRENCY at a time; then what is stored is counted. */
  const rush = async (eventId: string, withKeys: boolean) => {
    const statuses: Record<string, number> = {};
    const latencies: number[] = [];
    const outcomes = { confirmed: 0, waitlisted: 0 };
    const batchesBefore = await batchFigures(registrationsUrl);
    const started = performance.now();
    await pool(tokens, CONCURRENCY, async (token) => {
      const t0 = performance.now();
      const response = await fetch(`${gateway}/v1/events/${eventId}/registrations`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(withKeys ? { 'idempotency-key': randomUUID() } : {}),
        },
        body: '{}',
      });
      const body = (await response.json()) as { status?: string };
      latencies.push(performance.now() - t0);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (body.status === 'confirmed') outcomes.confirmed += 1;
      if (body.status === 'waitlisted') outcomes.waitlisted += 1;
    });
    const seconds = (performance.now() - started) / 1000;
    const batchesAfter = await batchFigures(registrationsUrl);
    latencies.sort((a, b) => a - b);

    const registrations = await db.collection('registrations').where('eventId', '==', eventId).get();
    const confirmedDocs = registrations.docs.filter((d) => d.get('status') === 'confirmed').length;
    const activeByUser = new Map<string, number>();
    for (const doc of registrations.docs) {
      if (doc.get('status') === 'cancelled') continue;
      activeByUser.set(doc.get('userId'), (activeByUser.get(doc.get('userId')) ?? 0) + 1);
    }
    const shards = await db.collection('inventory').doc(eventId).collection('shards').get();
    const batches = batchesAfter.batches - batchesBefore.batches;
    return {
      withKeys,
      outcomes,
      statuses,
      fiveXx: Object.entries(statuses)
        .filter(([code]) => code.startsWith('5'))
        .reduce((sum, [, n]) => sum + n, 0),
      confirmedDocs,
      seatsTaken: shards.docs.reduce((sum, d) => sum + (d.get('taken') as number), 0),
      duplicates: [...activeByUser.values()].filter((n) => n > 1).length,
      throughput: USERS / seconds,
      seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      batches,
      perBatch: batches ? (batchesAfter.registrations - batchesBefore.registrations) / batches : 0,
    };
  };

  const plain = await rush(plainEvent, false);
  // Let the first rush's messages be consumed (everyone told) before the second starts.
  await settle('the first rush’s notifications and emails', async () => {
    const told = await count(db.collection('notifications').where('eventId', '==', plainEvent));
    const unsent = await count(db.collection('emailOutbox').where('status', '==', 'pending'));
    return told >= USERS && unsent === 0;
  });
  const keyed = await rush(keyedEvent, true);
  await db.terminate();

  console.log(`\nflash sale: ${USERS} people, ${SEATS} seats, ${CONCURRENCY} in flight, through the gateway`);
  console.log(
    `baseline: sequential single-registration transactions on the emulator: ${baseline.toFixed(0)} registrations/s`,
  );
  for (const r of [plain, keyed]) {
    console.log(r.withKeys ? 'with an Idempotency-Key per request:' : 'without Idempotency-Keys:');
    console.log(`  confirmed ${r.outcomes.confirmed}, waitlisted ${r.outcomes.waitlisted}`);
    console.log(`  responses by status ${JSON.stringify(r.statuses)}, 5xx ${r.fiveXx}`);
    console.log(
      `  stored: confirmed ${r.confirmedDocs}, seats taken ${r.seatsTaken}, ` +
        `oversold ${Math.max(0, r.confirmedDocs - SEATS)}, duplicates ${r.duplicates}`,
    );
    console.log(
      `  ${r.throughput.toFixed(0)} registrations/s (${r.seconds.toFixed(2)} s), p50 ${r.p50.toFixed(0)} ms, ` +
        `p99 ${r.p99.toFixed(0)} ms; ${r.batches} batches of ${r.perBatch.toFixed(1)} on average`,
    );
    console.log(`  ratio: ${(r.throughput / baseline).toFixed(2)}x the baseline (target >= 3x)`);
  }
});
