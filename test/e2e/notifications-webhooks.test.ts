// Organizers' webhooks through the running system: a receiver in this process (on 127.0.0.1, which the
// system allows only with WEBHOOK_ALLOW_PRIVATE_TARGETS=true, as in local development) gets a signed
// registration.confirmed, the deliveries log shows it, and a redelivery sends it again. Refusals of
// private targets and the retry schedule are in test/integration/notifications/webhooks.test.ts.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyConveneSignature } from '../../apps/notifications/src/webhooks';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { api, eventually } from '../support/gateway';
import { createPublishedEvent, registered } from '../support/registration-fixtures';
import { ARRIVAL_TIMEOUT_MS, awaitNotifications, settle } from './notifications-kit';

jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  /** Checked on arrival, as a receiver must, against the secret the organizer was shown. */
  verified: boolean;
}

/** A webhook receiver as an integrator writes one: reads the raw body, verifies, answers 204. */
async function startReceiver(): Promise<{ url: string; secret: string; received: Received[]; close(): Promise<void> }> {
  const receiver = { url: '', secret: '', received: [] as Received[], close: async () => undefined };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const header = request.headers['convene-signature'];
      const verified = verifyConveneSignature(receiver.secret, typeof header === 'string' ? header : undefined, body);
      receiver.received.push({ headers: request.headers, body: body.toString('utf8'), verified });
      response.statusCode = verified ? 204 : 400;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/convene/hooks`;
  receiver.close = () =>
    new Promise<undefined>((resolve) => {
      server.close(() => resolve(undefined));
      // The service's keep-alive connections would hold the server open.
      server.closeAllConnections();
    });
  return receiver;
}

let organizer: TestAccount;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  organizer = await registerOrganizer();
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

/** The endpoint's deliveries once `done` holds for them. */
function deliveriesOnce(webhookId: string, done: (items: any[]) => boolean): Promise<any[]> {
  return eventually(
    async () => {
      const page = await api(`/v1/webhooks/${webhookId}/deliveries`, { token: organizer.accessToken });
      if (page.status !== 200) throw new Error(`deliveries → ${page.status} ${page.text}`);
      return done(page.body.items) ? page.body.items : undefined;
    },
    ARRIVAL_TIMEOUT_MS,
    `deliveries of ${webhookId}`,
  );
}

describe('an organizer’s webhook', () => {
  it('receives a signed registration.confirmed for their event, logged, and again on redelivery', async () => {
    const created = await api('/v1/webhooks', {
      json: { url: receiver.url, eventTypes: ['registration.confirmed'], description: 'Badge printer' },
      token: organizer.accessToken,
    });
    if (created.status === 400) {
      throw new Error(
        `the receiver's address was refused (${created.text}): the system must run notifications with ` +
          'WEBHOOK_ALLOW_PRIVATE_TARGETS=true (scripts/test.mts)',
      );
    }
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`/v1/webhooks/${created.body.id}`);
    expect(created.headers.get('cache-control')).toBe('no-store');
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      url: receiver.url,
      eventTypes: ['registration.confirmed'],
      description: 'Badge printer',
      status: 'active',
      consecutiveFailures: 0,
      createdAt: expect.any(String),
      secret: expect.stringMatching(/^whsec_/),
    });
    receiver.secret = created.body.secret;
    const webhookId = created.body.id;
    const { secret: _secret, ...withoutSecret } = created.body;
    const listed = await api('/v1/webhooks', { token: organizer.accessToken });
    expect(listed.body).toEqual({ items: [withoutSecret] });
    expect(listed.text).not.toContain(created.body.secret);

    const event = await createPublishedEvent(organizer);
    const attendee = await registerAccount();
    const registration = await registered(event.id, attendee);

    const [delivery] = await deliveriesOnce(webhookId, (items) => items.some((d) => d.status === 'succeeded'));
    await settle();
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request!.verified).toBe(true);
    expect(request!.headers).toMatchObject({
      'content-type': 'application/json',
      'convene-event-type': 'registration.confirmed',
      'convene-delivery-id': delivery.id,
      'convene-event-id': delivery.eventId,
    });
    const payload = JSON.parse(request!.body);
    expect(payload).toMatchObject({
      id: delivery.eventId,
      type: 'registration.confirmed',
      data: { registrationId: registration.id, eventId: event.id, userId: attendee.id },
    });
    // Tampering breaks the signature: the receiver's check is real.
    expect(
      verifyConveneSignature(receiver.secret, request!.headers['convene-signature'] as string, `${request!.body} `),
    ).toBe(false);

    const log = await api(`/v1/webhooks/${webhookId}/deliveries`, { token: organizer.accessToken });
    expect(log.body).toEqual({
      items: [
        {
          id: delivery.id,
          webhookId,
          eventType: 'registration.confirmed',
          eventId: delivery.eventId,
          status: 'succeeded',
          attempts: [{ at: expect.any(String), statusCode: 204, durationMs: expect.any(Number) }],
          createdAt: expect.any(String),
        },
      ],
    });

    const again = await api(`/v1/webhooks/${webhookId}/deliveries/${delivery.id}/redeliver`, {
      method: 'POST',
      token: organizer.accessToken,
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: delivery.id, webhookId, eventId: delivery.eventId });
    await deliveriesOnce(webhookId, (items) => items[0]?.attempts.length === 2 && items[0].status === 'succeeded');
    await settle();
    expect(receiver.received).toHaveLength(2);
    const [, redelivered] = receiver.received;
    expect(redelivered!.verified).toBe(true);
    // The same delivery, the same event, the same bytes: the receiver deduplicates on Convene-Event-Id.
    expect(redelivered!.headers['convene-delivery-id']).toBe(delivery.id);
    expect(redelivered!.headers['convene-event-id']).toBe(delivery.eventId);
    expect(redelivered!.body).toBe(request!.body);

    // Deleted: nothing more is sent, and it is gone for its owner too.
    expect((await api(`/v1/webhooks/${webhookId}`, { method: 'DELETE', token: organizer.accessToken })).status).toBe(
      204,
    );
    expect((await api(`/v1/webhooks/${webhookId}`, { token: organizer.accessToken })).status).toBe(404);
    const latecomer = await registerAccount();
    await registered(event.id, latecomer);
    // The same message tells the attendee: once they were told, the webhooks had their turn.
    await awaitNotifications(latecomer, 'registration.confirmed', event.id);
    await settle();
    expect(receiver.received).toHaveLength(2);
  });
});
