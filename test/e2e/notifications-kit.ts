// Helpers for the notification e2e tests: read back what a person was told, in the app (the API and
// Firestore), on the live stream and by email (the mail catcher), and wait for it without asserting
// on time: every wait is followed by an exact assertion.
import ICAL from 'ical.js';
import type { TestAccount } from '../support/accounts';
import { api, eventually, gatewayUrl } from '../support/gateway';
import { MailCatcher, type CaughtEmail } from '../support/mail-catcher';

/** Messages travel through Pub/Sub and the email sender: generous, as the whole suite shares 2 cores. */
export const ARRIVAL_TIMEOUT_MS = 30_000;
/**
 * How long to keep watching after the first arrival before asserting "exactly one": a duplicate (a
 * redelivered message written twice) would come within this.
 */
export const SETTLE_MS = 2_000;

export const catcher = new MailCatcher();

export function settle(ms = SETTLE_MS): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Every notification of the account, newest first, walking the pages through the API. */
export async function notificationsOf(account: TestAccount, query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams(query);
    params.set('limit', '100');
    if (cursor) params.set('cursor', cursor);
    const page = await api(`/v1/me/notifications?${params}`, { token: account.accessToken });
    if (page.status !== 200) throw new Error(`list notifications → ${page.status} ${page.text}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/** The account's notifications of `kind` (about `eventId`, when given). */
export async function notificationsOfKind(account: TestAccount, kind: string, eventId?: string): Promise<any[]> {
  return (await notificationsOf(account)).filter((n) => n.kind === kind && (!eventId || n.eventId === eventId));
}

/** Waits for the account's first notification of `kind` (about `eventId`), then answers all of them. */
export async function awaitNotifications(account: TestAccount, kind: string, eventId?: string): Promise<any[]> {
  return eventually(
    async () => {
      const found = await notificationsOfKind(account, kind, eventId);
      return found.length > 0 ? found : undefined;
    },
    ARRIVAL_TIMEOUT_MS,
    `a ${kind} notification for ${account.email}`,
  );
}

/**
 * Waits for the account's notification of `kind` about `eventId`, lets duplicates show, and answers
 * the one notification, failing if there are more.
 */
export async function theNotification(account: TestAccount, kind: string, eventId?: string): Promise<any> {
  await awaitNotifications(account, kind, eventId);
  await settle();
  const found = await notificationsOfKind(account, kind, eventId);
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every email delivered to the account's address whose subject passes `subject`. */
export async function emailsTo(account: TestAccount, subject: (text: string) => boolean): Promise<CaughtEmail[]> {
  return (await catcher.to(account.email)).filter((email) => subject(email.subject));
}

/** Waits for the first such email, lets duplicates show, and answers the one email (failing on more). */
export async function theEmail(account: TestAccount, subject: (text: string) => boolean, what: string) {
  await eventually(
    async () => ((await emailsTo(account, subject)).length > 0 ? true : undefined),
    ARRIVAL_TIMEOUT_MS,
    `${what} email to ${account.email}`,
  );
  await settle();
  const found = await emailsTo(account, subject);
  expect(found.map((email) => email.subject)).toHaveLength(1);
  return found[0]!;
}

export const about =
  (...words: string[]) =>
  (subject: string): boolean =>
    words.every((word) => subject.includes(word));

export interface Invite {
  method: string;
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  status: string;
}

/** The email's calendar invite, parsed by a real iCalendar parser (ical.js). */
export async function inviteOf(email: CaughtEmail): Promise<Invite> {
  const ics = await catcher.calendarOf(email);
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    summary: event.summary,
    status: String(vevent.getFirstPropertyValue('status')),
  };
}

/** An instant as an invite states it: iCalendar date-times have whole seconds (RFC 5545 §3.3.5). */
export function toTheSecond(instant: string | Date): string {
  return new Date(Math.floor(new Date(instant).getTime() / 1000) * 1000).toISOString();
}

export function hasInvite(email: CaughtEmail): boolean {
  return (email.attachments ?? []).some((a) => a.contentType.includes('calendar') || a.fileName.endsWith('.ics'));
}

export interface StreamedEvent {
  id: string;
  event: string;
  data: any;
}

export interface NotificationStream {
  response: Response;
  /** The next event (comments skipped), or undefined once the stream ended; fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<StreamedEvent | undefined>;
  /** Events that arrive within `ms` (none expected, typically). */
  drain(ms?: number): Promise<StreamedEvent[]>;
  close(): void;
}

/**
 * Opens the account's live stream with fetch, as a browser's EventSource would (`Last-Event-ID` when
 * resuming). Resolves once the response started: from then on nothing stored is missed.
 */
export async function openNotificationStream(
  account: TestAccount,
  options: { lastEventId?: string; query?: string } = {},
): Promise<NotificationStream> {
  const abort = new AbortController();
  const response = await fetch(`${gatewayUrl()}/v1/me/notifications/stream${options.query ?? ''}`, {
    headers: {
      accept: 'text/event-stream',
      authorization: `Bearer ${account.accessToken}`,
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: abort.signal,
  });
  if (response.status !== 200) throw new Error(`stream → ${response.status} ${await response.text()}`);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let pendingRead: ReturnType<typeof reader.read> | undefined;

  /** One frame out of what was read, or undefined when another read is needed. */
  function takeFrame(): StreamedEvent | 'comment' | undefined {
    const end = buffered.indexOf('\n\n');
    if (end === -1) return undefined;
    const lines = buffered.slice(0, end).split('\n');
    buffered = buffered.slice(end + 2);
    if (lines.every((line) => line.startsWith(':'))) return 'comment';
    const value = (field: string) =>
      lines
        .filter((line) => line.startsWith(`${field}:`))
        .map((line) => line.slice(field.length + 1).replace(/^ /, ''))
        .join('\n');
    return { id: value('id'), event: value('event') || 'message', data: JSON.parse(value('data')) };
  }

  async function nextEvent(deadline: number): Promise<StreamedEvent | undefined | 'timeout'> {
    for (;;) {
      const frame = takeFrame();
      if (frame === 'comment') continue;
      if (frame) return frame;
      // A read that timed out stays pending: the next call picks it up, so no bytes are lost.
      pendingRead ??= reader.read();
      const remaining = deadline - Date.now();
      let timer: NodeJS.Timeout | undefined;
      const result = await Promise.race([
        pendingRead,
        new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, remaining)))),
      ]).finally(() => clearTimeout(timer));
      if (result === 'timeout') return 'timeout';
      pendingRead = undefined;
      if (result.done) return undefined;
      buffered += decoder.decode(result.value, { stream: true });
    }
  }

  return {
    response,
    async next(timeoutMs = ARRIVAL_TIMEOUT_MS) {
      const event = await nextEvent(Date.now() + timeoutMs);
      if (event === 'timeout') throw new Error(`no notification on the stream within ${timeoutMs} ms`);
      return event;
    },
    async drain(ms = SETTLE_MS) {
      const deadline = Date.now() + ms;
      const events: StreamedEvent[] = [];
      for (;;) {
        const event = await nextEvent(deadline);
        if (event === 'timeout' || event === undefined) return events;
        events.push(event);
      }
    },
    close: () => {
      // A read left pending by a timeout rejects on abort: nobody waits for it any more.
      pendingRead?.catch(() => undefined);
      abort.abort();
    },
  };
}

/** Reads the stream until an event satisfies `wanted`; answers it and what came before it. */
export async function streamUntil(
  stream: NotificationStream,
  wanted: (event: StreamedEvent) => boolean,
): Promise<{ found: StreamedEvent; before: StreamedEvent[] }> {
  const before: StreamedEvent[] = [];
  for (;;) {
    const event = await stream.next();
    if (!event) throw new Error('the stream ended before the expected notification');
    if (wanted(event)) return { found: event, before };
    before.push(event);
  }
}
