import { type sendUnaryData, type ServerWritableStream } from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DomainError, invalidField } from '@convene/common';
import {
  AuthGrpc,
  GrpcMetadataKeys,
  NOTIFICATION_CATEGORIES,
  NOTIFICATION_TIMELINE_START,
  NotificationsGrpc,
  type NotificationMessage,
  type WebhookDeliveryMessage,
  type WebhookMessage,
} from '@convene/contracts';
import { createSigningKey, signAccessToken } from '../auth/testing/test-signing-keys';
import {
  FakeGrpcServices,
  sendRequest,
  startGateway,
  type SendOptions,
  problemFields,
  expectProblem,
  eventReader,
  until,
} from '../testing/route-test-kit';

/**
 * The real gateway in front of a fake notifications service (real gRPC, server streaming included):
 * routing, validation, identity metadata, the mapping field by field (channel names included), the
 * Location and secret of a new webhook, and the live stream's start, ids, resumption and end. What the
 * service decides is tested with the service; the whole system in test/e2e/notifications*.test.ts.
 */
describe('notification and webhook routes of the gateway', () => {
  const NOTIFICATION = '1c2d3e4f-5a6b-8c7d-8e9f-0a1b2c3d4e5f';
  const SOMEONE_ELSES = '9e8d7c6b-5a49-8382-9170-6f5e4d3c2b1a';
  const EVENT = '0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11';
  const WEBHOOK = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
  const DELIVERY = '3a4b5c6d-7e8f-5a0b-9c1d-2e3f4a5b6c7d';
  const NEWEST_POSITION = 'cG9zaXRpb24tMQ';
  const BAD_POSITION = 'bm90LWEtcG9zaXRpb24';

  let token: string;
  let organizerToken: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  let emptyInbox = false;
  const fakes = new FakeGrpcServices();
  const { calls } = fakes;
  const unary = fakes.unary.bind(fakes);
  const serve = fakes.serve.bind(fakes);
  const send = (method: string, path: string, options?: SendOptions) =>
    sendRequest(baseUrl, token, method, path, options);
  const fieldsOf = problemFields;
  const watchers: { call: ServerWritableStream<any, NotificationMessage>; cancelled: boolean }[] = [];
  const streamDeadlines: (Date | number)[] = [];

  // What the service sends may hold more than the API shows (the decoder adds oneof keys too).
  const notification = (
    n: number,
    extra: Partial<NotificationMessage> = {},
  ): NotificationMessage & Record<string, unknown> => ({
    id: NOTIFICATION,
    kind: 'registration.confirmed',
    category: 'registrations',
    title: `You’re in: NestJS Paris #${n}`,
    body: 'Your seat is confirmed.',
    eventId: EVENT,
    link: `/events/${EVENT}`,
    createdAt: `2030-01-02T10:00:0${n}.000Z`,
    position: `position-${n}`,
    recipientId: 'user-1',
    sourceId: 'message-1',
    ...extra,
  });
  const publicNotification = (n: number) => ({
    id: NOTIFICATION,
    kind: 'registration.confirmed',
    category: 'registrations',
    title: `You’re in: NestJS Paris #${n}`,
    body: 'Your seat is confirmed.',
    eventId: EVENT,
    link: `/events/${EVENT}`,
    createdAt: `2030-01-02T10:00:0${n}.000Z`,
    readAt: null,
    position: `position-${n}`,
  });
  const webhook: WebhookMessage & Record<string, unknown> = {
    id: WEBHOOK,
    url: 'https://crm.example.com/hooks',
    eventTypes: ['registration.confirmed'],
    description: 'CRM',
    status: 'active',
    createdAt: '2030-01-01T10:00:00.000Z',
    consecutiveFailures: 0,
    ownerId: 'user-2',
  };
  const delivery: WebhookDeliveryMessage & Record<string, unknown> = {
    id: DELIVERY,
    webhookId: WEBHOOK,
    eventType: 'registration.confirmed',
    eventId: '0d5c3f1e-1111-4222-8333-944455556666',
    status: 'failed',
    attempts: [
      { at: '2030-01-02T10:00:01.000Z', statusCode: 500, durationMs: 12 },
      { at: '2030-01-02T10:00:31.000Z', error: 'connection refused', durationMs: 3 },
    ],
    createdAt: '2030-01-02T10:00:00.000Z',
    payload: '{"secret":"never shown"}',
  };
  const switches = NOTIFICATION_CATEGORIES.flatMap((category) =>
    ['in_app', 'email'].map((channel) => ({
      category,
      channel,
      enabled: !(category === 'reviews' && channel === 'email'),
    })),
  );

  const fakeNotifications = {
    listMyNotifications: unary('listMyNotifications', (request) => {
      if (request.cursor === BAD_POSITION) throw invalidField('cursor', 'cursor is not a position this API issued');
      if (request.limit === 1) return { items: emptyInbox ? [] : [notification(9, { position: NEWEST_POSITION })] };
      return {
        items: [notification(1), notification(2, { readAt: '2030-01-03T10:00:00.000Z' })],
        nextCursor: 'next-1',
      };
    }),
    markRead: unary('markRead', (request) => {
      if (request.id === SOMEONE_ELSES) throw new DomainError('NOT_FOUND', `notification ${request.id} does not exist`);
      return notification(1, { readAt: '2030-01-03T10:00:00.000Z' });
    }),
    markAllRead: unary('markAllRead', () => ({ marked: 3 })),
    getUnreadCount: unary('getUnreadCount', () => ({ unread: 2 })),
    watchMyNotifications: (call: ServerWritableStream<{ after?: string }, NotificationMessage>) => {
      calls.push({ method: 'watchMyNotifications', metadata: call.metadata, request: call.request });
      streamDeadlines.push(call.getDeadline());
      const watcher = { call, cancelled: false };
      call.on('cancelled', () => (watcher.cancelled = true));
      watchers.push(watcher);
    },
    getPreferences: unary('getPreferences', () => ({ switches, updatedAt: '' })),
    updatePreferences: unary('updatePreferences', (request) => ({
      switches: switches.map(
        (s) => request.switches.find((r: any) => r.category === s.category && r.channel === s.channel) ?? s,
      ),
      updatedAt: '2030-01-04T10:00:00.000Z',
    })),
    createWebhook: unary('createWebhook', (request, metadata) => {
      if (!String(metadata.get(GrpcMetadataKeys.userRoles)[0] ?? '').includes('organizer')) {
        throw new DomainError('FORBIDDEN', 'only organizers create webhooks');
      }
      return { ...webhook, url: request.url, eventTypes: request.eventTypes, secret: 'whsec_abc' };
    }),
    // A secret in a list would be a service bug; the gateway never shows one there.
    listWebhooks: unary('listWebhooks', () => ({ items: [{ ...webhook, secret: 'whsec_leak' }] })),
    deleteWebhook: unary('deleteWebhook', (request) => {
      if (request.id !== WEBHOOK) throw new DomainError('WEBHOOK_NOT_FOUND', `webhook ${request.id} does not exist`);
      return { id: request.id };
    }),
    listWebhookDeliveries: unary('listWebhookDeliveries', () => ({ items: [delivery], nextCursor: 'next-d' })),
    redeliverWebhook: unary('redeliverWebhook', () => ({
      ...delivery,
      status: 'pending',
      nextAttemptAt: '2030-01-05T10:00:00.000Z',
    })),
  };

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const key = await createSigningKey('key-1');
    token = await signAccessToken(key, { sub: 'user-1', roles: ['attendee'] });
    organizerToken = await signAccessToken(key, { sub: 'user-2', roles: ['attendee', 'organizer'] });
    const authPort = await serve(AuthGrpc, {
      getJwks: (_call: unknown, callback: sendUnaryData<unknown>) => callback(null, { keys: [key.publicJwk] }),
    });
    const notificationsPort = await serve(NotificationsGrpc, fakeNotifications);
    ({ app, baseUrl } = await startGateway({
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      NOTIFICATIONS_GRPC_URL: `127.0.0.1:${notificationsPort}`,
    }));
  });

  afterAll(async () => {
    await app?.close();
    fakes.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    calls.length = 0;
    emptyInbox = false;
  });

  /** A request as the service decoded it, without the decoder's synthetic oneof keys of optional fields. */
  function sent(method: string): Record<string, unknown> {
    const call = calls.find((entry) => entry.method === method);
    if (!call) throw new Error(`${method} was not called`);
    return Object.fromEntries(Object.entries(call.request).filter(([key]) => !key.startsWith('_')));
  }

  describe('the inbox', () => {
    it('lists mine newest first with the defaults, field by field, acting for the verified user', async () => {
      const reply = await send('GET', '/v1/me/notifications');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        items: [publicNotification(1), { ...publicNotification(2), readAt: '2030-01-03T10:00:00.000Z' }],
        nextCursor: 'next-1',
      });
      expect(sent('listMyNotifications')).toMatchObject({ unreadOnly: false, limit: 20 });
      expect(calls[0]!.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);
    });

    it('passes unread, limit and cursor on as typed values', async () => {
      await send('GET', '/v1/me/notifications?unread=true&limit=5&cursor=abc');
      expect(sent('listMyNotifications')).toEqual({ unreadOnly: true, limit: 5, cursor: 'abc' });
      calls.length = 0;
      await send('GET', '/v1/me/notifications?unread=false');
      expect(sent('listMyNotifications')).toMatchObject({ unreadOnly: false });
    });

    it.each([
      ['unread=yes', 'unread'],
      ['unread=1', 'unread'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=', 'cursor'],
      ['userId=someone', 'userId'],
    ])('refuses %s with 400 naming the field, without asking the service', async (query, field) => {
      const reply = await send('GET', `/v1/me/notifications?${query}`);
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
      expect(calls).toEqual([]);
    });

    it('counts the unread ones and marks them all read', async () => {
      const count = await send('GET', '/v1/me/notifications/unread-count');
      expect(count.status).toBe(200);
      expect(count.body).toEqual({ unread: 2 });
      const all = await send('POST', '/v1/me/notifications/read-all');
      expect(all.status).toBe(200);
      expect(all.body).toEqual({ marked: 3 });
    });

    it('marks one read and answers it; someone else’s is 404; a malformed id is 400', async () => {
      const reply = await send('POST', `/v1/me/notifications/${NOTIFICATION}/read`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ ...publicNotification(1), readAt: '2030-01-03T10:00:00.000Z' });
      expect(sent('markRead')).toEqual({ id: NOTIFICATION });

      expectProblem(await send('POST', `/v1/me/notifications/${SOMEONE_ELSES}/read`), 404, 'NOT_FOUND');
      calls.length = 0;
      const malformed = await send('POST', '/v1/me/notifications/not-a-uuid/read');
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(malformed)).toEqual(['id']);
      expect(calls).toEqual([]);
    });

    it.each([
      ['GET', '/v1/me/notifications'],
      ['GET', '/v1/me/notifications/unread-count'],
      ['POST', '/v1/me/notifications/read-all'],
      ['POST', `/v1/me/notifications/${NOTIFICATION}/read`],
      ['GET', '/v1/me/notifications/stream'],
      ['GET', '/v1/me/notification-preferences'],
      ['PUT', '/v1/me/notification-preferences'],
      ['POST', '/v1/webhooks'],
      ['GET', '/v1/webhooks'],
      ['GET', `/v1/webhooks/${WEBHOOK}`],
      ['DELETE', `/v1/webhooks/${WEBHOOK}`],
      ['GET', `/v1/webhooks/${WEBHOOK}/deliveries`],
      ['POST', `/v1/webhooks/${WEBHOOK}/deliveries/${DELIVERY}/redeliver`],
    ])('%s %s needs a signed-in user', async (method, path) => {
      expectProblem(await send(method, path, { token: null }), 401, 'UNAUTHENTICATED');
      expect(calls).toEqual([]);
    });
  });

  describe('preferences', () => {
    it('answers every category with the API’s channel names; never changed: updatedAt null', async () => {
      const reply = await send('GET', '/v1/me/notification-preferences');
      expect(reply.status).toBe(200);
      expect(Object.keys(reply.body.preferences)).toEqual([...NOTIFICATION_CATEGORIES]);
      expect(reply.body.preferences.registrations).toEqual({ inApp: true, email: true });
      expect(reply.body.preferences.reviews).toEqual({ inApp: true, email: false });
      expect(reply.body.updatedAt).toBeNull();
    });

    it('sends only the switches given, in the contract’s names, and answers all of them', async () => {
      const reply = await send('PUT', '/v1/me/notification-preferences', {
        body: { preferences: { registrations: { email: false }, 'event-updates': { inApp: false, email: true } } },
      });
      expect(reply.status).toBe(200);
      expect(sent('updatePreferences')).toEqual({
        switches: [
          { category: 'registrations', channel: 'email', enabled: false },
          { category: 'event-updates', channel: 'in_app', enabled: false },
          { category: 'event-updates', channel: 'email', enabled: true },
        ],
      });
      expect(reply.body.preferences.registrations).toEqual({ inApp: true, email: false });
      expect(reply.body.preferences['event-updates']).toEqual({ inApp: false, email: true });
      expect(reply.body.updatedAt).toBe('2030-01-04T10:00:00.000Z');
    });

    it('takes back what GET answered (updatedAt is ignored)', async () => {
      const current = await send('GET', '/v1/me/notification-preferences');
      const reply = await send('PUT', '/v1/me/notification-preferences', { body: current.body });
      expect(reply.status).toBe(200);
      expect((sent('updatePreferences').switches as unknown[]).length).toBe(NOTIFICATION_CATEGORIES.length * 2);
    });

    it.each([
      ['an unknown category', { preferences: { parties: { email: false } } }, 'preferences.parties'],
      ['an unknown channel', { preferences: { registrations: { sms: false } } }, 'preferences.registrations.sms'],
      [
        'the contract’s channel name',
        { preferences: { registrations: { in_app: false } } },
        'preferences.registrations.in_app',
      ],
      [
        'a switch that is not a boolean',
        { preferences: { registrations: { email: 'no' } } },
        'preferences.registrations.email',
      ],
      ['a null switch', { preferences: { registrations: { email: null } } }, 'preferences.registrations.email'],
      ['a category that is not an object', { preferences: { registrations: false } }, 'preferences.registrations'],
      ['no switch at all', { preferences: { registrations: {} } }, 'preferences'],
      ['no preferences', {}, 'preferences'],
      ['a malformed updatedAt', { preferences: { reviews: { email: true } }, updatedAt: 'yesterday' }, 'updatedAt'],
      ['an unknown field', { preferences: { reviews: { email: true } }, userId: 'someone' }, 'userId'],
    ])('refuses %s with 400 naming it, without asking the service', async (_case, body, field) => {
      const reply = await send('PUT', '/v1/me/notification-preferences', { body });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
      expect(calls).toEqual([]);
    });
  });

  describe('webhooks', () => {
    const body = { url: 'https://crm.example.com/hooks', eventTypes: ['registration.confirmed'], description: 'CRM' };

    it('creates one: 201, its Location, the secret once, uncacheable', async () => {
      const reply = await send('POST', '/v1/webhooks', { token: organizerToken, body });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toBe(`/v1/webhooks/${WEBHOOK}`);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        id: WEBHOOK,
        url: body.url,
        eventTypes: body.eventTypes,
        description: 'CRM',
        status: 'active',
        consecutiveFailures: 0,
        createdAt: '2030-01-01T10:00:00.000Z',
        secret: 'whsec_abc',
      });
      expect(sent('createWebhook')).toEqual(body);
      expect(calls[0]!.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-2']);
    });

    it('answers the service’s refusal of a non-organizer with 403', async () => {
      expectProblem(await send('POST', '/v1/webhooks', { body }), 403, 'FORBIDDEN');
    });

    it.each([
      ['no url', { eventTypes: ['registration.confirmed'] }, 'url'],
      ['a url that is not a string', { ...body, url: 42 }, 'url'],
      ['a url over 2048 characters', { ...body, url: `https://a.example/${'x'.repeat(2048)}` }, 'url'],
      ['no event types', { url: body.url }, 'eventTypes'],
      ['an empty list of event types', { ...body, eventTypes: [] }, 'eventTypes'],
      ['an unknown event type', { ...body, eventTypes: ['user.registered'] }, 'eventTypes'],
      ['a description over 500 characters', { ...body, description: 'x'.repeat(501) }, 'description'],
      ['an unknown field', { ...body, secret: 'mine' }, 'secret'],
    ])('refuses %s with 400 naming the field, without asking the service', async (_case, payload, field) => {
      const reply = await send('POST', '/v1/webhooks', { token: organizerToken, body: payload });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
      expect(calls).toEqual([]);
    });

    it('lists and gets them without any secret; an id not among mine is 404', async () => {
      const list = await send('GET', '/v1/webhooks', { token: organizerToken });
      expect(list.status).toBe(200);
      const { secret: _secret, ...publicWebhook } = (
        await send('POST', '/v1/webhooks', { token: organizerToken, body })
      ).body;
      expect(list.body).toEqual({ items: [{ ...publicWebhook, url: webhook.url, eventTypes: webhook.eventTypes }] });
      expect(list.text).not.toContain('whsec_');

      const one = await send('GET', `/v1/webhooks/${WEBHOOK}`, { token: organizerToken });
      expect(one.status).toBe(200);
      expect(one.body).toEqual(list.body.items[0]);
      expectProblem(
        await send('GET', `/v1/webhooks/${SOMEONE_ELSES}`, { token: organizerToken }),
        404,
        'WEBHOOK_NOT_FOUND',
      );
    });

    it('deletes with 204; an unknown one is 404; a malformed id is 400', async () => {
      const reply = await send('DELETE', `/v1/webhooks/${WEBHOOK}`, { token: organizerToken });
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');
      expect(sent('deleteWebhook')).toEqual({ id: WEBHOOK });
      expectProblem(
        await send('DELETE', `/v1/webhooks/${SOMEONE_ELSES}`, { token: organizerToken }),
        404,
        'WEBHOOK_NOT_FOUND',
      );
      const malformed = await send('DELETE', '/v1/webhooks/nope', { token: organizerToken });
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(malformed)).toEqual(['id']);
    });

    it('lists deliveries with their attempts (never the payload) and redelivers one', async () => {
      const page = await send('GET', `/v1/webhooks/${WEBHOOK}/deliveries?limit=5`, { token: organizerToken });
      expect(page.status).toBe(200);
      expect(page.body).toEqual({
        items: [
          {
            id: DELIVERY,
            webhookId: WEBHOOK,
            eventType: 'registration.confirmed',
            eventId: delivery.eventId,
            status: 'failed',
            attempts: [
              { at: '2030-01-02T10:00:01.000Z', statusCode: 500, durationMs: 12 },
              { at: '2030-01-02T10:00:31.000Z', error: 'connection refused', durationMs: 3 },
            ],
            createdAt: '2030-01-02T10:00:00.000Z',
          },
        ],
        nextCursor: 'next-d',
      });
      expect(sent('listWebhookDeliveries')).toEqual({ webhookId: WEBHOOK, limit: 5 });

      const again = await send('POST', `/v1/webhooks/${WEBHOOK}/deliveries/${DELIVERY}/redeliver`, {
        token: organizerToken,
      });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ id: DELIVERY, status: 'pending', nextAttemptAt: '2030-01-05T10:00:00.000Z' });
      expect(sent('redeliverWebhook')).toEqual({ webhookId: WEBHOOK, deliveryId: DELIVERY });
    });

    it.each([
      [`/v1/webhooks/${WEBHOOK}/deliveries?limit=0`, 'limit'],
      [`/v1/webhooks/${WEBHOOK}/deliveries?cursor=`, 'cursor'],
      ['/v1/webhooks/nope/deliveries', 'id'],
    ])('refuses GET %s naming %s', async (path, field) => {
      const reply = await send('GET', path, { token: organizerToken });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
    });

    it('refuses a malformed delivery id naming it', async () => {
      const reply = await send('POST', `/v1/webhooks/${WEBHOOK}/deliveries/nope/redeliver`, { token: organizerToken });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toEqual(['deliveryId']);
    });
  });

  describe('the live stream', () => {
    async function openStream(headers: Record<string, string> = {}, query = '') {
      const abort = new AbortController();
      const response = await fetch(`${baseUrl}/v1/me/notifications/stream${query}`, {
        headers: { authorization: `Bearer ${token}`, ...headers },
        signal: abort.signal,
      });
      return { response, abort, events: response.ok ? eventReader(response.body!.getReader()) : undefined };
    }

    it('opens at once, starting after my newest notification, and sends each with its position as id', async () => {
      const { response, abort, events } = await openStream({ 'x-correlation-id': 'sse-correlation-1' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('x-correlation-id')).toBe('sse-correlation-1');
      expect(response.headers.get('content-security-policy')).toBeTruthy();
      expect(sent('listMyNotifications')).toMatchObject({ unreadOnly: false, limit: 1 });
      await until(() => calls.some((entry) => entry.method === 'watchMyNotifications'));
      expect(sent('watchMyNotifications')).toEqual({ after: NEWEST_POSITION });
      const call = calls.find((entry) => entry.method === 'watchMyNotifications')!;
      expect(call.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);
      expect(call.metadata.get(GrpcMetadataKeys.correlationId)).toEqual(['sse-correlation-1']);
      expect(streamDeadlines.at(-1)).toBe(Infinity);

      const watcher = watchers.at(-1)!;
      watcher.call.write(notification(1));
      watcher.call.write(notification(2));
      expect(await events!.next()).toEqual({ id: 'position-1', event: 'notification', data: publicNotification(1) });
      expect(await events!.next()).toEqual({ id: 'position-2', event: 'notification', data: publicNotification(2) });

      abort.abort();
      await until(() => watcher.cancelled);
    });

    it('starts from the beginning of an empty inbox', async () => {
      emptyInbox = true;
      const { response, abort } = await openStream();
      expect(response.status).toBe(200);
      await until(() => calls.some((entry) => entry.method === 'watchMyNotifications'));
      expect(sent('watchMyNotifications')).toEqual({ after: NOTIFICATION_TIMELINE_START });
      abort.abort();
    });

    it('resumes after Last-Event-ID, or the lastEventId parameter; the header wins', async () => {
      for (const [headers, query, after] of [
        [{ 'last-event-id': 'cG9zaXRpb24tNQ' }, '', 'cG9zaXRpb24tNQ'],
        [{}, '?lastEventId=cG9zaXRpb24tNg', 'cG9zaXRpb24tNg'],
        [{ 'last-event-id': 'cG9zaXRpb24tNw' }, '?lastEventId=cG9zaXRpb24tOA', 'cG9zaXRpb24tNw'],
      ] as const) {
        calls.length = 0;
        const { response, abort } = await openStream(headers, query);
        expect(response.status).toBe(200);
        // The id is checked by the service (as a cursor) before the stream starts.
        expect(sent('listMyNotifications')).toMatchObject({ limit: 1, cursor: after });
        await until(() => calls.some((entry) => entry.method === 'watchMyNotifications'));
        expect(sent('watchMyNotifications')).toEqual({ after });
        abort.abort();
      }
    });

    it('refuses an id it never sent with a 400 naming where it came from, before any stream', async () => {
      const fromHeader = await send('GET', '/v1/me/notifications/stream', {
        headers: { 'last-event-id': BAD_POSITION },
      });
      expectProblem(fromHeader, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(fromHeader)).toEqual(['Last-Event-ID']);
      const fromQuery = await send('GET', `/v1/me/notifications/stream?lastEventId=${BAD_POSITION}`);
      expectProblem(fromQuery, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(fromQuery)).toEqual(['lastEventId']);
      const tooLong = await send('GET', '/v1/me/notifications/stream', {
        headers: { 'last-event-id': 'x'.repeat(513) },
      });
      expectProblem(tooLong, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(tooLong)).toEqual(['Last-Event-ID']);
      expect(calls.filter((entry) => entry.method === 'watchMyNotifications')).toEqual([]);
    });

    it('ends the response when the service ends the stream, and the request is measured', async () => {
      const { events } = await openStream();
      await until(() => calls.some((entry) => entry.method === 'watchMyNotifications'));
      const watcher = watchers.at(-1)!;
      watcher.call.write(notification(3));
      expect(await events!.next()).toMatchObject({ id: 'position-3' });
      watcher.call.end();
      expect(await events!.next()).toBeUndefined();
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /convene_http_request_duration_seconds_count\{[^}]*route="\/v1\/me\/notifications\/stream",status_code="200"[^}]*\} \d+/,
      );
      expect(metrics).toMatch(/convene_gateway_notification_streams_open\{[^}]*\} \d+/);
    });
  });
});
