import { createHash, randomUUID } from 'node:crypto';
import { type ServerWritableStream } from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DomainError } from '@convene/common';
import {
  AuthGrpc,
  GrpcMetadataKeys,
  RegistrationsGrpc,
  type AttendeeMessage,
  type AvailabilityMessage,
  type ListAttendeesRequest,
  type RegistrationMessage,
  type TicketMessage,
} from '@convene/contracts';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../auth/testing/test-signing-keys';
import {
  FakeGrpcServices,
  sendRequest,
  startGateway,
  type SendOptions,
  problemFields,
  expectProblem,
  eventReader,
  until,
  grpcFailure,
} from '../testing/route-test-kit';

/**
 * The real gateway in front of a fake registrations service (real gRPC, server streaming included):
 * routing, validation, identity metadata, DTO mapping, content negotiation, the CSV walk and the
 * availability stream. The service's rules are tested with the service; the whole system in test/e2e.
 */
describe('registration routes of the gateway', () => {
  const EVENT = '0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11';
  const ALREADY_REGISTERED_EVENT = '5d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
  const UNKNOWN_EVENT = '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';
  const FAILING_EXPORT_EVENT = '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d';
  const FORBIDDEN_EVENT = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
  const REGISTRATION = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const ATTENDEES = 2345;

  let key: TestSigningKey;
  let token: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  const fakes = new FakeGrpcServices();
  const { calls } = fakes;
  const unary = fakes.unary.bind(fakes);
  const serve = fakes.serve.bind(fakes);
  const send = (method: string, path: string, options?: SendOptions) =>
    sendRequest(baseUrl, token, method, path, options);
  const fieldsOf = problemFields;
  const watchers: { call: ServerWritableStream<any, any>; cancelled: boolean }[] = [];
  const streamDeadlines: (Date | number)[] = [];

  const registration: RegistrationMessage = {
    id: REGISTRATION,
    eventId: EVENT,
    userId: 'user-1',
    status: 'waitlisted',
    waitlistPosition: 3,
    createdAt: '2027-01-01T10:00:00.000Z',
    updatedAt: '2027-01-01T10:00:00.000Z',
    eventTitle: 'NestJS Paris',
    eventStartsAt: '2027-03-14T18:00:00.000Z',
    eventEndsAt: '2027-03-14T21:00:00.000Z',
    holderName: 'Ada',
  };
  const publicRegistration = {
    id: REGISTRATION,
    eventId: EVENT,
    userId: 'user-1',
    status: 'waitlisted',
    waitlistPosition: 3,
    holderName: 'Ada',
    eventTitle: 'NestJS Paris',
    eventStartsAt: '2027-03-14T18:00:00.000Z',
    eventEndsAt: '2027-03-14T21:00:00.000Z',
    createdAt: '2027-01-01T10:00:00.000Z',
    updatedAt: '2027-01-01T10:00:00.000Z',
  };
  const ticket: TicketMessage = {
    registrationId: REGISTRATION,
    eventId: EVENT,
    holderName: 'Ada',
    token: 'eyJhbGciOiJFUzI1NiJ9.eyJyaWQiOiIxIn0.c2ln',
    qrSvg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 21 21"><path d="M0 0h7v7H0z"/></svg>',
    qrPng: PNG,
    code: 'ABCD-EFGH',
  };
  const availability = (confirmed: number): AvailabilityMessage => ({
    eventId: EVENT,
    capacity: 100,
    confirmed,
    waitlisted: 0,
    seatsLeft: 100 - confirmed,
  });
  const attendees: AttendeeMessage[] = Array.from({ length: ATTENDEES }, (_, i) => ({
    registrationId: `r-${i}`,
    userId: `u-${i}`,
    holderName: i === 7 ? '=HYPERLINK("http://evil.example"), Esq.' : `Person ${i}`,
    status: 'confirmed',
    registeredAt: '2027-01-01T10:00:00.000Z',
  }));

  const fakeRegistrations = {
    register: unary('register', (request) => {
      if (request.eventId === ALREADY_REGISTERED_EVENT) {
        // What the service holds is more than the API shows: the gateway maps it.
        const stored = { ...registration, version: 4, shard: 2, waitlistKey: 'k-1' };
        throw new DomainError('ALREADY_REGISTERED', 'You are already registered', { registration: stored });
      }
      return registration;
    }),
    getRegistration: unary('getRegistration', () => ({ ...registration, status: 'confirmed', waitlistPosition: 0 })),
    listMyRegistrations: unary('listMyRegistrations', () => ({ items: [registration], nextCursor: 'next-1' })),
    cancelRegistration: unary('cancelRegistration', () => ({
      ...registration,
      status: 'cancelled',
      cancelledAt: '2027-01-02T10:00:00.000Z',
      cancellationReason: 'attendee',
    })),
    getTicket: unary('getTicket', () => ticket),
    getTicketKeys: unary('getTicketKeys', () => ({
      keys: [{ kid: 'k1', kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', alg: 'ES256', use: 'sig' }],
    })),
    checkIn: unary('checkIn', (request) => ({
      registrationId: REGISTRATION,
      eventId: request.eventId,
      holderName: 'Ada',
      checkedInAt: '2027-03-14T18:01:00.000Z',
      checkedInBy: 'user-1',
    })),
    listAttendees: unary('listAttendees', (request: ListAttendeesRequest) => {
      if (request.eventId === FORBIDDEN_EVENT) throw new DomainError('FORBIDDEN', 'Only the organizer or staff');
      if (request.eventId === FAILING_EXPORT_EVENT && request.cursor) {
        throw new DomainError('SERVICE_UNAVAILABLE', 'registrations is restarting');
      }
      const start = request.cursor ? Number(request.cursor) : 0;
      const end = Math.min(start + request.limit, ATTENDEES);
      return { items: attendees.slice(start, end), ...(end < ATTENDEES ? { nextCursor: String(end) } : {}) };
    }),
    getAvailability: unary('getAvailability', () => availability(42)),
    watchAvailability: (call: ServerWritableStream<{ eventId: string }, AvailabilityMessage>) => {
      calls.push({ method: 'watchAvailability', metadata: call.metadata, request: call.request });
      streamDeadlines.push(call.getDeadline());
      if (call.request.eventId === UNKNOWN_EVENT) {
        call.emit('error', grpcFailure(new DomainError('EVENT_NOT_FOUND', 'Event not found')));
        return;
      }
      const watcher = { call, cancelled: false };
      call.on('cancelled', () => (watcher.cancelled = true));
      watchers.push(watcher);
      call.write(availability(42));
    },
  };

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    key = await createSigningKey('key-1');
    token = await signAccessToken(key, { sub: 'user-1', roles: ['attendee'] });
    const authPort = await serve(AuthGrpc, { getJwks: unary('getJwks', () => ({ keys: [key.publicJwk] })) });
    const registrationsPort = await serve(RegistrationsGrpc, fakeRegistrations);
    ({ app, baseUrl } = await startGateway({
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      REGISTRATIONS_GRPC_URL: `127.0.0.1:${registrationsPort}`,
    }));
  });

  afterAll(async () => {
    await app?.close();
    fakes.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  describe('registering', () => {
    it('answers 201 with the registration and its Location, acting for the verified user', async () => {
      const reply = await send('POST', `/v1/events/${EVENT}/registrations`);
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toBe(`/v1/registrations/${REGISTRATION}`);
      expect(reply.body).toEqual(publicRegistration);
      const call = calls.find((entry) => entry.method === 'register')!;
      expect(call.request).toEqual({ eventId: EVENT });
      expect(call.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);
    });

    it('passes a hash of the Idempotency-Key as the request key, so registrations knows a retry', async () => {
      const idempotencyKey = `retry-${randomUUID()}`; // keys are kept: a fixed one would replay the last run
      const reply = await send('POST', `/v1/events/${EVENT}/registrations`, {
        headers: { 'Idempotency-Key': idempotencyKey },
      });
      expect(reply.status).toBe(201);
      const call = calls.find((entry) => entry.method === 'register')!;
      expect(call.request).toMatchObject({
        eventId: EVENT,
        requestKey: createHash('sha256').update(idempotencyKey).digest('hex'),
      });

      // Refused before the service is asked, as for any idempotent route.
      calls.length = 0;
      const malformed = await send('POST', `/v1/events/${EVENT}/registrations`, {
        headers: { 'Idempotency-Key': 'has a space' },
      });
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(malformed)).toEqual(['Idempotency-Key']);
      expect(calls).toEqual([]);
    });

    it('puts the existing registration, in the API’s shape, into the 409 ALREADY_REGISTERED problem', async () => {
      const reply = await send('POST', `/v1/events/${ALREADY_REGISTERED_EVENT}/registrations`);
      expectProblem(reply, 409, 'ALREADY_REGISTERED');
      expect(reply.body.registration).toEqual(publicRegistration);
    });

    it('needs a signed-in user and a uuid event id', async () => {
      expectProblem(await send('POST', `/v1/events/${EVENT}/registrations`, { token: null }), 401, 'UNAUTHENTICATED');
      const malformed = await send('POST', '/v1/events/not-a-uuid/registrations');
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(malformed)).toEqual(['id']);
      expect(calls).toEqual([]);
    });
  });

  describe('reading and cancelling', () => {
    it('maps a registration field by field, leaving out unset optional fields', async () => {
      const reply = await send('GET', `/v1/registrations/${REGISTRATION}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ ...publicRegistration, status: 'confirmed', waitlistPosition: undefined });
      expect(Object.keys(reply.body)).not.toContain('waitlistPosition');
      expect(Object.keys(reply.body)).not.toContain('cancelledAt');
    });

    it('answers DELETE with the cancelled registration', async () => {
      const reply = await send('DELETE', `/v1/registrations/${REGISTRATION}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        status: 'cancelled',
        cancelledAt: '2027-01-02T10:00:00.000Z',
        cancellationReason: 'attendee',
      });
      expect(Object.keys(reply.body)).not.toContain('waitlistPosition');
      expect(calls.find((entry) => entry.method === 'cancelRegistration')?.request).toEqual({ id: REGISTRATION });
    });

    it('lists mine with the defaults, and refuses a bad query naming the field', async () => {
      const reply = await send('GET', '/v1/me/registrations');
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ items: [publicRegistration], nextCursor: 'next-1' });
      expect(calls[0]!.request).toMatchObject({ when: 'upcoming', limit: 20 });

      await send('GET', '/v1/me/registrations?when=past&limit=5&cursor=abc');
      expect(calls[1]!.request).toMatchObject({ when: 'past', limit: 5, cursor: 'abc' });

      for (const [query, field] of [
        ['when=soon', 'when'],
        ['limit=0', 'limit'],
        ['limit=101', 'limit'],
        ['limit=ten', 'limit'],
        ['userId=someone', 'userId'],
      ]) {
        const refused = await send('GET', `/v1/me/registrations?${query}`);
        expectProblem(refused, 400, 'VALIDATION_FAILED');
        expect(fieldsOf(refused)).toContain(field);
      }
    });
  });

  describe('tickets', () => {
    it('answers JSON by default, uncacheable, without the PNG', async () => {
      const reply = await send('GET', `/v1/registrations/${REGISTRATION}/ticket`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.headers.get('vary')).toMatch(/accept/i);
      expect(reply.body).toEqual({
        registrationId: REGISTRATION,
        eventId: EVENT,
        holderName: 'Ada',
        token: ticket.token,
        qrSvg: ticket.qrSvg,
        code: 'ABCD-EFGH',
      });
    });

    it('answers the SVG itself for Accept: image/svg+xml and the PNG bytes for Accept: image/png', async () => {
      const svg = await send('GET', `/v1/registrations/${REGISTRATION}/ticket`, {
        headers: { accept: 'image/svg+xml' },
      });
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
      expect(svg.headers.get('cache-control')).toBe('no-store');
      expect(svg.text).toBe(ticket.qrSvg);

      const png = await send('GET', `/v1/registrations/${REGISTRATION}/ticket`, { headers: { accept: 'image/png' } });
      expect(png.status).toBe(200);
      expect(png.headers.get('content-type')).toBe('image/png');
      expect(png.headers.get('cache-control')).toBe('no-store');
      expect(png.bytes.equals(PNG)).toBe(true);
    });

    it('answers 406 for a format it cannot give, without asking the service', async () => {
      const reply = await send('GET', `/v1/registrations/${REGISTRATION}/ticket`, { headers: { accept: 'text/html' } });
      expectProblem(reply, 406, 'NOT_ACCEPTABLE');
      expect(calls).toEqual([]);
    });

    it('serves the ticket keys to anyone, cacheable for a few minutes', async () => {
      const reply = await send('GET', `/v1/events/${EVENT}/ticket-keys`, { token: null });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('public, max-age=300');
      expect(reply.body).toEqual({
        keys: [{ kid: 'k1', kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', alg: 'ES256', use: 'sig' }],
      });
    });
  });

  describe('check-in', () => {
    it('answers 201 with the holder, passing the ticket and nonce on', async () => {
      const reply = await send('POST', `/v1/events/${EVENT}/checkins`, {
        body: { ticket: ticket.token, nonce: 'n-1' },
      });
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        registrationId: REGISTRATION,
        eventId: EVENT,
        holderName: 'Ada',
        checkedInAt: '2027-03-14T18:01:00.000Z',
        checkedInBy: 'user-1',
      });
      expect(calls[0]!.request).toMatchObject({ eventId: EVENT, ticket: ticket.token, nonce: 'n-1' });
    });

    it('passes a typed code on as typed (the service reads it), without a ticket', async () => {
      const reply = await send('POST', `/v1/events/${EVENT}/checkins`, { body: { code: 'abcd 2345', nonce: 'n-2' } });
      expect(reply.status).toBe(201);
      expect(reply.body.registrationId).toBe(REGISTRATION);
      expect(calls[0]!.request).toMatchObject({ eventId: EVENT, ticket: '', code: 'abcd 2345', nonce: 'n-2' });
    });

    it.each([
      ['no ticket', {}, 'ticket'],
      ['neither ticket nor code (null code)', { code: null }, 'code'],
      ['both a ticket and a code', { ticket: 't', code: 'ABCD-2345' }, 'code'],
      ['a code of 7 characters', { code: 'ABCD-234' }, 'code'],
      ['a code with U (not Crockford base32)', { code: 'ABCD-234U' }, 'code'],
      ['a code that is not a string', { code: 12345678 }, 'code'],
      ['a code over 32 characters', { code: `ABCD${' '.repeat(40)}2345` }, 'code'],
      ['an empty ticket', { ticket: '' }, 'ticket'],
      ['a ticket over 4096 characters', { ticket: 'x'.repeat(4097) }, 'ticket'],
      ['a ticket that is not a string', { ticket: 42 }, 'ticket'],
      ['a nonce over 100 characters', { ticket: 't', nonce: 'n'.repeat(101) }, 'nonce'],
      ['an unknown field', { ticket: 't', eventId: EVENT }, 'eventId'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const reply = await send('POST', `/v1/events/${EVENT}/checkins`, { body });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
      expect(calls).toEqual([]);
    });
  });

  describe('attendees', () => {
    it('answers a JSON page, passing the filters on as typed values', async () => {
      const reply = await send('GET', `/v1/events/${EVENT}/attendees?status=confirmed&checkedIn=false&limit=2`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({ items: attendees.slice(0, 2), nextCursor: '2' });
      expect(calls[0]!.request).toMatchObject({ eventId: EVENT, status: 'confirmed', checkedIn: false, limit: 2 });
    });

    it.each([
      ['checkedIn=yes', 'checkedIn'],
      ['checkedIn=1', 'checkedIn'],
      ['status=gone', 'status'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['cursor=', 'cursor'],
    ])('refuses %s with 400 naming the field', async (query, field) => {
      const reply = await send('GET', `/v1/events/${EVENT}/attendees?${query}`);
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
    });

    it('exports every attendee as CSV for Accept: text/csv, walking the pages 1000 at a time', async () => {
      const reply = await send('GET', `/v1/events/${EVENT}/attendees?checkedIn=true&limit=5`, {
        headers: { accept: 'text/csv' },
      });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(reply.headers.get('content-disposition')).toBe(`attachment; filename="attendees-${EVENT}.csv"`);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      const lines = reply.text.split('\r\n');
      expect(lines[0]).toBe('registrationId,userId,holderName,status,registeredAt,checkedInAt');
      expect(lines.at(-1)).toBe('');
      expect(lines).toHaveLength(ATTENDEES + 2);
      expect(lines[1]).toBe('r-0,u-0,Person 0,confirmed,2027-01-01T10:00:00.000Z,');
      expect(lines[8]).toBe(`r-7,u-7,"'=HYPERLINK(""http://evil.example""), Esq.",confirmed,2027-01-01T10:00:00.000Z,`);
      const pages = calls.filter((entry) => entry.method === 'listAttendees').map((entry) => entry.request);
      expect(pages.map((page) => [page.limit, page.cursor, page.checkedIn])).toEqual([
        [1000, undefined, true],
        [1000, '1000', true],
        [1000, '2000', true],
      ]);
      // Every page is asked for the same user, in the request's correlation.
      const correlationIds = calls.map((entry) => entry.metadata.get(GrpcMetadataKeys.correlationId)[0]);
      expect(new Set(correlationIds)).toEqual(new Set([reply.headers.get('x-correlation-id')]));
      expect(calls.every((entry) => entry.metadata.get(GrpcMetadataKeys.userId)[0] === 'user-1')).toBe(true);
    });

    it('answers a refusal of the first page as a problem, not a file', async () => {
      const reply = await send('GET', `/v1/events/${FORBIDDEN_EVENT}/attendees`, { headers: { accept: 'text/csv' } });
      expectProblem(reply, 403, 'FORBIDDEN');
      expect(reply.headers.get('content-disposition')).toBeNull();
    });

    it('drops the connection when a later page fails, so the file never looks complete', async () => {
      const response = await fetch(`${baseUrl}/v1/events/${FAILING_EXPORT_EVENT}/attendees`, {
        headers: { authorization: `Bearer ${token}`, accept: 'text/csv' },
      });
      expect(response.status).toBe(200);
      await expect(response.text()).rejects.toThrow();
    });
  });

  describe('availability', () => {
    it('answers the figures to anyone', async () => {
      const reply = await send('GET', `/v1/events/${EVENT}/availability`, { token: null });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(availability(42));
    });

    it('answers an unknown event’s stream with a 404 problem', async () => {
      const reply = await send('GET', `/v1/events/${UNKNOWN_EVENT}/availability/stream`, { token: null });
      expectProblem(reply, 404, 'EVENT_NOT_FOUND');
      expect(reply.headers.get('x-correlation-id')).toBeTruthy();
    });

    it('streams the figures and every change, and cancels the gRPC call when the client leaves', async () => {
      const abort = new AbortController();
      const response = await fetch(`${baseUrl}/v1/events/${EVENT}/availability/stream`, {
        headers: { 'x-correlation-id': 'sse-correlation-1' },
        signal: abort.signal,
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(response.headers.get('x-correlation-id')).toBe('sse-correlation-1');
      expect(response.headers.get('content-security-policy')).toBeTruthy();
      const call = calls.find((entry) => entry.method === 'watchAvailability')!;
      expect(call.metadata.get(GrpcMetadataKeys.correlationId)).toEqual(['sse-correlation-1']);
      expect(streamDeadlines.at(-1)).toBe(Infinity);

      const reader = response.body!.getReader();
      const events = eventReader(reader);
      expect(await events.next()).toEqual({ event: 'availability', data: availability(42) });
      watchers.at(-1)!.call.write(availability(43));
      expect(await events.next()).toEqual({ event: 'availability', data: availability(43) });

      abort.abort();
      await until(() => watchers.at(-1)!.cancelled);
    });

    it('ends the response when the service ends the stream, and the request is measured', async () => {
      const response = await fetch(`${baseUrl}/v1/events/${EVENT}/availability/stream`);
      const reader = response.body!.getReader();
      const events = eventReader(reader);
      expect(await events.next()).toMatchObject({ event: 'availability' });

      watchers.at(-1)!.call.end();
      expect(await events.next()).toBeUndefined();
      const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
      expect(metrics).toMatch(
        /convene_http_request_duration_seconds_count\{[^}]*route="\/v1\/events\/:id\/availability\/stream",status_code="200"[^}]*\} 1/,
      );
    });
  });
});
