import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { grpcServerOptions, RegistrationsGrpc } from '@convene/contracts';
import { createPubSubServer } from '@convene/pubsub';
import { RegistrationsConfig } from './registrations.config';
import { RegistrationsAppModule } from './registrations.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(RegistrationsConfig));
  const logger = new JsonLogger({ service: 'registrations', level: config.LOG_LEVEL });
  const app = await createHttpApp(RegistrationsAppModule.forRoot(config), { service: 'registrations', logger });
  app.connectMicroservice(grpcServerOptions(RegistrationsGrpc, `${config.HTTP_HOST}:${config.GRPC_PORT}`));
  app.connectMicroservice({
    strategy: createPubSubServer(app, {
      drainTimeoutMs: config.SHUTDOWN_GRACE_MS,
      faultNackFirstDeliveryRatio: config.PUBSUB_FAULT_NACK_RATIO,
    }),
  });
  await app.startAllMicroservices();
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({
    message: 'registrations service started',
    httpPort: config.HTTP_PORT,
    grpcPort: config.GRPC_PORT,
  });
}

void bootstrap();
