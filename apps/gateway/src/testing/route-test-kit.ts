// Shared by the gateway's route specs: the real gateway in front of fake services over real gRPC.
/* eslint-disable @typescript-eslint/no-explicit-any -- test kit: fakes take and answer whatever the proto decodes */
import {
  loadPackageDefinition,
  Server,
  ServerCredentials,
  type GrpcObject,
  type Metadata,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceClientConstructor,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type DomainError, encodeErrorMetadata, ErrorCodes, JsonLogger, loadConfig } from '@convene/common';
import { PROTO_LOADER_OPTIONS, type GrpcServiceDefinition } from '@convene/contracts';
import { createGatewayApp } from '../gateway.app';
import { GatewayConfig } from '../gateway.config';

export interface RecordedCall {
  method: string;
  metadata: Metadata;
  request: any;
}

/** A thrown DomainError as a service's GrpcErrorFilter sends it (status, code and details metadata). */
export function grpcFailure(error: DomainError) {
  return { code: ErrorCodes[error.code].grpc, details: error.message, metadata: encodeErrorMetadata(error) };
}

/** Fake services on real gRPC servers (ephemeral ports); every unary call is recorded in `calls`. */
export class FakeGrpcServices {
  readonly calls: RecordedCall[] = [];
  private servers: Server[] = [];

  /** A unary handler answering `answer(request)`; a thrown DomainError becomes its gRPC failure. */
  unary(method: string, answer: (request: any, metadata: Metadata) => unknown) {
    return (call: ServerUnaryCall<any, unknown>, callback: sendUnaryData<unknown>) => {
      this.calls.push({ method, metadata: call.metadata, request: call.request });
      try {
        callback(null, answer(call.request, call.metadata));
      } catch (error) {
        callback(grpcFailure(error as DomainError));
      }
    };
  }

  /** Serves `handlers` as `definition`'s service; resolves the port. */
  async serve(definition: GrpcServiceDefinition, handlers: Record<string, unknown>): Promise<number> {
    const loaded = loadPackageDefinition(loadSync(definition.protoPath, PROTO_LOADER_OPTIONS));
    const pkg = definition.package.split('.').reduce<GrpcObject>((node, name) => node[name] as GrpcObject, loaded);
    const server = new Server();
    server.addService((pkg[definition.service] as ServiceClientConstructor).service, handlers as never);
    this.servers.push(server);
    return new Promise((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
  }

  close(): void {
    for (const server of this.servers) server.forceShutdown();
    this.servers = [];
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when it is not JSON (SVG, CSV, an empty 204). */
  body: any;
  text: string;
  bytes: Buffer;
}

export interface SendOptions {
  /** The bearer token; absent: `defaultToken`; null: none. */
  token?: string | null;
  body?: unknown;
  /** Sent as is (malformed JSON), with a JSON content type. */
  raw?: string;
  headers?: Record<string, string>;
}

/** One HTTP request to the gateway under test. */
export async function sendRequest(
  baseUrl: string,
  defaultToken: string | undefined,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  const bearer = options.token === undefined ? defaultToken : options.token;
  if (bearer) headers.authorization = `Bearer ${bearer}`;
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (payload !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(baseUrl + path, { method, headers, body: payload });
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = bytes.toString('utf8');
  let body: any = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body, text, bytes };
}

export function expectProblem(reply: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status, code });
  expect(reply.status).toBe(status);
}

/** The fields a 400 names, each once (a field may break several rules). */
export function problemFields(reply: { body: any }): string[] {
  return [...new Set<string>(reply.body.errors.map((error: { field: string }) => error.field))];
}

/** Parses server-sent events from a fetch body (`id` when the frame has one), skipping comments; undefined once the stream ends. */
export function eventReader(reader: ReadableStreamDefaultReader<Uint8Array>) {
  const decoder = new TextDecoder();
  let buffered = '';
  return {
    async next(): Promise<{ event: string; id?: string; data: unknown } | undefined> {
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end !== -1) {
          const frame = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (frame.startsWith(':')) continue;
          const field = (name: string) =>
            frame
              .split('\n')
              .filter((line) => line.startsWith(`${name}: `))
              .map((line) => line.slice(name.length + 2))
              .join('\n');
          const id = field('id');
          return { event: field('event'), ...(id ? { id } : {}), data: JSON.parse(field('data')) };
        }
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffered += decoder.decode(value, { stream: true });
      }
    },
  };
}

export async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The real gateway on an ephemeral port, with `env` over test defaults (1 s deadline, quiet logs). */
export async function startGateway(
  env: Record<string, string>,
): Promise<{ app: NestFastifyApplication; baseUrl: string }> {
  const config = loadConfig(GatewayConfig, { GRPC_DEADLINE_MS: '1000', LOG_LEVEL: 'error', ...env });
  const app = await createGatewayApp(config, new JsonLogger({ service: 'gateway', level: 'error' }));
  await app.listen(0, '127.0.0.1');
  return { app, baseUrl: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
