import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EventsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { EVENTS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { EventPageResponse } from './dto/event-page.response';
import { PageQuery } from './dto/page.query';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/me/events')
export class MyEventsController {
  constructor(
    @Inject(EVENTS_SERVICE) private readonly events: EventsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The signed-in organizer's own events, in every state",
    description: 'Drafts, published and cancelled events, by start time; cursor pagination.',
    operationId: 'listMyEvents',
  })
  @ApiOkResponse({ type: EventPageResponse })
  @ApiProblemResponses(400, 401)
  async list(@Query() query: PageQuery, @CurrentCaller() caller: Caller): Promise<EventPageResponse> {
    return EventPageResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.listMyEvents({ limit: query.limit ?? 20, cursor: query.cursor }, metadata, options),
      ),
    );
  }
}
