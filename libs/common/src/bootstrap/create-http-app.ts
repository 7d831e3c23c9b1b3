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
import { answerClientError, answerFrameworkError } from './framework-errors';
import { registerHttpCorrelation } from './http-correlation';

export interface HttpAppOptions {
  service: string;
  logger: JsonLogger;
  /** Largest accepted request body; Fastify's default (1 MiB) otherwise. */
  bodyLimitBytes?: number;
  /** Proxies in front that append to X-Forwarded-For (GKE Ingress: 1); 0 trusts none. */
  trustProxyHops?: number;
  /**
   * How long the app keeps serving after a shutdown signal, with readiness already down, before it
   * closes (default 1 s): whatever routes on /readyz stops sending first, and no request meets a
   * closed port. In Kubernetes the preStop pause has already kept it serving while endpoints went.
   */
  shutdownDelayMs?: number;
}

const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
const DEFAULT_SHUTDOWN_DELAY_MS = 1000;
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
    frameworkErrors: answerFrameworkError,
    clientErrorHandler: answerClientError,
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
  closeOnShutdownSignals(app, requireProvider(app, HealthRegistry), options);
  return app;
}

/**
 * Readiness goes down the moment SIGTERM (or SIGINT) arrives; the app goes on serving for
 * `shutdownDelayMs`, so traffic stops coming before anything stops accepting it, then closes (Nest's
 * hooks: drains, servers, clients) and ends with the signal, as Nest's own shutdown hooks would.
 */
function closeOnShutdownSignals(app: NestFastifyApplication, health: HealthRegistry, options: HttpAppOptions): void {
  const delayMs = options.shutdownDelayMs ?? DEFAULT_SHUTDOWN_DELAY_MS;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    health.markShuttingDown();
    if (closing) return;
    closing = true;
    void (async () => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      try {
        await app.close();
      } catch (error) {
        options.logger.error(
          { message: `shutdown failed: ${error instanceof Error ? error.message : String(error)}` },
          error instanceof Error ? error.stack : undefined,
        );
        process.exit(1);
      }
      // Our listeners are gone (onClose below): the signal now ends the process the default way.
      process.kill(process.pid, signal);
    })();
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onClose', async () => {
      for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
    });
}

function requireProvider<T>(app: NestFastifyApplication, token: Type<T>): T {
  try {
    return app.get(token, { strict: false });
  } catch {
    throw new Error(`createHttpApp: ${token.name} is missing; import ObservabilityModule.forRoot() in the app module`);
  }
}
