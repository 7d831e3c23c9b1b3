// Helpers for the registration e2e tests: events in the state a test needs, registrations, and a
// reader for the availability stream (server-sent events) as a browser's fetch sees it.
import type { TestAccount } from './accounts';
import { newEventBody } from './event-fixtures';
import { api, gatewayUrl, type ApiResponse } from './gateway';

export function expectProblem(response: ApiResponse, status: number, code?: string): void {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, ...(code ? { code } : {}) });
  expect(response.status).toBe(status);
}

export async function createDraftEvent(owner: TestAccount, overrides: Record<string, unknown> = {}): Promise<any> {
  const created = await api('/v1/events', { json: newEventBody(overrides), token: owner.accessToken });
  if (created.status !== 201) throw new Error(`create event → ${created.status} ${created.text}`);
  return created.body;
}

export async function createPublishedEvent(owner: TestAccount, overrides: Record<string, unknown> = {}): Promise<any> {
  const draft = await createDraftEvent(owner, overrides);
  const published = await api(`/v1/events/${draft.id}/publish`, { method: 'POST', token: owner.accessToken });
  if (published.status !== 200) throw new Error(`publish → ${published.status} ${published.text}`);
  return published.body;
}

/** POST /v1/events/{id}/registrations as `attendee`; the raw response. */
export function registerFor(eventId: string, attendee: TestAccount, headers: Record<string, string> = {}) {
  return api(`/v1/events/${eventId}/registrations`, { method: 'POST', token: attendee.accessToken, headers });
}

/** Registers `attendee` and answers the registration; anything but 201 fails the test. */
export async function registered(eventId: string, attendee: TestAccount): Promise<any> {
  const response = await registerFor(eventId, attendee);
  if (response.status !== 201) throw new Error(`register → ${response.status} ${response.text}`);
  return response.body;
}

export async function grantStaff(owner: TestAccount, eventId: string, userId: string): Promise<void> {
  const granted = await api(`/v1/events/${eventId}/staff/${userId}`, { method: 'PUT', token: owner.accessToken });
  if (granted.status !== 200) throw new Error(`grant staff → ${granted.status} ${granted.text}`);
}

/** GET that answers the body as bytes (PNG) along with its headers. */
export async function getBytes(
  path: string,
  init: { token?: string; accept?: string } = {},
): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.accept) headers.accept = init.accept;
  const response = await fetch(`${gatewayUrl()}${path}`, { headers });
  return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
}

export interface ServerSentEvent {
  event: string;
  data: any;
}

export interface EventStreamReader {
  response: Response;
  /** The next event (comments skipped), or undefined when the stream ended; fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<ServerSentEvent | undefined>;
  close(): void;
}

/** Opens a server-sent events stream with fetch and parses its events; close() aborts the request. */
export async function openEventStream(path: string): Promise<EventStreamReader> {
  const abort = new AbortController();
  const response = await fetch(`${gatewayUrl()}${path}`, {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';

  async function nextEvent(): Promise<ServerSentEvent | undefined> {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end !== -1) {
        const lines = buffered.slice(0, end).split('\n');
        buffered = buffered.slice(end + 2);
        const value = (field: string) =>
          lines
            .filter((line) => line.startsWith(`${field}:`))
            .map((line) => line.slice(field.length + 1).replace(/^ /, ''))
            .join('\n');
        if (lines.every((line) => line.startsWith(':'))) continue; // a comment (keep-alive)
        return { event: value('event') || 'message', data: JSON.parse(value('data')) };
      }
      const { value, done } = await reader.read();
      if (done) return undefined;
      buffered += decoder.decode(value, { stream: true });
    }
  }

  return {
    response,
    next: (timeoutMs = 10_000) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no server-sent event within ${timeoutMs} ms`)), timeoutMs);
      });
      return Promise.race([nextEvent(), timeout]).finally(() => clearTimeout(timer));
    },
    close: () => abort.abort(),
  };
}
