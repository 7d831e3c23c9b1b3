import 'reflect-metadata';
import { createHttpApp, exitOnConfigError, JsonLogger, loadConfig } from '@convene/common';
import { ReviewsConfig } from './reviews.config';
import { ReviewsAppModule } from './reviews.module';

async function bootstrap(): Promise<void> {
  const config = exitOnConfigError(() => loadConfig(ReviewsConfig));
  const logger = new JsonLogger({ service: 'reviews', level: config.LOG_LEVEL });
  const app = await createHttpApp(ReviewsAppModule.forRoot(config), { service: 'reviews', logger });
  await app.listen({ host: config.HTTP_HOST, port: config.HTTP_PORT });
  logger.log({ message: 'reviews service started', httpPort: config.HTTP_PORT });
}

void bootstrap();
