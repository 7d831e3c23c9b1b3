import type { Type } from '@nestjs/common';
import { type IEntryNestModule, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { IncomingMessage } from 'node:http';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { HealthRegistry } from '../health/health.registry';
import { acceptOrCreateCorrelationId, CORRELATION_ID_HEADER } from '../logging/correlation-id';
import type { JsonLogger } from '../logging/json-logger';
import { registerHttpMetrics } from '../metrics/http-metrics';
import { Metrics } from '../metrics/metrics';
import { registerHttpCorrelation } from './http-correlation';

export interface HttpAppOptions {
  service: string;
  logger: JsonLogger;
  /** Largest accepted request body; Fastify's default (1 MiB) otherwise. */
  bodyLimitBytes?: number;
  /** Proxies in front that append to X-Forwarded-For (GKE Ingress: 1); 0 trusts none. */
  trustProxyHops?: number;
}

const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Builds (but does not start: callers may connect a gRPC microservice first) a Fastify-based Nest app
 * with Convene's HTTP conventions: problem+json errors, correlation ids, metrics, readiness that
 * flips before shutdown. `module` (a class or a DynamicModule) must import ObservabilityModule.forRoot().
 */
export async function createHttpApp(
  module: IEntryNestModule,
  options: HttpAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Trust exactly N hops (hop 0 is the socket's peer). Never `true`: that takes the left-most
    // X-Forwarded-For entry, which the client writes itself.
    trustProxy: (_address: string, hop: number) => hop < (options.trustProxyHops ?? 0),
    // The request id is the correlation id: Fastify then has it from the first moment of the request,
    // even on paths that never reach a hook (body parse failures).
    genReqId: (request: IncomingMessage) => acceptOrCreateCorrelationId(request.headers[CORRELATION_ID_HEADER]),
  });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: options.logger,
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(options.logger);

  // Nest's FastifyAdapter installs Fastify's error and not-found handlers through Nest's exception
  // layer, so this filter also answers body-parser, content-type and unknown-route errors.
  app.useGlobalFilters(new ProblemDetailsFilter());
  registerHttpCorrelation(app);
  registerHttpMetrics(app, requireProvider(app, Metrics));
  flipReadinessOnShutdown(app, requireProvider(app, HealthRegistry));
  return app;
}

/**
 * Readiness goes down the moment SIGTERM arrives, before Nest's own handler (registered after this
 * one) starts closing modules and the server, so Kubernetes stops sending traffic first.
 */
function flipReadinessOnShutdown(app: NestFastifyApplication, health: HealthRegistry): void {
  const markShuttingDown = (): void => health.markShuttingDown();
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, markShuttingDown);
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', async () => {
      for (const signal of SHUTDOWN_SIGNALS) process.off(signal, markShuttingDown);
    });
}

function requireProvider<T>(app: NestFastifyApplication, token: Type<T>): T {
  try {
    return app.get(token, { strict: false });
  } catch {
    throw new Error(`createHttpApp: ${token.name} is missing; import ObservabilityModule.forRoot() in the app module`);
  }
}
