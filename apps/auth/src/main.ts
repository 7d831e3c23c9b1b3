import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { AuthGrpc, grpcServerOptions } from '@convene/contracts';
import { AuthConfig } from './auth.config';
import { AuthAppModule } from './auth.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(AuthConfig));
  const logger = new JsonLogger({ service: 'auth', level: config.LOG_LEVEL });
  const app = await createHttpApp(AuthAppModule.forRoot(config), { service: 'auth', logger });
  app.connectMicroservice(grpcServerOptions(AuthGrpc, `${config.HTTP_HOST}:${config.GRPC_PORT}`));
  await app.startAllMicroservices();
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'auth service started', httpPort: config.HTTP_PORT, grpcPort: config.GRPC_PORT });
}

void bootstrap();
