// `npm run bench:read-path`: the public read path through the gateway at a fixed rate.
// Seeds published events, then sends GET /v1/events (first page, a filtered page, a later page) and
// GET /v1/events/{id} in turn at READ_RATE req/s (default 300) for READ_SECONDS (default 30), and
// prints p50/p99, errors, statuses and the event-loop delay p99 of the gateway and of the events
// service (from their own /metrics). Target on this 2-core machine: p99 < 100 ms, 0 errors.
// Then where the time went: CPU per process and server-side latency per route (where-time-goes.mts).
import { loadavg } from 'node:os';
import { load } from '../lib/load.mts';
import { postJson, withSystem } from '../lib/system.mts';
import { report, snapshot } from './where-time-goes.mts';

const rate = Number(process.env.READ_RATE ?? 300);
const seconds = Number(process.env.READ_SECONDS ?? 30);
const EVENTS = 120;
const DAY = 24 * 3600 * 1000;

await withSystem('convene-read-path', async (system, emulators) => {
  const gateway = system.gatewayUrl;
  const session = await postJson<{ accessToken: string }>(`${gateway}/v1/auth/register`, {
    email: 'read-path@example.com',
    password: 'read-path-bench-password',
    displayName: 'Bench Organizer',
  });
  const { accessToken } = await postJson<{ accessToken: string }>(
    `${gateway}/v1/me/organizer`,
    {},
    session.accessToken,
  );
  const ids: string[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const startsAt = new Date(Date.now() + (10 + i) * DAY);
    const event = await postJson<{ id: string }>(
      `${gateway}/v1/events`,
      {
        title: `Read path ${i % 2 ? 'jazz' : 'tech'} night ${i}`,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3 * 3600_000).toISOString(),
        timezone: 'Europe/Paris',
        venue: { name: 'Bench hall', address: '1 rue du Test, Paris' },
        category: i % 3 ? 'meetup' : 'concert',
        tags: ['bench'],
        capacity: 100,
      },
      accessToken,
    );
    await postJson(`${gateway}/v1/events/${event.id}/publish`, {}, accessToken);
    ids.push(event.id);
  }
  const firstPage = (await (await fetch(`${gateway}/v1/events?limit=20`)).json()) as { nextCursor: string };
  const paths = [
    '/v1/events?limit=20',
    `/v1/events/${ids[7]}`,
    '/v1/events?category=concert&limit=20',
    `/v1/events/${ids[42]}`,
    `/v1/events?limit=20&cursor=${firstPage.nextCursor}`,
    `/v1/events/${ids[99]}`,
    '/v1/events?q=jazz&limit=20',
  ];

  console.log(
    `node ${process.version}; ${EVENTS} published events; ${rate} req/s for ${seconds} s; 2 cores shared with the load generator`,
  );
  const watched = system.apps.map((app) => ({ name: app.name, url: app.url }));
  const jvms = { firestore: emulators.firestoreHost, pubsub: emulators.pubsubHost };
  // Others' processes share the 2 cores: say how loaded the machine was, to read the figures by.
  const loadAverage = () => loadavg()[0].toFixed(1);
  console.log(`machine load average (1 min) before the load: ${loadAverage()}`);
  const before = await snapshot(watched, jvms);
  const result = await load(gateway, { connections: 32, durationSeconds: seconds, overallRate: rate, paths });
  const after = await snapshot(watched, jvms);
  console.log(
    `read path: ${result.requestsPerSecond.toFixed(1)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   ` +
      `errors ${result.errors}   statuses ${JSON.stringify(result.statuses)}`,
  );
  for (const line of report(before, after)) console.log(line);
  console.log(`machine load average (1 min) after the load: ${loadAverage()}`);
  console.log(
    `target p99 < 100 ms and 0 errors: ${result.p99Ms < 100 && result.errors === 0 && result.non2xx === 0 ? 'met' : 'NOT met'}`,
  );
});
