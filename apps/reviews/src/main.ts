import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { grpcServerOptions, ReviewsGrpc } from '@convene/contracts';
import { createPubSubServer } from '@convene/pubsub';
import { ReviewsConfig } from './reviews.config';
import { ReviewsAppModule } from './reviews.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(ReviewsConfig));
  const logger = new JsonLogger({ service: 'reviews', level: config.LOG_LEVEL });
  const app = await createHttpApp(ReviewsAppModule.forRoot(config), { service: 'reviews', logger });
  app.connectMicroservice(grpcServerOptions(ReviewsGrpc, `${config.HTTP_HOST}:${config.GRPC_PORT}`));
  app.connectMicroservice({
    strategy: createPubSubServer(app, {
      drainTimeoutMs: config.SHUTDOWN_GRACE_MS,
      faultNackFirstDeliveryRatio: config.PUBSUB_FAULT_NACK_RATIO,
    }),
  });
  await app.startAllMicroservices();
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'reviews service started', httpPort: config.HTTP_PORT, grpcPort: config.GRPC_PORT });
}

void bootstrap();
