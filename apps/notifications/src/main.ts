import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { grpcServerOptions, NotificationsGrpc } from '@convene/contracts';
import { createPubSubServer } from '@convene/pubsub';
import { NotificationsConfig } from './notifications.config';
import { NotificationsAppModule } from './notifications.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(NotificationsConfig));
  const logger = new JsonLogger({ service: 'notifications', level: config.LOG_LEVEL });
  const app = await createHttpApp(NotificationsAppModule.forRoot(config), { service: 'notifications', logger });
  app.connectMicroservice(grpcServerOptions(NotificationsGrpc, `${config.HTTP_HOST}:${config.GRPC_PORT}`));
  app.connectMicroservice({
    strategy: createPubSubServer(app, {
      drainTimeoutMs: config.SHUTDOWN_GRACE_MS,
      faultNackFirstDeliveryRatio: config.PUBSUB_FAULT_NACK_RATIO,
    }),
  });
  await app.startAllMicroservices();
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'notifications service started', httpPort: config.HTTP_PORT, grpcPort: config.GRPC_PORT });
}

void bootstrap();
