import {
  Body,
  Controller,
  HttpCode,
  Injectable,
  Module,
  Post,
  Res,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsIn, IsOptional, IsString } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import {
  createHttpApp,
  createValidationPipe,
  DomainError,
  JsonLogger,
  Metrics,
  ObservabilityModule,
} from '@convene/common';
import { attachIdentity } from '../auth/request-identity';
import { buildOpenApiDocument } from '../openapi/openapi';
import { IdempotentRequests } from './idempotent-requests';
import { Idempotent } from './idempotent.decorator';
import { InMemoryIdempotencyStore } from './in-memory-idempotency.store';

const OUTCOMES = ['ok', 'full', 'unavailable-once', 'crash-once', 'retry-later'] as const;

class ThingDto {
  @IsString()
  name!: string;

  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: (typeof OUTCOMES)[number];
}

/** Counts executions; fails the first time for the "-once" outcomes. */
const executions = { count: 0, failed: new Set<string>() };

@Controller('v1/things')
class ThingsController {
  @Post()
  @Idempotent()
  async create(
    @Body() body: ThingDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: number; name: string }> {
    executions.count += 1;
    const once = (outcome: string): boolean => !executions.failed.has(outcome) && !!executions.failed.add(outcome);
    if (body.outcome === 'full') throw new DomainError('EVENT_FULL', 'The event is full', { eventId: 'e1' });
    if (body.outcome === 'retry-later') throw new DomainError('RATE_LIMITED', 'Slow down', { retryAfterSeconds: 3 });
    if (body.outcome === 'unavailable-once' && once(body.outcome)) {
      throw new DomainError('SERVICE_UNAVAILABLE', 'A backing service is unavailable');
    }
    if (body.outcome === 'crash-once' && once(body.outcome)) throw new Error('boom');
    void reply.header('location', `/v1/things/${executions.count}`);
    return { id: executions.count, name: body.name };
  }

  @Post('act')
  @HttpCode(200)
  @Idempotent()
  act(): void {
    executions.count += 1;
  }
}

/** Stands in for AccessTokenGuard: the identity goes where the real guard puts it. */
@Injectable()
class TestIdentityGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const user = request.headers['x-test-user'];
    if (typeof user === 'string') attachIdentity(request, { userId: user, roles: ['attendee'] });
    return true;
  }
}

const store = new InMemoryIdempotencyStore();

@Module({
  imports: [ObservabilityModule.forRoot({ service: 'gateway' })],
  controllers: [ThingsController],
  providers: [
    { provide: APP_GUARD, useClass: TestIdentityGuard },
    {
      provide: IdempotentRequests,
      inject: [Metrics],
      useFactory: (metrics: Metrics) => new IdempotentRequests(store, metrics),
    },
  ],
})
class TestModule {}

describe('@Idempotent() routes', () => {
  let app: NestFastifyApplication;
  let keyNumber = 0;

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    app = await createHttpApp(TestModule, { service: 'gateway', logger: new JsonLogger({ service: 'gateway' }) });
    app.useGlobalPipes(createValidationPipe());
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    executions.count = 0;
    executions.failed.clear();
  });

  const newKey = (): string => `key-${(keyNumber += 1)}`;

  function send(
    body: unknown,
    options: { key?: string; user?: string | null; url?: string } = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    if (options.user !== null) headers['x-test-user'] = options.user ?? 'user-1';
    return app
      .getHttpAdapter()
      .getInstance()
      .inject({ method: 'POST', url: options.url ?? '/v1/things', headers, payload: JSON.stringify(body) });
  }

  it('runs every request that has no key, as usual', async () => {
    const first = await send({ name: 'a' });
    const second = await send({ name: 'a' });
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.json()).toEqual({ id: 2, name: 'a' });
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(executions.count).toBe(2);
  });

  it('answers a retry with the first response byte for byte, without running the handler again', async () => {
    const key = newKey();
    const first = await send({ name: 'a' }, { key });
    const retry = await send({ name: 'a' }, { key });

    expect(executions.count).toBe(1);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ id: 1, name: 'a' });
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(retry.statusCode).toBe(201);
    expect(retry.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    for (const header of ['content-type', 'content-length', 'location']) {
      expect(retry.headers[header]).toBe(first.headers[header]);
    }
    expect(first.headers.location).toBe('/v1/things/1');
    // The same format as the route's answers without a key.
    const plain = await send({ name: 'a' });
    expect(first.headers['content-type']).toBe(plain.headers['content-type']);
  });

  it('sees the same body with other key order and spacing as the same request', async () => {
    const key = newKey();
    await send({ name: 'a', outcome: 'ok' }, { key });
    const retry = await app
      .getHttpAdapter()
      .getInstance()
      .inject({
        method: 'POST',
        url: '/v1/things',
        headers: { 'content-type': 'application/json', 'idempotency-key': key, 'x-test-user': 'user-1' },
        payload: '{ "outcome": "ok",\n  "name": "a" }',
      });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(executions.count).toBe(1);
  });

  it('keeps the route’s status code and an empty body', async () => {
    const key = newKey();
    const first = await send({}, { key, url: '/v1/things/act' });
    const retry = await send({}, { key, url: '/v1/things/act' });
    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    expect([first.body, retry.body]).toEqual(['', '']);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(executions.count).toBe(1);
  });

  it('refuses the same key with another body (422) and changes nothing', async () => {
    const key = newKey();
    const first = await send({ name: 'a' }, { key });
    const other = await send({ name: 'b' }, { key });
    expect(other.statusCode).toBe(422);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(executions.count).toBe(1);
    expect((await send({ name: 'a' }, { key })).rawPayload.equals(first.rawPayload)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not visible ASCII', 'with space'],
  ])('refuses a key that is %s with 400 naming the header', async (_case, key) => {
    const reply = await send({ name: 'a' }, { key });
    expect(reply.statusCode).toBe(400);
    expect(reply.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' }],
    });
    expect(executions.count).toBe(0);
  });

  it('scopes keys per user: another user’s same key runs', async () => {
    const key = newKey();
    await send({ name: 'a' }, { key, user: 'user-1' });
    const other = await send({ name: 'a' }, { key, user: 'user-2' });
    expect(other.statusCode).toBe(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(executions.count).toBe(2);
  });

  it('needs an authenticated user to honour a key (401)', async () => {
    const reply = await send({ name: 'a' }, { key: newKey(), user: null });
    expect(reply.statusCode).toBe(401);
    expect(executions.count).toBe(0);
  });

  it('replays a refusal (4xx) exactly as the problem filter first sent it', async () => {
    const key = newKey();
    const first = await send({ name: 'a', outcome: 'full' }, { key });
    const retry = await send({ name: 'a', outcome: 'full' }, { key });
    expect(executions.count).toBe(1);
    expect(first.statusCode).toBe(409);
    expect(retry.statusCode).toBe(409);
    expect(retry.rawPayload.equals(first.rawPayload)).toBe(true);
    expect(retry.headers['content-type']).toBe(first.headers['content-type']);
    expect(retry.headers['x-correlation-id']).not.toBe(first.headers['x-correlation-id']);

    // The same problem the filter sends for this error on a request without a key.
    const plain = await send({ name: 'a', outcome: 'full' });
    expect(first.headers['content-type']).toBe(plain.headers['content-type']);
    expect(first.json()).toEqual({ ...plain.json(), correlationId: first.headers['x-correlation-id'] });
    expect(Object.keys(first.json())).toEqual(Object.keys(plain.json()));
  });

  it.each([
    ['a 5xx', 'unavailable-once', 503],
    ['an unexpected error', 'crash-once', 500],
  ])('does not keep %s: the retry with the same key runs again', async (_case, outcome, status) => {
    const key = newKey();
    expect((await send({ name: 'a', outcome }, { key })).statusCode).toBe(status);
    const retry = await send({ name: 'a', outcome }, { key });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(executions.count).toBe(2);
  });

  it('does not keep a 429: the client retries later with the same key', async () => {
    const key = newKey();
    const first = await send({ name: 'a', outcome: 'retry-later' }, { key });
    expect(first.statusCode).toBe(429);
    expect(first.headers['retry-after']).toBe('3');
    await send({ name: 'a', outcome: 'retry-later' }, { key });
    expect(executions.count).toBe(2);
  });

  it('does not keep a 400 for an invalid body: the client may fix the body and reuse the key', async () => {
    const key = newKey();
    const invalid = await send({ name: 42 }, { key });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ errors: [{ field: 'name' }] });
    const fixed = await send({ name: 'a' }, { key });
    expect(fixed.statusCode).toBe(201);
    expect(executions.count).toBe(1);
  });

  it('documents the optional header on the route', () => {
    const operation = buildOpenApiDocument(app).paths['/v1/things']!.post!;
    expect(operation.parameters).toContainEqual(
      expect.objectContaining({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        schema: expect.objectContaining({ maxLength: 255 }),
      }),
    );
  });
});
