import { Body, Controller, Get, Module, Param, Post, UsePipes } from '@nestjs/common';
import { request as httpRequest } from 'node:http';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Type } from 'class-transformer';
import { IsArray, IsString, MaxLength, ValidateNested } from 'class-validator';
import { DomainError } from '../errors/domain-error';
import { createValidationPipe } from '../errors/validation.pipe';
import { CorrelationContext } from '../logging/correlation-context';
import { JsonLogger } from '../logging/json-logger';
import { HealthRegistry } from '../health/health.registry';
import { ObservabilityModule } from '../observability/observability.module';
import { createHttpApp } from './create-http-app';

class VenueDto {
  @IsString()
  name!: string;
}

class CreateEventDto {
  @IsString()
  @MaxLength(20)
  title!: string;

  @ValidateNested()
  @Type(() => VenueDto)
  venue!: VenueDto;

  @IsArray()
  @IsString({ each: true })
  tags: string[] = [];
}

@Controller('v1/events')
@UsePipes(createValidationPipe())
class EventsController {
  @Post()
  async create(@Body() body: CreateEventDto): Promise<{ title: string; correlationId?: string }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { title: body.title, correlationId: CorrelationContext.currentId() };
  }

  @Get(':id')
  get(@Param('id') id: string): never {
    throw new DomainError('EVENT_NOT_FOUND', `Event ${id} does not exist`, { eventId: id });
  }

  @Post(':id/explode')
  explode(): never {
    throw new Error('database password is hunter2');
  }
}

@Module({ imports: [ObservabilityModule.forRoot({ service: 'test' })], controllers: [EventsController] })
class TestModule {}

describe('createHttpApp', () => {
  let app: NestFastifyApplication;
  let logged: string[];
  let baseUrl: string;

  interface Reply {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
    json(): Record<string, unknown>;
  }

  async function send(
    method: string,
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const body = payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload);
    const response = await fetch(baseUrl.replace('[::1]', '127.0.0.1') + url, {
      method,
      body,
      headers: { ...(typeof payload === 'object' ? { 'content-type': 'application/json' } : {}), ...headers },
    });
    const text = await response.text();
    return {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: text,
      json: () => JSON.parse(text),
    };
  }

  beforeAll(async () => {
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    app = await createHttpApp(TestModule, {
      service: 'test',
      logger: new JsonLogger({ service: 'test' }),
      bodyLimitBytes: 1024,
    });
    // A real socket rather than app.inject(): Fastify's inject loads an ESM-only dependency (cookie 2)
    // that this Jest setup cannot require, and the real path also exercises Node's HTTP parser.
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    await app.close();
    jest.restoreAllMocks();
  });

  const validEvent = { title: 'Meetup', venue: { name: 'Hall' }, tags: ['a'] };

  function post(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    return send('POST', url, payload, headers);
  }

  it('runs handlers inside the request correlation context, echoing the caller id', async () => {
    const response = await post('/v1/events', validEvent, { 'x-correlation-id': 'abc-123' });
    expect(response.statusCode).toBe(201);
    expect(response.headers['x-correlation-id']).toBe('abc-123');
    expect(response.json()).toEqual({ title: 'Meetup', correlationId: 'abc-123' });
  });

  it('keeps the correlation context when the body arrives after the headers', async () => {
    // Fastify then parses the body in the socket's callbacks, outside the onRequest hook's context.
    const url = new URL('/v1/events', baseUrl.replace('[::1]', '127.0.0.1'));
    const result = await new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const request = httpRequest(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'transfer-encoding': 'chunked',
          'x-correlation-id': 'late-body',
        },
      });
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode, body }));
      });
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => request.end(JSON.stringify(validEvent)), 50);
    });
    expect(result.status).toBe(201);
    expect(JSON.parse(result.body).correlationId).toBe('late-body');
  });

  it('replaces an unsafe correlation id with a fresh uuid', async () => {
    for (const unsafe of ['bad id <script>', 'x'.repeat(129)]) {
      const response = await post('/v1/events', validEvent, { 'x-correlation-id': unsafe });
      const id = response.headers['x-correlation-id'];
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(response.json().correlationId).toBe(id);
    }
  });

  function expectProblem(response: Reply, status: number, code: string) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({ status, code });
    expect(body.type).toBe(`https://convene.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`);
    expect(body.correlationId).toBe(response.headers['x-correlation-id']);
    return body;
  }

  it('answers validation errors with 400 naming the fields (nested and array paths)', async () => {
    const response = await post('/v1/events', { title: 'x'.repeat(21), venue: { name: 3 }, tags: ['ok', 7] });
    const body = expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(body.instance).toBe('/v1/events');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { field: 'title', message: 'title must be shorter than or equal to 20 characters' },
        { field: 'venue.name', message: 'name must be a string' },
        { field: 'tags', message: 'each value in tags must be a string' },
      ]),
    );
    expect(body.detail).toContain('title: title must be shorter than or equal to 20 characters');
  });

  it('refuses unknown fields with 400', async () => {
    const body = expectProblem(await post('/v1/events', { ...validEvent, foo: 1 }), 400, 'VALIDATION_FAILED');
    expect(body.errors).toEqual([{ field: 'foo', message: 'foo is not allowed' }]);
    expect(body.detail).toBe('foo: foo is not allowed');
  });

  it('maps a DomainError to its status and copies its details', async () => {
    const response = await send('GET', '/v1/events/e1?x=1', undefined, { 'x-correlation-id': 'c-1' });
    const body = expectProblem(response, 404, 'EVENT_NOT_FOUND');
    expect(body).toMatchObject({
      title: 'Event not found',
      detail: 'Event e1 does not exist',
      eventId: 'e1',
      instance: '/v1/events/e1',
      correlationId: 'c-1',
    });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND problem+json', async () => {
    expectProblem(await send('GET', '/nope'), 404, 'ROUTE_NOT_FOUND');
  });

  it('answers a too large body with 413 problem+json', async () => {
    expectProblem(await post('/v1/events', { ...validEvent, title: 'x'.repeat(2000) }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers malformed JSON with 400 MALFORMED_REQUEST', async () => {
    const response = await post('/v1/events', '{"title": ', { 'content-type': 'application/json' });
    expectProblem(response, 400, 'MALFORMED_REQUEST');
  });

  it('answers an empty JSON body with 400 MALFORMED_REQUEST', async () => {
    const response = await post('/v1/events', '', { 'content-type': 'application/json' });
    expectProblem(response, 400, 'MALFORMED_REQUEST');
  });

  it('answers a path that is not valid percent-encoding with 400 problem+json, not echoing it', async () => {
    for (const path of ['/v1/events/%E0%A4%A', '/v1/events/%ED%A0%80']) {
      const response = await send('GET', path);
      expectProblem(response, 400, 'MALFORMED_REQUEST');
      expect(response.body).not.toContain('%E');
    }
  });

  it('answers a path parameter over Fastify’s length limit with 414 problem+json', async () => {
    expectProblem(await send('GET', `/v1/events/${'a'.repeat(200)}`), 414, 'URI_TOO_LONG');
  });

  it('answers headers over the parser’s limit with 431 problem+json, written before any route runs', async () => {
    const { request } = await import('node:http');
    const answer = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
      request(
        `${baseUrl.replace('[::1]', '127.0.0.1')}/v1/events/${'a'.repeat(20)}`,
        { headers: { 'x-filler': 'x'.repeat(40_000) } },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode, type: response.headers['content-type'], body }),
          );
        },
      )
        .on('error', reject)
        .end();
    });
    expect(answer.status).toBe(431);
    expect(answer.type).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('answers an unsupported content type with 415', async () => {
    const response = await post('/v1/events', '<event/>', { 'content-type': 'application/xml' });
    expectProblem(response, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers an unexpected error with 500 and an errorId, without leaking the message, and logs it', async () => {
    logged.length = 0;
    const response = await post('/v1/events/e1/explode', {}, { 'x-correlation-id': 'boom-1' });
    const body = expectProblem(response, 500, 'INTERNAL');
    expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).not.toContain('hunter2');
    const line = logged.map((text) => JSON.parse(text)).find((entry) => entry.errorId === body.errorId);
    expect(line).toMatchObject({ severity: 'ERROR', correlationId: 'boom-1', service: 'test' });
    expect(line.stack).toContain('hunter2');
  });

  it('exposes the HTTP histogram labelled by route template, not raw URL', async () => {
    await send('GET', '/v1/events/e42');
    const response = await send('GET', '/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const countLine = response.body
      .split('\n')
      .find(
        (line) =>
          line.startsWith('convene_http_request_duration_seconds_count') && line.includes('route="/v1/events/:id"'),
      );
    expect(countLine).toContain('method="GET"');
    expect(countLine).toContain('status_code="404"');
    expect(countLine).toContain('service="test"');
    expect(Number(countLine?.split(' ').pop())).toBeGreaterThanOrEqual(1);
    expect(response.body).toContain('route="unmatched"');
    expect(response.body).not.toContain('e42');
    expect(response.body).toContain('process_cpu_seconds_total');
  });

  it('answers the probes, and readiness goes down once shutting down', async () => {
    expect((await send('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await send('GET', '/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: {} });
  });
});

describe('createHttpApp shutdown', () => {
  it('takes readiness down when the app closes and releases its signal listeners', async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const before = process.listenerCount('SIGTERM');
    const app = await createHttpApp(TestModule, { service: 'test', logger: new JsonLogger({ service: 'test' }) });
    await app.init();
    const health = app.get(HealthRegistry);
    expect((await health.check()).ready).toBe(true);
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(before);

    await app.close();
    expect((await health.check()).ready).toBe(false);
    expect(process.listenerCount('SIGTERM')).toBe(before);
    jest.restoreAllMocks();
  });
});
