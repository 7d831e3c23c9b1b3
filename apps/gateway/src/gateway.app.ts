import cors from '@fastify/cors';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHttpApp, createValidationPipe, type JsonLogger } from '@convene/common';
import type { GatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';
import { registerSecurityHeaders } from './http/security-headers';
import { buildOpenApiDocument, serveOpenApi } from './openapi/openapi';
import { serveWebApp } from './web/web-app';

/**
 * The gateway as an application, not yet listening: used by main.ts, the OpenAPI generator and tests.
 */
export async function createGatewayApp(config: GatewayConfig, logger: JsonLogger): Promise<NestFastifyApplication> {
  const app = await createHttpApp(GatewayModule.forRoot(config), {
    service: 'gateway',
    logger,
    bodyLimitBytes: config.BODY_LIMIT_BYTES,
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
  app.useGlobalPipes(createValidationPipe());
  // The API speaks JSON only: without this, Fastify's built-in text/plain parser hands a string to the
  // validation pipe (a misleading 400) instead of answering 415.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');
  registerSecurityHeaders(app);
  await app.register(cors, {
    origin: config.CORS_ORIGINS,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id', 'last-event-id'],
    exposedHeaders: ['location', 'x-correlation-id', 'retry-after', 'www-authenticate', 'idempotent-replayed'],
    maxAge: 600,
  });
  serveOpenApi(app, buildOpenApiDocument(app));
  const served = await serveWebApp(app, config.WEB_APP_DIR);
  if (served) logger.log({ message: 'serving the web app', dir: config.WEB_APP_DIR });
  return app;
}
