import 'reflect-metadata';
import { exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { createGatewayApp } from './gateway.app';
import { GatewayConfig } from './gateway.config';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(GatewayConfig));
  const logger = new JsonLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const app = await createGatewayApp(config, logger);
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'gateway started', httpPort: config.HTTP_PORT, docs: `/docs`, openapi: '/openapi.json' });
}

void bootstrap();
