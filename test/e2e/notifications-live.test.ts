// The live notification stream (server-sent events) through the running system: new notifications
// arrive, a reconnection with Last-Event-ID gets exactly what it missed, several streams of one person
// all get everything, and what cannot be streamed is refused before the stream starts.
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { api, gatewayUrl } from '../support/gateway';
import { createPublishedEvent, expectProblem, registered } from '../support/registration-fixtures';
import {
  awaitNotifications,
  notificationsOf,
  openNotificationStream,
  settle,
  streamUntil,
  type NotificationStream,
} from './notifications-kit';

jest.setTimeout(120_000);

let organizer: TestAccount;
const open: NotificationStream[] = [];
beforeAll(async () => {
  organizer = await registerOrganizer();
});
afterEach(() => {
  for (const stream of open.splice(0)) stream.close();
});

/** Someone who was welcomed already: what the stream sends next is what the test causes. */
async function welcomedAccount(): Promise<{ account: TestAccount; welcome: any }> {
  const account = await registerAccount();
  const [welcome] = await awaitNotifications(account, 'welcome');
  return { account, welcome };
}

async function streamOf(account: TestAccount, options: { lastEventId?: string; query?: string } = {}) {
  const stream = await openNotificationStream(account, options);
  open.push(stream);
  return stream;
}

describe('GET /v1/me/notifications/stream', () => {
  it('sends a new notification as it is stored, its position as the event id, as the inbox lists it', async () => {
    const { account } = await welcomedAccount();
    const event = await createPublishedEvent(organizer);
    const stream = await streamOf(account);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-store');

    await registered(event.id, account);

    const received = await stream.next();
    expect(received).toMatchObject({
      event: 'notification',
      data: { kind: 'registration.confirmed', eventId: event.id },
    });
    expect(received!.id).toBe(received!.data.position);
    const [listed] = await notificationsOf(account);
    expect(received!.data).toEqual(listed);
    // Once: the welcome (stored before the stream opened) is not sent, and nothing comes twice.
    expect(await stream.drain()).toEqual([]);
  });

  it('resumes after Last-Event-ID with exactly the notifications missed, then goes on live', async () => {
    const { account } = await welcomedAccount();
    const events = await Promise.all([1, 2, 3].map(() => createPublishedEvent(organizer)));
    const first = await streamOf(account);
    await registered(events[0].id, account);
    const seen = await first.next();
    expect(seen!.data.eventId).toBe(events[0].id);
    first.close();

    // While disconnected: two more.
    await registered(events[1].id, account);
    await registered(events[2].id, account);
    await awaitNotifications(account, 'registration.confirmed', events[2].id);
    await awaitNotifications(account, 'registration.confirmed', events[1].id);

    const resumed = await streamOf(account, { lastEventId: seen!.id });
    const missed = [await resumed.next(), await resumed.next()];
    const stored = (await notificationsOf(account)).reverse(); // oldest first, as the stream sends them
    const afterSeen = stored.slice(stored.findIndex((n) => n.id === seen!.data.id) + 1);
    expect(missed.map((e) => e!.data)).toEqual(afterSeen);
    expect(new Set(missed.map((e) => e!.data.eventId))).toEqual(new Set([events[1].id, events[2].id]));
    expect(missed.map((e) => e!.id)).toEqual(afterSeen.map((n) => n.position));

    // Then live, with nothing repeated in between.
    const mine = await api('/v1/me/registrations', { token: account.accessToken });
    const registration = mine.body.items.find((r: any) => r.eventId === events[0].id);
    await api(`/v1/registrations/${registration.id}`, { method: 'DELETE', token: account.accessToken });
    const live = await resumed.next();
    expect(live!.data).toMatchObject({ kind: 'registration.cancelled', eventId: events[0].id });
    expect(await resumed.drain()).toEqual([]);
  });

  it('resumes from the lastEventId parameter too (EventSource polyfills)', async () => {
    const { account, welcome } = await welcomedAccount();
    const event = await createPublishedEvent(organizer);
    await registered(event.id, account);
    const [confirmed] = await awaitNotifications(account, 'registration.confirmed', event.id);

    const stream = await streamOf(account, { query: `?lastEventId=${encodeURIComponent(welcome.position)}` });
    expect((await stream.next())!.data).toEqual(confirmed);
    expect(await stream.drain()).toEqual([]);
  });

  it('sends every notification to each of a person’s streams', async () => {
    const { account } = await welcomedAccount();
    const event = await createPublishedEvent(organizer);
    const phone = await streamOf(account);
    const laptop = await streamOf(account);

    await registered(event.id, account);

    const [onPhone, onLaptop] = await Promise.all([
      streamUntil(phone, (e) => e.data.eventId === event.id),
      streamUntil(laptop, (e) => e.data.eventId === event.id),
    ]);
    expect(onPhone.before).toEqual([]);
    expect(onLaptop.before).toEqual([]);
    expect(onPhone.found).toEqual(onLaptop.found);
    expect([...(await phone.drain()), ...(await laptop.drain(100))]).toEqual([]);
  });

  it('sends a person only their own notifications', async () => {
    const { account: watcher } = await welcomedAccount();
    const { account: other } = await welcomedAccount();
    const event = await createPublishedEvent(organizer);
    const stream = await streamOf(watcher);

    await registered(event.id, other);
    await awaitNotifications(other, 'registration.confirmed', event.id);
    await registered(event.id, watcher);

    const received = await stream.next();
    expect(received!.data).toMatchObject({ kind: 'registration.confirmed', eventId: event.id });
    expect((await notificationsOf(watcher)).map((n) => n.id)).toContain(received!.data.id);
    await settle();
    expect(await stream.drain(100)).toEqual([]);
  });

  it('refuses an event id it never sent, before any stream, naming where it came from', async () => {
    const { account } = await welcomedAccount();
    const stream = (headers: Record<string, string>, query = '') =>
      fetch(`${gatewayUrl()}/v1/me/notifications/stream${query}`, {
        headers: { authorization: `Bearer ${account.accessToken}`, ...headers },
      });
    const toProblem = async (response: Response) => ({
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as any,
      text: '',
    });

    const fromHeader = await toProblem(await stream({ 'last-event-id': 'bm90LWEtcG9zaXRpb24' }));
    expectProblem(fromHeader, 400, 'VALIDATION_FAILED');
    expect(fromHeader.body.errors.map((e: any) => e.field)).toEqual(['Last-Event-ID']);
    const fromQuery = await toProblem(await stream({}, '?lastEventId=garbage'));
    expectProblem(fromQuery, 400, 'VALIDATION_FAILED');
    expect(fromQuery.body.errors.map((e: any) => e.field)).toEqual(['lastEventId']);
    expectProblem(await toProblem(await stream({ authorization: '' })), 401, 'UNAUTHENTICATED');
  });
});
