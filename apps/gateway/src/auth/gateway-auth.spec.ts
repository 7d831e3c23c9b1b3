import {
  loadPackageDefinition,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type GrpcObject,
  type ServiceClientConstructor,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DomainError, encodeErrorMetadata, JsonLogger, loadConfig } from '@convene/common';
import { AuthGrpc, GrpcMetadataKeys, PROTO_LOADER_OPTIONS, type UserMessage } from '@convene/contracts';
import { createGatewayApp } from '../gateway.app';
import { GatewayConfig } from '../gateway.config';
import { createSigningKey, signAccessToken, type TestSigningKey } from './testing/test-signing-keys';

/**
 * The real gateway in front of a fake auth service (real gRPC), so the guard, the filter's headers,
 * the identity metadata and the DTOs are exercised together. The events service is absent: a request
 * that gets past the guard to it answers 503, one stopped by the guard 401/403.
 */
describe('gateway authentication', () => {
  let key: TestSigningKey;
  let stranger: TestSigningKey;
  let authServer: Server;
  let app: NestFastifyApplication;
  let baseUrl: string;
  const seen: { method: string; metadata: Metadata; request: unknown }[] = [];

  const user: UserMessage = {
    id: 'user-1',
    email: 'ada@example.com',
    displayName: 'Ada',
    roles: ['attendee'],
    createdAt: '2026-01-01T00:00:00.000Z',
  };

  function unary(method: string, answer: (request: unknown) => unknown) {
    return (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
      seen.push({ method, metadata: call.metadata, request: call.request });
      try {
        callback(null, answer(call.request));
      } catch (error) {
        const domain = error as DomainError;
        callback({ code: status.RESOURCE_EXHAUSTED, details: domain.message, metadata: encodeErrorMetadata(domain) });
      }
    };
  }

  async function startFakeAuth(): Promise<number> {
    const definition = loadPackageDefinition(loadSync(AuthGrpc.protoPath, PROTO_LOADER_OPTIONS));
    const pkg = AuthGrpc.package.split('.').reduce<GrpcObject>((node, name) => node[name] as GrpcObject, definition);
    const service = (pkg[AuthGrpc.service] as ServiceClientConstructor).service;
    const session = { user, accessToken: 'access.token.x', refreshToken: 'refresh-1', expiresIn: 900 };
    authServer = new Server();
    authServer.addService(service, {
      getJwks: unary('getJwks', () => ({ keys: [key.publicJwk] })),
      getMe: unary('getMe', () => user),
      register: unary('register', () => session),
      login: unary('login', (request) => {
        if ((request as { password: string }).password === 'wrong-password') {
          throw new DomainError('RATE_LIMITED', 'Too many attempts, try again later', { retryAfterSeconds: 42 });
        }
        return session;
      }),
    });
    return new Promise((resolve, reject) =>
      authServer.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
  }

  interface Reply {
    status: number;
    headers: Headers;
    body: any;
  }

  async function send(method: string, path: string, options: { token?: string; auth?: string; body?: unknown } = {}) {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.auth) headers.authorization = options.auth;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(baseUrl + path, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (metrics, docs)
    }
    return { status: response.status, headers: response.headers, body } as Reply;
  }

  function expectProblem(reply: Reply, statusCode: number, code: string): void {
    expect(reply.status).toBe(statusCode);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status: statusCode, code });
  }

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    key = await createSigningKey('key-1');
    stranger = await createSigningKey('key-1'); // same kid, different key: a forgery
    const authPort = await startFakeAuth();
    const config = loadConfig(GatewayConfig, {
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      EVENTS_GRPC_URL: '127.0.0.1:9', // nothing listens: reaching the events service answers 503
      GRPC_DEADLINE_MS: '1000',
      LOG_LEVEL: 'error',
    });
    app = await createGatewayApp(config, new JsonLogger({ service: 'gateway', level: 'error' }));
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app?.close();
    authServer?.forceShutdown();
    jest.restoreAllMocks();
  });

  const eventId = '0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11';

  describe('public routes', () => {
    it.each(['/healthz', '/metrics', '/openapi.json', '/docs', '/.well-known/jwks.json'])(
      '%s answers without a token',
      async (path) => {
        expect((await send('GET', path)).status).toBe(200);
      },
    );

    it('serves the JWKS from the cache with a public cache lifetime', async () => {
      const reply = await send('GET', '/.well-known/jwks.json');
      expect(reply.headers.get('cache-control')).toBe('public, max-age=300');
      expect(reply.body).toEqual({ keys: [key.publicJwk] });
    });

    it('lets anyone read an event (the request reaches the events service)', async () => {
      expectProblem(await send('GET', `/v1/events/${eventId}`), 503, 'SERVICE_UNAVAILABLE');
    });

    it('still refuses a bad token sent to a public route that accepts an identity', async () => {
      const forged = await signAccessToken(stranger);
      expectProblem(await send('GET', `/v1/events/${eventId}`, { token: forged }), 401, 'UNAUTHENTICATED');
    });
  });

  describe('protected routes', () => {
    it('answer 401 with a bare Bearer challenge when no token is sent', async () => {
      const reply = await send('GET', '/v1/me');
      expectProblem(reply, 401, 'UNAUTHENTICATED');
      expect(reply.headers.get('www-authenticate')).toBe('Bearer');
    });

    it.each([
      ['a forged signature', async () => `Bearer ${await signAccessToken(stranger)}`],
      ['an expired token', async () => `Bearer ${await signAccessToken(key, { iat: -1000, exp: -60 })}`],
      ['a token without the Bearer prefix', async () => signAccessToken(key)],
      ['another scheme', async () => 'Basic dXNlcjpwYXNz'],
      ['garbage', async () => 'Bearer not.a.token'],
    ])('answer 401 invalid_token for %s', async (_case, header) => {
      const reply = await send('GET', '/v1/me', { auth: await header() });
      expectProblem(reply, 401, 'UNAUTHENTICATED');
      expect(reply.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      expect(reply.body).not.toHaveProperty('bearerError');
    });

    it('pass the verified identity and client address to the service, and answer the user only', async () => {
      seen.length = 0;
      const token = await signAccessToken(key, { sub: 'user-1', roles: ['attendee', 'organizer'] });
      const reply = await send('GET', '/v1/me', { token });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(user);
      const call = seen.find((entry) => entry.method === 'getMe')!;
      expect(call.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);
      expect(call.metadata.get(GrpcMetadataKeys.userRoles)).toEqual(['attendee,organizer']);
      expect(call.metadata.get(GrpcMetadataKeys.clientIp)).toEqual(['127.0.0.1']);
    });

    it('answer 403 when the token lacks the role', async () => {
      const attendee = await signAccessToken(key, { roles: ['attendee'] });
      const reply = await send('POST', `/v1/events/${eventId}/publish`, { token: attendee });
      expectProblem(reply, 403, 'FORBIDDEN');
      expect(reply.body.detail).toBe('This operation needs the organizer role');
      expectProblem(await send('POST', '/v1/admin/signing-keys/rotate', { token: attendee }), 403, 'FORBIDDEN');
    });

    it('let an organizer, and an admin, through a role check', async () => {
      for (const roles of [['attendee', 'organizer'], ['admin']]) {
        const token = await signAccessToken(key, { roles });
        // Past the guard: the (absent) events service answers.
        expectProblem(await send('POST', `/v1/events/${eventId}/publish`, { token }), 503, 'SERVICE_UNAVAILABLE');
      }
    });

    it('refuse a body that tries to set roles or ids on PATCH /v1/me', async () => {
      const token = await signAccessToken(key);
      const reply = await send('PATCH', '/v1/me', { token, body: { displayName: 'X', roles: ['admin'], id: 'u-2' } });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['id', 'roles']);
    });
  });

  describe('sessions', () => {
    const registration = { email: 'ada@example.com', password: 'correct horse battery', displayName: '  Ada  ' };

    it('register answers 201 with the session, uncacheable, and the trimmed name went to auth', async () => {
      seen.length = 0;
      const reply = await send('POST', '/v1/auth/register', { body: registration });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('cache-control')).toBe('no-store');
      expect(reply.body).toEqual({
        user,
        accessToken: 'access.token.x',
        refreshToken: 'refresh-1',
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      expect(seen.find((entry) => entry.method === 'register')?.request).toMatchObject({ displayName: 'Ada' });
    });

    it('register refuses role, roles and id with 400 naming them', async () => {
      const reply = await send('POST', '/v1/auth/register', {
        body: { ...registration, role: 'admin', roles: ['admin'], id: 'u-1' },
      });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['id', 'role', 'roles']);
    });

    it('register refuses a short password and a bad email', async () => {
      const reply = await send('POST', '/v1/auth/register', {
        body: { ...registration, email: 'nope', password: 'short' },
      });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['email', 'password']);
    });

    it('login passes the service 429 on with Retry-After', async () => {
      const reply = await send('POST', '/v1/auth/login', {
        body: { email: 'ada@example.com', password: 'wrong-password' },
      });
      expectProblem(reply, 429, 'RATE_LIMITED');
      expect(reply.headers.get('retry-after')).toBe('42');
      expect(reply.body.retryAfterSeconds).toBe(42);
    });

    it('login sends the client address for throttling', async () => {
      seen.length = 0;
      const reply = await send('POST', '/v1/auth/login', { body: { email: 'ada@example.com', password: 'pw' } });
      expect(reply.status).toBe(200);
      const call = seen.find((entry) => entry.method === 'login')!;
      expect(call.metadata.get(GrpcMetadataKeys.clientIp)).toEqual(['127.0.0.1']);
      expect(call.metadata.get(GrpcMetadataKeys.userId)).toEqual([]);
    });
  });
});
