import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentials, loadPackageDefinition, Metadata, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  domainErrorFromGrpc,
  ErrorCodes,
  type Identity,
  loadConfig,
  ObservabilityModule,
  writeIdentity,
} from '@convene/common';
import { grpcServerOptions, NotificationsGrpc, PROTO_LOADER_OPTIONS, type WebhookEventType } from '@convene/contracts';
import { FirestoreModule } from '@convene/firestore';
import { WebhookFanout } from '../../../apps/notifications/src/notices/ports';
import { NotificationsConfig } from '../../../apps/notifications/src/notifications.config';
import {
  verifyConveneSignature,
  WebhookDisabledNotifier,
  webhookControllers,
  webhookProviders,
  type WebhookEndpointView,
} from '../../../apps/notifications/src/webhooks';

jest.setTimeout(60_000);

type Call = (
  request: object,
  metadata: Metadata,
  callback: (error: ServiceError | null, response: any) => void,
) => void;

/** What the organizer would be told (the in-app notification, in the real module). */
class RecordingNotifier extends WebhookDisabledNotifier {
  readonly calls: Array<{ ownerId: string; endpoint: WebhookEndpointView; reason: string }> = [];
  async notify(ownerId: string, endpoint: WebhookEndpointView, reason: string): Promise<void> {
    this.calls.push({ ownerId, endpoint, reason });
  }
}

@Module({})
class WebhooksUnderTest {}

/**
 * The webhook part of the notifications service, wired as the app module does (webhookProviders and
 * webhookControllers), served over gRPC on a free port, on the Firestore emulator.
 */
async function startWebhooks(env: Record<string, string>) {
  const config = loadConfig(NotificationsConfig, {
    GCP_PROJECT_ID: `webhooks-${randomUUID().slice(0, 8)}`,
    FIRESTORE_EMULATOR_HOST: process.env.FIRESTORE_EMULATOR_HOST,
    ...env,
  });
  const notifier = new RecordingNotifier();
  const module: DynamicModule = {
    module: WebhooksUnderTest,
    imports: [
      ObservabilityModule.forRoot({ service: 'notifications' }),
      FirestoreModule.forRoot({ projectId: config.GCP_PROJECT_ID, emulatorHost: config.FIRESTORE_EMULATOR_HOST }),
    ],
    controllers: webhookControllers,
    providers: [...webhookProviders(config), { provide: WebhookDisabledNotifier, useValue: notifier }],
  };
  const port = 40_000 + Math.floor(Math.random() * 10_000);
  const app: INestMicroservice = await NestFactory.createMicroservice(module, {
    ...grpcServerOptions(NotificationsGrpc, `127.0.0.1:${port}`),
    logger: false,
  });
  await app.listen();
  const definition = loadPackageDefinition(loadSync(NotificationsGrpc.protoPath, PROTO_LOADER_OPTIONS));
  const Service = (definition as any).convene.notifications.v1.NotificationsService;
  const client: Record<string, Call> = new Service(`127.0.0.1:${port}`, credentials.createInsecure());
  const call = (method: string, request: object, as?: Identity) =>
    new Promise<{ error: ServiceError | null; response: any }>((resolve) => {
      const metadata = new Metadata();
      writeIdentity(metadata, as);
      client[method]!.call(client, request, metadata, (error, response) => resolve({ error, response }));
    });
  return {
    call,
    notifier,
    fanout: app.get(WebhookFanout),
    async close() {
      (client as unknown as { close(): void }).close();
      await app.close();
    },
  };
}

type Webhooks = Awaited<ReturnType<typeof startWebhooks>>;

interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
  verified: boolean;
}

/** A real HTTP receiver on 127.0.0.1 that checks each request's signature with the published helper. */
async function startReceiver() {
  const received: Received[] = [];
  const state = { secret: '', status: 204 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = request.headers['convene-signature'] as string | undefined;
      received.push({
        at: Date.now(),
        headers: request.headers,
        body,
        verified: verifyConveneSignature(state.secret, signature, body),
      });
      response.statusCode = state.status;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/convene`,
    received,
    state,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Waits for `check` to hold (no timing is asserted: only that it happens eventually). */
async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const organizer = (): Identity => ({ userId: randomUUID(), roles: ['attendee', 'organizer'] });

function domainEvent(owner: Identity, eventType: WebhookEventType = 'registration.confirmed') {
  return {
    ownerId: owner.userId,
    eventType,
    eventId: randomUUID(),
    occurredAt: new Date().toISOString(),
    data: { eventId: randomUUID(), registrationId: randomUUID(), status: 'confirmed' },
  };
}

/** The refusal as the gateway sees it: the domain error behind the gRPC status. */
function refusalOf(error: ServiceError | null) {
  expect(error).not.toBeNull();
  const domain = domainErrorFromGrpc(error);
  return {
    code: domain.code,
    status: ErrorCodes[domain.code].status,
    fields: domain.details.errors?.map((e) => e.field),
  };
}

describe('webhooks with real receivers (private targets allowed, as in local development)', () => {
  let webhooks: Webhooks;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    webhooks = await startWebhooks({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '150',
      WEBHOOK_RETRY_MAX_DELAY_MS: '10000',
      WEBHOOK_DISABLE_AFTER_FAILURES: '5',
      WEBHOOK_POLL_MS: '50',
      WEBHOOK_TIMEOUT_MS: '2000',
    });
  });

  beforeEach(async () => {
    receiver = await startReceiver();
  });

  afterEach(async () => {
    await receiver.close();
  });

  afterAll(async () => {
    await webhooks.close();
  });

  it('signs each delivery; the same domain event published 3 times is delivered once', async () => {
    const owner = organizer();
    const created = await webhooks.call(
      'CreateWebhook',
      { url: receiver.url, eventTypes: ['registration.confirmed', 'event.published'], description: 'CRM sync' },
      owner,
    );
    expect(created.error).toBeNull();
    expect(created.response).toMatchObject({
      url: receiver.url,
      eventTypes: ['event.published', 'registration.confirmed'],
      description: 'CRM sync',
      status: 'active',
      consecutiveFailures: 0,
    });
    expect(created.response.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    receiver.state.secret = created.response.secret;

    const event = domainEvent(owner);
    // Pub/Sub redelivers: the core hands the same envelope over again, even concurrently.
    await Promise.all([webhooks.fanout.publish(event), webhooks.fanout.publish(event)]);
    await webhooks.fanout.publish(event);
    // Not subscribed, or someone else's: nothing for this endpoint.
    await webhooks.fanout.publish(domainEvent(owner, 'review.created'));
    await webhooks.fanout.publish(domainEvent(organizer()));

    const [delivery] = await eventually(async () => {
      const page = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id, limit: 10 }, owner);
      return page.response.items.every((d: any) => d.status === 'succeeded') ? page.response.items : undefined;
    }, 'the delivery to succeed');
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request.verified).toBe(true);
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'Convene-Webhooks/1',
      'convene-event-id': event.eventId,
      'convene-event-type': 'registration.confirmed',
      'convene-delivery-id': delivery.id,
    });
    expect(JSON.parse(request.body)).toEqual({
      id: event.eventId,
      type: 'registration.confirmed',
      occurredAt: event.occurredAt,
      data: event.data,
    });
    // The signature covers the body and the secret: a tampered body or another secret fails.
    const signature = request.headers['convene-signature'] as string;
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(
      verifyConveneSignature(receiver.state.secret, signature, request.body.replace('confirmed', 'cancelled')),
    ).toBe(false);
    expect(verifyConveneSignature('whsec_other', signature, request.body)).toBe(false);

    expect(delivery).toMatchObject({ webhookId: created.response.id, eventId: event.eventId, status: 'succeeded' });
    expect(delivery.attempts).toEqual([expect.objectContaining({ statusCode: 204 })]);

    // The secret is shown once: never in the list.
    const listed = await webhooks.call('ListWebhooks', {}, owner);
    expect(listed.response.items).toEqual([expect.objectContaining({ id: created.response.id, status: 'active' })]);
    expect(listed.response.items[0].secret).toBeUndefined();
  });

  it('pages an endpoint’s deliveries newest first', async () => {
    const owner = organizer();
    const created = await webhooks.call('CreateWebhook', { url: receiver.url, eventTypes: ['event.updated'] }, owner);
    const events = [
      domainEvent(owner, 'event.updated'),
      domainEvent(owner, 'event.updated'),
      domainEvent(owner, 'event.updated'),
    ];
    for (const event of events) await webhooks.fanout.publish(event);

    const first = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id, limit: 2 }, owner);
    expect(first.response.items).toHaveLength(2);
    expect(first.response.nextCursor).toBeTruthy();
    const second = await webhooks.call(
      'ListWebhookDeliveries',
      { webhookId: created.response.id, limit: 2, cursor: first.response.nextCursor },
      owner,
    );
    expect(second.response.items).toHaveLength(1);
    expect(second.response.nextCursor).toBeFalsy();
    const seen = [...first.response.items, ...second.response.items].map((d: any) => d.eventId);
    expect(new Set(seen)).toEqual(new Set(events.map((e) => e.eventId)));
  });

  it('retries a failing receiver on a growing backoff, disables the endpoint, tells the organizer; redelivery revives it', async () => {
    receiver.state.status = 500;
    const owner = organizer();
    const created = await webhooks.call(
      'CreateWebhook',
      { url: receiver.url, eventTypes: ['attendee.checked-in'] },
      owner,
    );
    receiver.state.secret = created.response.secret;
    const event = domainEvent(owner, 'attendee.checked-in');
    await webhooks.fanout.publish(event);

    const notice = await eventually(
      () => webhooks.notifier.calls.find((c) => c.endpoint.id === created.response.id),
      'the organizer to be told',
    );
    expect(notice).toMatchObject({ ownerId: owner.userId, reason: '5 failed attempts in a row' });
    expect(notice.endpoint).toMatchObject({ status: 'disabled', url: receiver.url });
    expect(notice.endpoint).not.toHaveProperty('secret');

    // Five attempts, each signed; every wait at least the schedule's (base 150 ms doubling, jitter
    // shortening by at most a quarter), and the waits grow.
    expect(receiver.received).toHaveLength(5);
    expect(receiver.received.every((r) => r.verified && r.headers['convene-event-id'] === event.eventId)).toBe(true);
    const gaps = receiver.received.slice(1).map((r, i) => r.at - receiver.received[i].at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(0.75 * 150 * 2 ** i - 5));
    expect(gaps[3]).toBeGreaterThan(2 * gaps[0]);
    expect(gaps[2]).toBeGreaterThan(gaps[0]);

    const disabled = await webhooks.call('ListWebhooks', {}, owner);
    expect(disabled.response.items[0]).toMatchObject({
      status: 'disabled',
      disabledReason: '5 failed attempts in a row',
      consecutiveFailures: 5,
    });
    const failed = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id }, owner);
    expect(failed.response.items).toHaveLength(1);
    expect(failed.response.items[0].status).toBe('failed');
    expect(failed.response.items[0].attempts.map((a: any) => a.statusCode)).toEqual([500, 500, 500, 500, 500]);

    // Disabled: new events make no delivery.
    await webhooks.fanout.publish(domainEvent(owner, 'attendee.checked-in'));
    const still = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id }, owner);
    expect(still.response.items).toHaveLength(1);

    // The organizer fixes their receiver and redelivers.
    receiver.state.status = 200;
    const redelivered = await webhooks.call(
      'RedeliverWebhook',
      { webhookId: created.response.id, deliveryId: failed.response.items[0].id },
      owner,
    );
    expect(redelivered.error).toBeNull();
    expect(redelivered.response.status).toBe('pending');
    const succeeded = await eventually(async () => {
      const page = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id }, owner);
      return page.response.items[0].status === 'succeeded' ? page.response.items[0] : undefined;
    }, 'the redelivery to succeed');
    expect(succeeded.attempts.map((a: any) => a.statusCode)).toEqual([500, 500, 500, 500, 500, 200]);
    expect(receiver.received).toHaveLength(6);
    expect(receiver.received[5].verified).toBe(true);
    const revived = await webhooks.call('ListWebhooks', {}, owner);
    expect(revived.response.items[0]).toMatchObject({ status: 'active', consecutiveFailures: 0 });
    expect(revived.response.items[0].disabledReason).toBeFalsy();
  });

  it('hides one organizer’s endpoints from another (404, as if unknown)', async () => {
    const owner = organizer();
    const other = organizer();
    const created = await webhooks.call(
      'CreateWebhook',
      { url: receiver.url, eventTypes: ['registration.cancelled'] },
      owner,
    );
    const id = created.response.id;
    const event = domainEvent(owner, 'registration.cancelled');
    await webhooks.fanout.publish(event);
    const own = await webhooks.call('ListWebhookDeliveries', { webhookId: id }, owner);
    expect(own.response.items).toHaveLength(1);
    const deliveryId = own.response.items[0].id;

    expect((await webhooks.call('ListWebhooks', {}, other)).response.items).toEqual([]);
    for (const [method, request] of [
      ['DeleteWebhook', { id }],
      ['ListWebhookDeliveries', { webhookId: id }],
      ['RedeliverWebhook', { webhookId: id, deliveryId }],
      ['DeleteWebhook', { id: randomUUID() }],
    ] as const) {
      const { error } = await webhooks.call(method, request, other);
      expect(refusalOf(error)).toMatchObject({ code: 'WEBHOOK_NOT_FOUND', status: 404 });
    }
    const unknownDelivery = await webhooks.call('RedeliverWebhook', { webhookId: id, deliveryId: randomUUID() }, owner);
    expect(refusalOf(unknownDelivery.error)).toMatchObject({ code: 'WEBHOOK_DELIVERY_NOT_FOUND', status: 404 });
    const notAnId = await webhooks.call('DeleteWebhook', { id: '../webhookEndpoints' }, owner);
    expect(refusalOf(notAnId.error)).toMatchObject({ status: 400, fields: ['id'] });

    // Still there for its owner, who deletes it (and its deliveries).
    expect((await webhooks.call('ListWebhooks', {}, owner)).response.items).toHaveLength(1);
    const deleted = await webhooks.call('DeleteWebhook', { id }, owner);
    expect(deleted.response).toEqual({ id });
    expect((await webhooks.call('ListWebhooks', {}, owner)).response.items).toEqual([]);
    const gone = await webhooks.call('ListWebhookDeliveries', { webhookId: id }, owner);
    expect(refusalOf(gone.error)).toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
  });

  it('counts a redirect as a failure: redirects are not followed', async () => {
    const owner = organizer();
    receiver.state.status = 302;
    const created = await webhooks.call('CreateWebhook', { url: receiver.url, eventTypes: ['event.cancelled'] }, owner);
    await webhooks.fanout.publish(domainEvent(owner, 'event.cancelled'));
    const failedOnce = await eventually(async () => {
      const page = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id }, owner);
      return page.response.items[0]?.attempts.length ? page.response.items[0] : undefined;
    }, 'a first attempt');
    expect(failedOnce.status).toBe('pending');
    expect(failedOnce.attempts[0]).toMatchObject({ statusCode: 302, error: 'redirects are not followed' });
    expect(failedOnce.nextAttemptAt).toBeTruthy();
    await webhooks.call('DeleteWebhook', { id: created.response.id }, owner);
  });
});

describe('a delivery that keeps failing for the whole retry window', () => {
  let webhooks: Webhooks;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    webhooks = await startWebhooks({
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_DELAY_MS: '10000',
      WEBHOOK_RETRY_WINDOW_MS: '1000',
      WEBHOOK_DISABLE_AFTER_FAILURES: '1000',
      WEBHOOK_POLL_MS: '50',
    });
    receiver = await startReceiver();
    receiver.state.status = 503;
  });

  afterAll(async () => {
    await receiver.close();
    await webhooks.close();
  });

  it('fails, and disables its endpoint', async () => {
    const owner = organizer();
    const created = await webhooks.call('CreateWebhook', { url: receiver.url, eventTypes: ['review.created'] }, owner);
    await webhooks.fanout.publish(domainEvent(owner, 'review.created'));
    const notice = await eventually(() => webhooks.notifier.calls[0], 'the organizer to be told');
    expect(notice).toMatchObject({ ownerId: owner.userId, reason: 'a delivery kept failing for 1 s' });
    const page = await webhooks.call('ListWebhookDeliveries', { webhookId: created.response.id }, owner);
    expect(page.response.items[0].status).toBe('failed');
    // Every attempt fitted in the window: a few, not one and not many.
    expect(page.response.items[0].attempts.length).toBeGreaterThan(1);
    expect(page.response.items[0].attempts.length).toBeLessThan(6);
  });
});

describe('webhook endpoints as production runs them (private targets refused)', () => {
  let webhooks: Webhooks;

  beforeAll(async () => {
    webhooks = await startWebhooks({});
  });

  afterAll(async () => {
    await webhooks.close();
  });

  it.each([
    'http://127.0.0.1:8080/hook',
    'https://127.0.0.1/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://localhost/hook',
    'https://user:secret@93.184.215.14/hook',
  ])('refuses %s with 400 naming url, and stores nothing', async (url) => {
    const owner = organizer();
    const { error } = await webhooks.call('CreateWebhook', { url, eventTypes: ['event.published'] }, owner);
    expect(refusalOf(error)).toEqual({ code: 'VALIDATION_FAILED', status: 400, fields: ['url'] });
    expect((await webhooks.call('ListWebhooks', {}, owner)).response.items).toEqual([]);
  });

  it('accepts a public https target', async () => {
    const owner = organizer();
    const created = await webhooks.call(
      'CreateWebhook',
      { url: 'https://93.184.215.14/hook', eventTypes: ['event.published'] },
      owner,
    );
    expect(created.error).toBeNull();
    expect(created.response.status).toBe('active');
  });

  it('names every bad field', async () => {
    const { error } = await webhooks.call(
      'CreateWebhook',
      { url: 'ftp://example.com', eventTypes: ['user.registered'], description: 'x'.repeat(501) },
      organizer(),
    );
    expect(refusalOf(error)).toEqual({
      code: 'VALIDATION_FAILED',
      status: 400,
      fields: ['url', 'eventTypes', 'description'],
    });
    const none = await webhooks.call('CreateWebhook', { url: 'https://93.184.215.14/', eventTypes: [] }, organizer());
    expect(refusalOf(none.error)).toMatchObject({ status: 400, fields: ['eventTypes'] });
  });

  it('lets only organizers (and admins) create endpoints, and only for themselves', async () => {
    const attendee: Identity = { userId: randomUUID(), roles: ['attendee'] };
    const asAttendee = await webhooks.call(
      'CreateWebhook',
      { url: 'https://93.184.215.14/hook', eventTypes: ['event.published'] },
      attendee,
    );
    expect(refusalOf(asAttendee.error)).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    const anonymous = await webhooks.call('CreateWebhook', {
      url: 'https://93.184.215.14/hook',
      eventTypes: ['event.published'],
    });
    expect(refusalOf(anonymous.error)).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    const admin = await webhooks.call(
      'CreateWebhook',
      { url: 'https://93.184.215.14/hook', eventTypes: ['event.published'] },
      { userId: randomUUID(), roles: ['admin'] },
    );
    expect(admin.error).toBeNull();
  });

  it('limits the endpoints an organizer may have', async () => {
    const owner = organizer();
    for (let i = 0; i < 20; i++) {
      const created = await webhooks.call(
        'CreateWebhook',
        { url: `https://93.184.215.14/hook/${i}`, eventTypes: ['event.published'] },
        owner,
      );
      expect(created.error).toBeNull();
    }
    const one = await webhooks.call(
      'CreateWebhook',
      { url: 'https://93.184.215.14/hook/20', eventTypes: ['event.published'] },
      owner,
    );
    expect(refusalOf(one.error)).toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED', status: 409 });
  });
});
