import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from '@convene/common';
import type { WebhookDelivery, WebhookEndpoint } from './webhook';
import { WebhookSender } from './webhook-sender';
import type { WebhookSettings } from './webhook-settings';
import { verifyConveneSignature } from './webhook-signature';
import { WebhookTargetGuard, type ResolveAll } from './webhook-target-guard';

const settings = (timeoutMs: number, allowPrivateTargets = true): WebhookSettings => ({
  allowPrivateTargets,
  timeoutMs,
  pollIntervalMs: 1000,
  policy: { retry: { baseMs: 1000, maxDelayMs: 10_000, windowMs: 60_000 }, disableAfterFailures: 15 },
});

/** `.invalid` never resolves in real DNS: a request reaching the receiver used the guard's address. */
const resolveAll: ResolveAll = async (hostname) => {
  if (hostname === 'receiver.invalid') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

function sender(timeoutMs = 2000, allowPrivateTargets = true): WebhookSender {
  const options = { allowPrivateTargets, timeoutMs };
  return new WebhookSender(
    new WebhookTargetGuard(options, resolveAll),
    settings(timeoutMs, allowPrivateTargets),
    new Clock(),
  );
}

const delivery: WebhookDelivery = {
  id: '2c9f0b1e-5d3a-5e4f-8a6b-7c8d9e0f1a2b',
  endpointId: 'ep',
  ownerId: 'owner',
  eventType: 'event.updated',
  eventId: '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
  payload: '{"id":"7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6","type":"event.updated","data":{"title":"Été"}}',
  status: 'pending',
  attempts: [],
  attemptCount: 0,
  retryCount: 0,
  createdAt: new Date().toISOString(),
};

describe('WebhookSender', () => {
  let server: Server;
  let port: number;
  let answer: (request: IncomingMessage, body: string) => number | undefined;
  const received: Array<{ request: IncomingMessage; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ request, body });
        const status = answer(request, body);
        if (status === undefined) return; // never answers
        response.statusCode = status;
        if (status >= 300 && status < 400) response.setHeader('Location', `http://127.0.0.1:${port}/elsewhere`);
        response.end('ignored');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    received.length = 0;
    answer = () => 204;
  });

  const endpoint = (url: string): WebhookEndpoint => ({
    id: 'ep',
    ownerId: 'owner',
    url,
    eventTypes: ['event.updated'],
    description: '',
    secret: 'whsec_test-secret',
    status: 'active',
    consecutiveFailures: 0,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
  });

  it('POSTs the stored body, signed, to the address the guard checked (never resolving the name again)', async () => {
    const result = await sender().send(endpoint(`http://receiver.invalid:${port}/hooks`), delivery);
    expect(result.succeeded).toBe(true);
    expect(result.attempt).toMatchObject({ statusCode: 204 });
    expect(result.attempt.error).toBeUndefined();
    expect(received).toHaveLength(1);
    const [{ request, body }] = received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks');
    expect(body).toBe(delivery.payload);
    expect(request.headers).toMatchObject({
      host: `receiver.invalid:${port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(delivery.payload)),
      'user-agent': 'Convene-Webhooks/1',
      'convene-event-id': delivery.eventId,
      'convene-event-type': 'event.updated',
      'convene-delivery-id': delivery.id,
    });
    expect(verifyConveneSignature('whsec_test-secret', request.headers['convene-signature'] as string, body)).toBe(
      true,
    );
  });

  it('reports a non-2xx answer as a failure with its status', async () => {
    answer = () => 500;
    const result = await sender().send(endpoint(`http://127.0.0.1:${port}/hooks`), delivery);
    expect(result).toMatchObject({ succeeded: false, attempt: { statusCode: 500 } });
  });

  it('does not follow redirects', async () => {
    answer = (request) => (request.url === '/hooks' ? 307 : 204);
    const result = await sender().send(endpoint(`http://127.0.0.1:${port}/hooks`), delivery);
    expect(result).toMatchObject({
      succeeded: false,
      attempt: { statusCode: 307, error: 'redirects are not followed' },
    });
    expect(received.map((r) => r.request.url)).toEqual(['/hooks']);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    answer = () => undefined;
    const result = await sender(200).send(endpoint(`http://127.0.0.1:${port}/hooks`), delivery);
    expect(result.succeeded).toBe(false);
    expect(result.attempt.error).toBe('no answer within 200 ms');
  });

  it('refuses, without connecting, a target that is not public (checked again at each attempt)', async () => {
    const result = await sender(2000, false).send(endpoint(`http://receiver.invalid:${port}/hooks`), delivery);
    expect(result.succeeded).toBe(false);
    expect(result.attempt.error).toBe('receiver.invalid resolves to a loopback address');
    expect(received).toHaveLength(0);
  });

  it('reports a refused connection as a failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await sender().send(endpoint(`http://127.0.0.1:${closedPort}/hooks`), delivery);
    expect(result.succeeded).toBe(false);
    expect(result.attempt.error).toContain('ECONNREFUSED');
  });
});
