import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Metrics } from './metrics';

/** Label for requests no route matched: raw URLs as labels would explode the series count. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Times every HTTP response, labelled by the route template (`/v1/events/:id`), never the raw URL. */
export function registerHttpMetrics(app: NestFastifyApplication, metrics: Metrics): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onResponse', async (request, reply) => {
      metrics.httpRequestDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? UNMATCHED_ROUTE,
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
}
