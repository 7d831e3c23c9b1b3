import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CorrelationContext } from '../logging/correlation-context';
import { CORRELATION_ID_HEADER } from '../logging/correlation-id';

/**
 * Runs each request inside CorrelationContext, with the request id (taken from or made for
 * `x-correlation-id` by genReqId) as the correlation id, and echoes it to the client.
 *
 * Calling `done` inside run() puts the rest of Fastify's lifecycle in the context: Fastify resumes
 * after body parsing through an AsyncResource created in it, so guards, pipes, the handler and what
 * they await see the id even when the body arrives later (covered by create-http-app.spec.ts).
 */
export function registerHttpCorrelation(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header(CORRELATION_ID_HEADER, request.id);
      CorrelationContext.run(request.id, done);
    });
}
