import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GrpcMethod, type MicroserviceOptions, Transport } from '@nestjs/microservices';
import type { INestMicroservice } from '@nestjs/common';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { GrpcCorrelationInterceptor } from '../bootstrap/grpc-correlation.interceptor';
import { CorrelationContext } from '../logging/correlation-context';
import { grpcMetadataWithCorrelation } from '../logging/grpc-correlation-metadata';
import { JsonLogger } from '../logging/json-logger';
import { GrpcMetricsInterceptor } from '../metrics/grpc-metrics.interceptor';
import { Metrics } from '../metrics/metrics';
import { ObservabilityModule } from '../observability/observability.module';
import { DomainError } from './domain-error';
import { domainErrorFromGrpc } from './domain-error-from-grpc';
import { GrpcErrorFilter } from './grpc-error.filter';

const PROTO_PATH = join(__dirname, 'testing', 'echo.proto');

@Controller()
class EchoController {
  @GrpcMethod('Echo', 'Say')
  async say({ text }: { text: string }): Promise<{ text: string }> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    if (text === 'missing') {
      throw new DomainError('EVENT_NOT_FOUND', 'Event e1 does not exist', { eventId: 'e1', note: 'héllo\nworld' });
    }
    if (text === 'invalid') {
      throw new DomainError('VALIDATION_FAILED', 'title: title is too long', {
        errors: [{ field: 'title', message: 'title is too long' }],
      });
    }
    if (text === 'crash') throw new Error('connection string with secret internals');
    return { text: CorrelationContext.currentId() ?? 'none' };
  }
}

@Module({ imports: [ObservabilityModule.forRoot({ service: 'echo' })], controllers: [EchoController] })
class EchoModule {}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

type EchoClient = grpc.Client & {
  Say(
    request: { text: string },
    metadata: grpc.Metadata,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, reply?: { text: string }) => void,
  ): void;
};

function echoClient(address: string): EchoClient {
  const definition = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO_PATH)) as unknown as {
    convene: { test: { Echo: new (address: string, credentials: grpc.ChannelCredentials) => EchoClient } };
  };
  return new definition.convene.test.Echo(address, grpc.credentials.createInsecure());
}

describe('GrpcErrorFilter and domainErrorFromGrpc over a real gRPC connection', () => {
  let app: INestMicroservice;
  let client: EchoClient;
  let logged: string[];

  beforeAll(async () => {
    logged = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logged.push(String(chunk));
      return true;
    });
    const url = `127.0.0.1:${await freePort()}`;
    app = await NestFactory.createMicroservice<MicroserviceOptions>(EchoModule, {
      transport: Transport.GRPC,
      options: { package: 'convene.test', protoPath: PROTO_PATH, url },
      logger: new JsonLogger({ service: 'echo' }),
    });
    app.useGlobalFilters(new GrpcErrorFilter());
    app.useGlobalInterceptors(new GrpcCorrelationInterceptor(), app.get(GrpcMetricsInterceptor));
    await app.listen();

    client = echoClient(url);
  });

  afterAll(async () => {
    client?.close();
    await app?.close();
    jest.restoreAllMocks();
  });

  function say(text: string, metadata = new grpc.Metadata()): Promise<{ text: string }> {
    return new Promise((resolve, reject) =>
      client.Say({ text }, metadata, { deadline: Date.now() + 5000 }, (error, reply) =>
        error ? reject(error) : resolve(reply!),
      ),
    );
  }

  async function failure(text: string): Promise<grpc.ServiceError> {
    const error = await say(text).then(
      () => undefined,
      (caught: grpc.ServiceError) => caught,
    );
    if (!error) throw new Error(`expected "${text}" to fail`);
    return error;
  }

  it('sends the domain code as gRPC status and metadata, and the gateway rebuilds the same DomainError', async () => {
    const error = await failure('missing');
    expect(error.code).toBe(grpc.status.NOT_FOUND);
    expect(error.details).toBe('Event e1 does not exist');
    expect(error.metadata.get('convene-error-code')).toEqual(['EVENT_NOT_FOUND']);

    const rebuilt = domainErrorFromGrpc(error);
    expect(rebuilt).toBeInstanceOf(DomainError);
    expect(rebuilt.code).toBe('EVENT_NOT_FOUND');
    expect(rebuilt.message).toBe('Event e1 does not exist');
    expect(rebuilt.details).toEqual({ eventId: 'e1', note: 'héllo\nworld' });
  });

  it('carries field errors through', async () => {
    const rebuilt = domainErrorFromGrpc(await failure('invalid'));
    expect(rebuilt.code).toBe('VALIDATION_FAILED');
    expect(rebuilt.details.errors).toEqual([{ field: 'title', message: 'title is too long' }]);
  });

  it('answers an unexpected error with INTERNAL and an errorId, logging it and hiding its message', async () => {
    const error = await failure('crash');
    expect(error.code).toBe(grpc.status.INTERNAL);
    expect(error.details).not.toContain('secret internals');
    const rebuilt = domainErrorFromGrpc(error);
    expect(rebuilt.code).toBe('INTERNAL');
    const errorId = rebuilt.details.errorId as string;
    expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
    const line = logged.map((text) => JSON.parse(text)).find((entry) => entry.errorId === errorId);
    expect(line).toMatchObject({ severity: 'ERROR', service: 'echo' });
    expect(line.stack).toContain('secret internals');
  });

  it('runs the handler in the caller’s correlation context', async () => {
    const metadata = CorrelationContext.run('corr-42', () => grpcMetadataWithCorrelation());
    expect(await say('hi', metadata)).toEqual({ text: 'corr-42' });
    expect((await say('hi')).text).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('times calls by gRPC service, method and status code', async () => {
    const text = await app.get(Metrics).registry.metrics();
    const lines = text.split('\n').filter((line) => line.startsWith('convene_grpc_request_duration_seconds_count'));
    const has = (code: string) =>
      lines.some(
        (line) => line.includes('service="Echo"') && line.includes('method="Say"') && line.includes(`code="${code}"`),
      );
    expect(has('OK')).toBe(true);
    expect(has('NOT_FOUND')).toBe(true);
    expect(has('INVALID_ARGUMENT')).toBe(true);
    expect(has('INTERNAL')).toBe(true);
  });
});

describe('domainErrorFromGrpc without Convene metadata', () => {
  it.each([
    [grpc.status.UNAVAILABLE, 'SERVICE_UNAVAILABLE'],
    [grpc.status.DEADLINE_EXCEEDED, 'UPSTREAM_TIMEOUT'],
    [grpc.status.INVALID_ARGUMENT, 'VALIDATION_FAILED'],
    [grpc.status.NOT_FOUND, 'NOT_FOUND'],
    [grpc.status.PERMISSION_DENIED, 'FORBIDDEN'],
    [grpc.status.UNAUTHENTICATED, 'UNAUTHENTICATED'],
    [grpc.status.ALREADY_EXISTS, 'CONFLICT'],
    [grpc.status.RESOURCE_EXHAUSTED, 'RATE_LIMITED'],
    [grpc.status.UNKNOWN, 'INTERNAL'],
    [grpc.status.DATA_LOSS, 'INTERNAL'],
  ])('maps status %s to %s', (code, expected) => {
    expect(domainErrorFromGrpc({ code, details: 'x', metadata: new grpc.Metadata() }).code).toBe(expected);
  });

  it('ignores an unknown code in metadata and unreadable details', () => {
    const metadata = new grpc.Metadata();
    metadata.set('convene-error-code', 'NOT_A_CODE');
    expect(domainErrorFromGrpc({ code: grpc.status.NOT_FOUND, details: 'gone', metadata }).code).toBe('NOT_FOUND');

    const known = new grpc.Metadata();
    known.set('convene-error-code', 'EVENT_NOT_DRAFT');
    known.set('convene-error-details-bin', Buffer.from('{not json'));
    const rebuilt = domainErrorFromGrpc({
      code: grpc.status.FAILED_PRECONDITION,
      details: 'published',
      metadata: known,
    });
    expect(rebuilt.code).toBe('EVENT_NOT_DRAFT');
    expect(rebuilt.details).toEqual({});
  });

  it('does not pass an upstream internal message to the client', () => {
    expect(domainErrorFromGrpc({ code: grpc.status.INTERNAL, details: 'stack trace here' }).message).not.toContain(
      'stack',
    );
    expect(domainErrorFromGrpc(new Error('boom')).code).toBe('INTERNAL');
  });

  it('maps a real connection failure to SERVICE_UNAVAILABLE', async () => {
    const unreachable = echoClient(`127.0.0.1:${await freePort()}`);
    const error = await new Promise<unknown>((resolve) =>
      unreachable.Say({ text: 'x' }, new grpc.Metadata(), { deadline: Date.now() + 2000 }, (caught) => resolve(caught)),
    );
    unreachable.close();
    expect(domainErrorFromGrpc(error).code).toBe('SERVICE_UNAVAILABLE');
  });
});
