import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { EventsGrpc, grpcServerOptions } from '@convene/contracts';
import { createPubSubServer } from '@convene/pubsub';
import { EventsConfig } from './events.config';
import { EventsAppModule } from './events.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(EventsConfig));
  const logger = new JsonLogger({ service: 'events', level: config.LOG_LEVEL });
  const app = await createHttpApp(EventsAppModule.forRoot(config), { service: 'events', logger });
  app.connectMicroservice(grpcServerOptions(EventsGrpc, `${config.HTTP_HOST}:${config.GRPC_PORT}`));
  app.connectMicroservice({
    strategy: createPubSubServer(app, {
      drainTimeoutMs: config.SHUTDOWN_GRACE_MS,
      faultNackFirstDeliveryRatio: config.PUBSUB_FAULT_NACK_RATIO,
    }),
  });
  await app.startAllMicroservices();
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'events service started', httpPort: config.HTTP_PORT, grpcPort: config.GRPC_PORT });
}

void bootstrap();
