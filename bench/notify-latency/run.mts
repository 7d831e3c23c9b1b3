// `npm run bench:notify-latency`: how soon a registration's attendee hears of it on the live stream.
// NOTIFY_USERS attendees (default 100) each hold a notification stream open through the gateway
// (GET /v1/me/notifications/stream, server-sent events) while they register for NOTIFY_EVENTS
// published events each (default 5; everyone gets a seat), at a fixed NOTIFY_RATE (default 100
// registrations/s, open loop: a slow answer does not delay the next request), attendees taking turns.
// Per registration it measures the time from its 201 to its `registration.confirmed` notification
// (that event's) arriving on that attendee's stream, and prints p50/p99/max, the rate achieved, the
// notifications lost (not arrived NOTIFY_TIMEOUT_MS, default 30 s, after the last 201) and the
// duplicates. The system runs with a mail catcher, so each confirmation's email is sent for real.
// NOTIFY_STREAMS=false runs the same registrations with no stream open, for comparison.
import { randomUUID } from 'node:crypto';
import { startMailCatcher } from '../../scripts/lib/mail-catcher.mts';
import { pool, postJson, signUp, withSystem } from '../lib/system.mts';

const USERS = Number(process.env.NOTIFY_USERS ?? 100);
const EVENTS = Number(process.env.NOTIFY_EVENTS ?? 5);
const REGISTRATIONS = USERS * EVENTS;
const RATE = Number(process.env.NOTIFY_RATE ?? 100);
const TIMEOUT_MS = Number(process.env.NOTIFY_TIMEOUT_MS ?? 30_000);
/** NOTIFY_STREAMS=false: the same registrations with nobody watching (what the streams cost). */
const WITH_STREAMS = process.env.NOTIFY_STREAMS !== 'false';
const PASSWORD = 'notify-latency-bench-password';

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
}

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** When a notification arrived on the stream (wall clock, ms) and when it was stored (its createdAt). */
interface Arrival {
  at: number;
  storedAt: number;
}

/** One attendee's live stream: when each `registration.confirmed` arrived. */
interface Watch {
  /** Each confirmation's arrival, by event; more than one entry is a duplicate. */
  confirmations: Map<string, Arrival[]>;
  close(): void;
}

async function watch(gateway: string, token: string): Promise<Watch> {
  const abort = new AbortController();
  const response = await fetch(`${gateway}/v1/me/notifications/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`stream → ${response.status} ${await response.text()}`);
  const result: Watch = { confirmations: new Map(), close: () => abort.abort() };
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const at = Date.now();
        buffered += decoder.decode(value, { stream: true });
        let end = buffered.indexOf('\n\n');
        while (end !== -1) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
          const data = frame
            .split('\n')
            .find((line) => line.startsWith('data: '))
            ?.slice(6);
          if (!data) continue; // a comment (keep-alive)
          const notification = JSON.parse(data) as { kind: string; eventId?: string; createdAt: string };
          if (notification.kind !== 'registration.confirmed' || !notification.eventId) continue;
          result.confirmations.set(notification.eventId, [
            ...(result.confirmations.get(notification.eventId) ?? []),
            // Both clocks are this machine's (the emulator stamps createdAt).
            { at, storedAt: Date.parse(notification.createdAt) },
          ]);
        }
      }
    } catch {
      // aborted at the end of the run
    }
  })();
  return result;
}

const catcher = await startMailCatcher();
// The apps inherit this process's environment: their email goes to the catcher, not nowhere.
process.env.SMTP_HOST = catcher.smtpHost;
process.env.SMTP_PORT = String(catcher.smtpPort);
try {
  await withSystem('convene-notify-latency', async (system) => {
    const gateway = system.gatewayUrl;

    // ── setup (not measured): the organizer, the event, the attendees and their streams ──
    const organizer = await postJson<{ accessToken: string }>(`${gateway}/v1/auth/register`, {
      email: `organizer-${randomUUID()}@example.com`,
      password: PASSWORD,
      displayName: 'Latency Organizer',
    });
    const { accessToken: organizerToken } = await postJson<{ accessToken: string }>(
      `${gateway}/v1/me/organizer`,
      {},
      organizer.accessToken,
    );
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    const events: string[] = [];
    for (let e = 0; e < EVENTS; e++) {
      const event = await postJson<{ id: string }>(
        `${gateway}/v1/events`,
        {
          title: `Notification latency night ${e + 1}`,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 3 * 3_600_000).toISOString(),
          timezone: 'Europe/Paris',
          venue: { name: 'Bench hall', address: '1 rue du Test, Paris' },
          category: 'meetup',
          capacity: USERS,
        },
        organizerToken,
      );
      await postJson(`${gateway}/v1/events/${event.id}/publish`, {}, organizerToken);
      events.push(event.id);
    }

    process.stdout.write(`creating ${USERS} accounts… `);
    const tokens = await signUp(gateway, USERS, 'attendee', PASSWORD);
    console.log('done');
    // Everyone's welcome first: the run then measures confirmations on a quiet system.
    process.stdout.write('waiting for the welcomes… ');
    let welcomed = new Set<number>();
    await until(
      'every welcome',
      async () => {
        const pending = tokens.map((_, i) => i).filter((i) => !welcomed.has(i));
        const found = await pool(pending, 16, async (i) => {
          const page = await fetch(`${gateway}/v1/me/notifications?limit=1`, {
            headers: { authorization: `Bearer ${tokens[i]}` },
          });
          return (((await page.json()) as { items?: unknown[] }).items?.length ?? 0) > 0 ? i : -1;
        });
        welcomed = new Set([...welcomed, ...found.filter((i) => i >= 0)]);
        return welcomed.size === USERS;
      },
      120_000,
    );
    console.log('done');
    const streams = WITH_STREAMS
      ? await pool(tokens, 16, (token) => watch(gateway, token))
      : tokens.map((): Watch => ({ confirmations: new Map(), close: () => undefined }));
    await new Promise((resolve) => setTimeout(resolve, 3000));

    // ── the run: registrations at a fixed rate, attendees taking turns, each 201 timed ──
    const plan = Array.from({ length: REGISTRATIONS }, (_, k) => ({
      user: k % USERS,
      event: events[Math.floor(k / USERS)],
    }));
    const answered: (number | undefined)[] = new Array(REGISTRATIONS);
    const statuses: Record<string, number> = {};
    const interval = 1000 / RATE;
    const started = performance.now();
    let lastSent = started;
    await Promise.all(
      plan.map(async ({ user, event }, k) => {
        const wait = started + k * interval - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        lastSent = Math.max(lastSent, performance.now());
        const response = await fetch(`${gateway}/v1/events/${event}/registrations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens[user]}`, 'content-type': 'application/json' },
          body: '{}',
        });
        await response.arrayBuffer();
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (response.status === 201) answered[k] = Date.now();
      }),
    );
    const sentRate = REGISTRATIONS / ((lastSent - started) / 1000 + interval / 1000);
    const achieved = REGISTRATIONS / ((performance.now() - started) / 1000);

    const arrived = (k: number) => streams[plan[k].user].confirmations.get(plan[k].event)?.[0];
    if (!WITH_STREAMS) {
      console.log(
        `\n${REGISTRATIONS} registrations at ${RATE}/s, nobody watching: ${JSON.stringify(statuses)}; sent at ${sentRate.toFixed(1)}/s, answered at ${achieved.toFixed(1)}/s`,
      );
      return;
    }
    await until(
      'every confirmation (or the timeout)',
      () => plan.every((_, k) => answered[k] === undefined || arrived(k) !== undefined),
      TIMEOUT_MS,
    ).catch(() => undefined);
    // Duplicates would follow the first arrival: give them a moment.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    for (const stream of streams) stream.close();

    const latencies: number[] = [];
    const toStored: number[] = [];
    const storedToStream: number[] = [];
    let lost = 0;
    let beforeThe201 = 0;
    const duplicates = streams.reduce(
      (sum, stream) => sum + [...stream.confirmations.values()].reduce((n, times) => n + times.length - 1, 0),
      0,
    );
    plan.forEach((_, k) => {
      if (answered[k] === undefined) return;
      const arrival = arrived(k);
      if (arrival === undefined) {
        lost += 1;
        return;
      }
      // The stream may beat the HTTP answer to the client: that counts as no wait at all.
      if (arrival.at < answered[k]!) beforeThe201 += 1;
      latencies.push(Math.max(0, arrival.at - answered[k]!));
      toStored.push(arrival.storedAt - answered[k]!);
      storedToStream.push(arrival.at - arrival.storedAt);
    });
    for (const figures of [latencies, toStored, storedToStream]) figures.sort((a, b) => a - b);

    console.log(
      `\nnotification latency: ${USERS} attendees with a live stream each, ${REGISTRATIONS} registrations ` +
        `(${EVENTS} events each) at ${RATE}/s (fixed rate), through the gateway`,
    );
    console.log(
      `  registrations: ${JSON.stringify(statuses)}; sent at ${sentRate.toFixed(1)}/s, ` +
        `answered at ${achieved.toFixed(1)}/s (first request to last answer)`,
    );
    console.log(
      `  201 → registration.confirmed on the stream: p50 ${percentile(latencies, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(0)} ms ` +
        `(${latencies.length} measured, ${beforeThe201} arrived before the 201)`,
    );
    console.log(
      `  of which 201 → stored (the notification's createdAt): p50 ${percentile(toStored, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(toStored, 99).toFixed(0)} ms; stored → on the stream: p50 ` +
        `${percentile(storedToStream, 50).toFixed(0)} ms, p99 ${percentile(storedToStream, 99).toFixed(0)} ms`,
    );
    console.log(`  lost (not arrived ${TIMEOUT_MS / 1000} s after the last 201): ${lost}, duplicates: ${duplicates}`);
  });
} finally {
  await catcher.stop();
}
