// What the load is made of, through the public API only: browsing the event listing, opening an event, and
// signing up then registering for an event (a fresh user each time, so every registration takes a seat).
import { randomUUID } from 'node:crypto';

export interface Call {
  route: string;
  status: string;
  latencyMs: number;
}

export interface Scenario {
  /** Published events the load reads and registers for. */
  eventIds: string[];
  operations: Record<OperationName, () => Promise<Call[]>>;
}

export type OperationName = 'list' | 'get' | 'register';

const DAY_MS = 24 * 3600 * 1000;
const TIMEOUT_MS = 10_000;

async function send(
  baseUrl: string,
  route: string,
  path: string,
  init: { method?: string; token?: string; json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ call: Call; body: unknown }> {
  const started = performance.now();
  try {
    const response = await fetch(`${baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { call: { route, status: String(response.status), latencyMs: performance.now() - started }, body };
  } catch {
    return { call: { route, status: 'error', latencyMs: performance.now() - started }, body: undefined };
  }
}

async function must<T>(result: Promise<{ call: Call; body: unknown }>, what: string): Promise<T> {
  const { call, body } = await result;
  if (!/^2/.test(call.status)) throw new Error(`setup: ${what} → ${call.status} ${JSON.stringify(body)}`);
  return body as T;
}

/**
 * Creates an organizer and `eventCount` published events with room for every registration the run can make,
 * then answers the operations the scheduler mixes.
 */
export async function prepare(baseUrl: string, eventCount: number, runId: string): Promise<Scenario> {
  const password = `load-test-${runId}-${randomUUID()}`;
  const session = await must<{ accessToken: string }>(
    send(baseUrl, 'setup', '/v1/auth/register', {
      method: 'POST',
      json: { email: `loadtest-organizer-${runId}@example.com`, password, displayName: 'Load Test Organizer' },
    }),
    'sign up the organizer',
  );
  const organizer = await must<{ accessToken: string }>(
    send(baseUrl, 'setup', '/v1/me/organizer', { method: 'POST', token: session.accessToken }),
    'become an organizer',
  );
  const eventIds: string[] = [];
  for (let i = 0; i < eventCount; i++) {
    const startsAt = new Date(Date.now() + (30 + i) * DAY_MS);
    const event = await must<{ id: string }>(
      send(baseUrl, 'setup', '/v1/events', {
        method: 'POST',
        token: organizer.accessToken,
        json: {
          title: `Load test ${runId} #${i}`,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
          timezone: 'Europe/Paris',
          venue: { name: 'Load test hall', address: '1 rue de la Charge, Paris' },
          category: i % 2 ? 'meetup' : 'conference',
          tags: ['loadtest'],
          capacity: 1_000_000,
        },
      }),
      `create event ${i}`,
    );
    await must(
      send(baseUrl, 'setup', `/v1/events/${event.id}/publish`, { method: 'POST', token: organizer.accessToken }),
      `publish event ${i}`,
    );
    eventIds.push(event.id);
  }

  let people = 0;
  const anyEvent = () => eventIds[Math.floor(Math.random() * eventIds.length)];
  return {
    eventIds,
    operations: {
      list: async () => [(await send(baseUrl, 'GET /v1/events', '/v1/events?limit=20')).call],
      get: async () => [(await send(baseUrl, 'GET /v1/events/{id}', `/v1/events/${anyEvent()}`)).call],
      register: async () => {
        const n = ++people;
        const signUp = await send(baseUrl, 'POST /v1/auth/register', '/v1/auth/register', {
          method: 'POST',
          json: { email: `loadtest-${runId}-${n}@example.com`, password, displayName: `Load Tester ${n}` },
        });
        const token = (signUp.body as { accessToken?: string } | undefined)?.accessToken;
        if (!token) return [signUp.call];
        const registration = await send(
          baseUrl,
          'POST /v1/events/{id}/registrations',
          `/v1/events/${anyEvent()}/registrations`,
          {
            method: 'POST',
            token,
            headers: { 'idempotency-key': randomUUID() },
          },
        );
        return [signUp.call, registration.call];
      },
    },
  };
}
