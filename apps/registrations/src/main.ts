import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { RegistrationsConfig } from './registrations.config';
import { RegistrationsAppModule } from './registrations.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(RegistrationsConfig));
  const logger = new JsonLogger({ service: 'registrations', level: config.LOG_LEVEL });
  const app = await createHttpApp(RegistrationsAppModule.forRoot(config), { service: 'registrations', logger });
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'registrations service started', httpPort: config.HTTP_PORT });
}

void bootstrap();
