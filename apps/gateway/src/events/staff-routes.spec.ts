import type { Metadata } from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DomainError } from '@convene/common';
import { AuthGrpc, EventsGrpc, GrpcMetadataKeys, type EventMessage } from '@convene/contracts';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../auth/testing/test-signing-keys';
import {
  expectProblem,
  FakeGrpcServices,
  problemFields,
  sendRequest,
  startGateway,
  type SendOptions,
} from '../testing/route-test-kit';

/**
 * The staff routes of the real gateway in front of fake events and auth services (real gRPC): which
 * service is asked what, in which order, as whom, and what reaches the client. Who may see or change
 * staff is the events service's (its spec); the whole system in test/e2e/event-staff.test.ts.
 */
describe('event staff routes of the gateway', () => {
  const EVENT = '0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11';
  const FORBIDDEN_EVENT = '7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910';
  const EMPTY_EVENT = '5d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
  const ADA = { id: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f', email: 'ada@example.com', displayName: 'Ada' };
  const GRACE = { id: '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a', email: 'grace@example.com', displayName: 'Grace' };
  const GONE = '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d';

  let key: TestSigningKey;
  let organizerToken: string;
  let attendeeToken: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  const fakes = new FakeGrpcServices();
  const { calls } = fakes;
  const unary = fakes.unary.bind(fakes);
  const send = (method: string, path: string, options?: SendOptions) =>
    sendRequest(baseUrl, organizerToken, method, path, options);
  const methods = () => calls.map((call) => call.method).filter((method) => method !== 'getJwks');

  const eventOf = (id: string, staffIds: string[]) =>
    ({ id, organizerId: 'organizer-1', status: 'published', staffIds }) as unknown as EventMessage;
  const forbidden = (eventId: string) => {
    if (eventId === FORBIDDEN_EVENT) throw new DomainError('FORBIDDEN', 'only the organizer');
  };

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    key = await createSigningKey('key-1');
    organizerToken = await signAccessToken(key, { sub: 'organizer-1', roles: ['attendee', 'organizer'] });
    attendeeToken = await signAccessToken(key, { sub: 'attendee-1', roles: ['attendee'] });
    const authPort = await fakes.serve(AuthGrpc, {
      getJwks: unary('getJwks', () => ({ keys: [key.publicJwk] })),
      // What auth knows: Ada and Grace; GONE was erased.
      getUsers: unary('getUsers', (request: { ids: string[] }) => ({
        users: request.ids.flatMap((id) => [ADA, GRACE].filter((user) => user.id === id)),
      })),
      findUserByEmail: unary('findUserByEmail', (request: { email: string }) => {
        const user = [ADA, GRACE].find((u) => u.email === request.email);
        if (!user) throw new DomainError('USER_NOT_FOUND', 'no account has this email');
        // More than the API shows: the gateway maps field by field.
        return { ...user, roles: ['admin'] } as never;
      }),
    });
    const eventsPort = await fakes.serve(EventsGrpc, {
      listStaff: unary('listStaff', (request: { eventId: string }) => {
        forbidden(request.eventId);
        return { userIds: request.eventId === EMPTY_EVENT ? [] : [GRACE.id, GONE, ADA.id] };
      }),
      addStaff: unary('addStaff', (request: { eventId: string; userId: string }) => {
        forbidden(request.eventId);
        return eventOf(request.eventId, [request.userId]);
      }),
    });
    ({ app, baseUrl } = await startGateway({
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      EVENTS_GRPC_URL: `127.0.0.1:${eventsPort}`,
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

  const userIdOf = (metadata: Metadata) => metadata.get(GrpcMetadataKeys.userId);

  describe('GET /v1/events/{id}/staff', () => {
    it('names the staff events lists for the caller, in its order, leaving deleted accounts out', async () => {
      const reply = await send('GET', `/v1/events/${EVENT}/staff`);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        items: [
          { userId: GRACE.id, displayName: 'Grace', email: 'grace@example.com' },
          { userId: ADA.id, displayName: 'Ada', email: 'ada@example.com' },
        ],
      });
      expect(methods()).toEqual(['listStaff', 'getUsers']);
      const [listed, named] = calls.filter((call) => call.method !== 'getJwks');
      expect(listed!.request).toEqual({ eventId: EVENT });
      expect(named!.request).toEqual({ ids: [GRACE.id, GONE, ADA.id] });
      expect(userIdOf(listed!.metadata)).toEqual(['organizer-1']);
      expect(userIdOf(named!.metadata)).toEqual(['organizer-1']);
    });

    it('answers an empty list without asking auth', async () => {
      const reply = await send('GET', `/v1/events/${EMPTY_EVENT}/staff`);
      expect(reply.body).toEqual({ items: [] });
      expect(methods()).toEqual(['listStaff']);
    });

    it('passes events’ refusal on, and then asks auth nothing', async () => {
      expectProblem(await send('GET', `/v1/events/${FORBIDDEN_EVENT}/staff`), 403, 'FORBIDDEN');
      expect(methods()).toEqual(['listStaff']);
    });

    it('needs a signed-in caller and a uuid id', async () => {
      expectProblem(await send('GET', `/v1/events/${EVENT}/staff`, { token: null }), 401, 'UNAUTHENTICATED');
      const malformed = await send('GET', '/v1/events/nope/staff');
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(problemFields(malformed)).toEqual(['id']);
      expect(methods()).toEqual([]);
    });
  });

  describe('POST /v1/events/{id}/staff', () => {
    it('grants staff to the account with that email and answers the staff member (200)', async () => {
      const reply = await send('POST', `/v1/events/${EVENT}/staff`, { body: { email: ' grace@example.com ' } });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ userId: GRACE.id, displayName: 'Grace', email: 'grace@example.com' });
      expect(methods()).toEqual(['findUserByEmail', 'addStaff']);
      const [found, added] = calls.filter((call) => call.method !== 'getJwks');
      expect(found!.request).toEqual({ email: 'grace@example.com' });
      expect(added!.request).toEqual({ eventId: EVENT, userId: GRACE.id });
      expect(userIdOf(added!.metadata)).toEqual(['organizer-1']);
    });

    it('answers 404 USER_NOT_FOUND for an email no account has, changing nothing', async () => {
      const reply = await send('POST', `/v1/events/${EVENT}/staff`, { body: { email: 'nobody@example.com' } });
      expectProblem(reply, 404, 'USER_NOT_FOUND');
      expect(methods()).toEqual(['findUserByEmail']);
    });

    it('passes events’ refusal on without showing the account', async () => {
      const reply = await send('POST', `/v1/events/${FORBIDDEN_EVENT}/staff`, { body: { email: 'ada@example.com' } });
      expectProblem(reply, 403, 'FORBIDDEN');
      expect(reply.text).not.toContain('Ada');
    });

    it.each([
      ['no email', {}, 'email'],
      ['an invalid email', { email: 'not-an-email' }, 'email'],
      ['an email that is not a string', { email: 42 }, 'email'],
      ['an unknown field', { email: 'ada@example.com', userId: ADA.id }, 'userId'],
    ])('refuses %s with 400 naming the field, asking nobody', async (_case, body, field) => {
      const reply = await send('POST', `/v1/events/${EVENT}/staff`, { body });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(problemFields(reply)).toContain(field);
      expect(methods()).toEqual([]);
    });

    it('is for organizers (403 for an attendee) and signed-in callers (401)', async () => {
      const body = { email: 'ada@example.com' };
      expectProblem(await send('POST', `/v1/events/${EVENT}/staff`, { body, token: attendeeToken }), 403, 'FORBIDDEN');
      expectProblem(await send('POST', `/v1/events/${EVENT}/staff`, { body, token: null }), 401, 'UNAUTHENTICATED');
      expect(methods()).toEqual([]);
    });
  });

  describe('PUT /v1/events/{id}/staff/{userId}', () => {
    it('grants staff to an existing account, asking auth that it exists first', async () => {
      const reply = await send('PUT', `/v1/events/${EVENT}/staff/${GRACE.id}`);
      expect(reply.status).toBe(200);
      expect(methods()).toEqual(['listStaff', 'getUsers', 'addStaff']);
    });

    it('answers 404 USER_NOT_FOUND for an id no account holds, changing nothing', async () => {
      const reply = await send('PUT', `/v1/events/${EVENT}/staff/${GONE}`);
      expectProblem(reply, 404, 'USER_NOT_FOUND');
      expect(methods()).toEqual(['listStaff', 'getUsers']);
    });

    it('passes events’ refusal on before asking whether the id is an account', async () => {
      const reply = await send('PUT', `/v1/events/${FORBIDDEN_EVENT}/staff/${GONE}`);
      expectProblem(reply, 403, 'FORBIDDEN');
      expect(methods()).toEqual(['listStaff']);
    });
  });
});
