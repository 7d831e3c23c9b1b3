import { type BeforeApplicationShutdown, Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Gauge } from 'prom-client';
import { map } from 'rxjs';
import { Metrics } from '@convene/common';
import { type RegistrationsServiceClient } from '@convene/contracts';
import { Public } from '../auth/access-policy.decorators';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { GatewayConfig } from '../gateway.config';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REGISTRATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { AvailabilityResponse } from './dto/availability.response';
import { openGrpcStream } from './grpc-stream';
import { ServerSentEventStreams } from './server-sent-events';
import { EventId } from '../http/uuid-path-param';

/** Often enough for proxies with a 30–60 s idle timeout (GKE's load balancer, nginx). */
const HEARTBEAT_MS = 15_000;

@ApiTags('registrations')
@Controller('v1/events/:id/availability')
export class AvailabilityController implements BeforeApplicationShutdown {
  private readonly streams: ServerSentEventStreams;

  constructor(
    @Inject(REGISTRATIONS_SERVICE) private readonly registrations: RegistrationsServiceClient,
    private readonly grpc: GrpcCaller,
    @Inject(GatewayConfig) config: GatewayConfig,
    metrics: Metrics,
  ) {
    this.streams = new ServerSentEventStreams({
      event: 'availability',
      heartbeatMs: HEARTBEAT_MS,
      firstMessageTimeoutMs: config.GRPC_DEADLINE_MS,
      openStreams: new Gauge({
        name: 'convene_gateway_availability_streams_open',
        help: 'Availability event streams (server-sent events) open now',
        registers: [metrics.registry],
      }),
    });
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Seats left for an event',
    description: 'Public. `seatsLeft` is 0 once the event is full; `waitlisted` people wait for a seat.',
    operationId: 'getAvailability',
  })
  @ApiOkResponse({ type: AvailabilityResponse })
  @ApiProblemResponses(400, 404)
  async get(@Param('id', EventId) eventId: string, @CurrentCaller() caller: Caller): Promise<AvailabilityResponse> {
    return AvailabilityResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.registrations.getAvailability({ eventId }, metadata, options),
      ),
    );
  }

  @Get('stream')
  @Public()
  @ApiOperation({
    summary: 'Seats left for an event, live (server-sent events)',
    description:
      'A `text/event-stream`: an `availability` event with the current figures at once, then one at every ' +
      'change, each `data` the JSON of the availability; a `: keep-alive` comment every 15 s. A slow reader ' +
      'gets the latest figures, not every intermediate one. The stream may end (e.g. the gateway restarts): ' +
      'reconnect, as `EventSource` does. An unknown event is a 404 problem before the stream starts.',
    operationId: 'streamAvailability',
  })
  @ApiOkResponse({
    description: 'The event stream.',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'event: availability\ndata: {"eventId":"0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11","capacity":100,' +
          '"confirmed":42,"waitlisted":0,"seatsLeft":58}\n\n',
      },
    },
  })
  @ApiProblemResponses(400, 404)
  async stream(
    @Param('id', EventId) eventId: string,
    @CurrentCaller() caller: Caller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const updates = openGrpcStream(caller, (metadata) => this.registrations.watchAvailability({ eventId }, metadata));
    await this.streams.send(reply, updates.pipe(map((message) => AvailabilityResponse.from(message))));
  }

  /** Before the HTTP server closes: open streams would otherwise hold it until the grace period ends. */
  beforeApplicationShutdown(): void {
    this.streams.closeAll();
  }
}
