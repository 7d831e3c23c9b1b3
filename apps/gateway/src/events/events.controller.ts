import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@convene/common';
import { type EventsServiceClient } from '@convene/contracts';
import { Public, Roles } from '../auth/access-policy.decorators';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { EVENTS_SERVICE } from '../grpc/grpc-clients.module';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { ApiProblemResponses } from '../http/problem.responses';
import { CancelEventDto } from './dto/cancel-event.dto';
import { CreateEventDto } from './dto/create-event.dto';
import { EventPageResponse } from './dto/event-page.response';
import { ListEventsQuery } from './dto/list-events.query';
import { UpdateEventDto } from './dto/update-event.dto';
import { EventResponse } from './dto/event.response';

/** A uuid path id, or 400 naming the parameter (never a Firestore error on a malformed id). */
const EventId = new ParseUUIDPipe({
  exceptionFactory: () =>
    new DomainError('VALIDATION_FAILED', 'id: id must be a UUID', {
      errors: [{ field: 'id', message: 'id must be a UUID' }],
    }),
});

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  constructor(
    @Inject(EVENTS_SERVICE) private readonly events: EventsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Post()
  @Roles('organizer')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Create an event (as a draft)', operationId: 'createEvent' })
  @ApiCreatedResponse({ type: EventResponse, description: 'The draft; `Location` points at it.' })
  @ApiProblemResponses(400, 401, 403, 413, 415)
  async create(
    @Body() body: CreateEventDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventResponse> {
    const event = await this.grpc.call(caller, (metadata, options) =>
      this.events.createEvent(
        {
          title: body.title,
          description: body.description ?? '',
          startsAt: body.startsAt,
          endsAt: body.endsAt,
          timezone: body.timezone,
          venue: body.venue,
          onlineUrl: body.onlineUrl,
          category: body.category,
          tags: body.tags ?? [],
          capacity: body.capacity,
          waitlistEnabled: body.waitlistEnabled ?? true,
          visibility: body.visibility ?? 'public',
        },
        metadata,
        options,
      ),
    );
    void reply.header('location', `/v1/events/${event.id}`);
    return EventResponse.from(event);
  }

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Discover published public events',
    description:
      'Ordered by start time (then id). Walk the pages with `cursor`: each event appears exactly once, ' +
      'also among events that start at the same time.',
    operationId: 'listEvents',
  })
  @ApiOkResponse({ type: EventPageResponse })
  @ApiProblemResponses(400)
  async list(@Query() query: ListEventsQuery, @CurrentCaller() caller: Caller): Promise<EventPageResponse> {
    return EventPageResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.listEvents(
          {
            q: query.q,
            category: query.category,
            organizerId: query.organizer,
            from: query.from,
            to: query.to,
            limit: query.limit ?? 20,
            cursor: query.cursor,
          },
          metadata,
          options,
        ),
      ),
    );
  }

  @Get(':id')
  // Anyone may read a published event; a signed-in organizer also sees their own draft.
  @Public({ optionalIdentity: true })
  @ApiOperation({
    summary: 'Get an event',
    description: 'Public. With an access token, the organizer (or an admin) also gets a draft.',
    operationId: 'getEvent',
    // Anonymous or bearer: the token is optional here.
    security: [{}, { bearer: [] }],
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 404)
  async get(@Param('id', EventId) id: string, @CurrentCaller() caller: Caller): Promise<EventResponse> {
    return EventResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.events.getEvent({ id }, metadata, options)),
    );
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('organizer')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Publish a draft: it becomes visible and open for registration',
    operationId: 'publishEvent',
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  async publish(@Param('id', EventId) id: string, @CurrentCaller() caller: Caller): Promise<EventResponse> {
    return EventResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.events.publishEvent({ id }, metadata, options)),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('organizer')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Cancel an event: every registration ends and everyone is told',
    operationId: 'cancelEvent',
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  async cancel(
    @Param('id', EventId) id: string,
    @Body() body: CancelEventDto,
    @CurrentCaller() caller: Caller,
  ): Promise<EventResponse> {
    return EventResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.cancelEvent({ id, reason: body.reason }, metadata, options),
      ),
    );
  }

  @Patch(':id')
  @Roles('organizer')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Change an event (its organizer or an admin)',
    description:
      'Absent fields stay as they are; a venue replaces an online URL and vice versa. Refused once the ' +
      'event is cancelled (409) or has ended (422). Attendees are told of changes to a published event.',
    operationId: 'updateEvent',
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  async update(
    @Param('id', EventId) id: string,
    @Body() body: UpdateEventDto,
    @CurrentCaller() caller: Caller,
  ): Promise<EventResponse> {
    const { tags, ...fields } = body;
    return EventResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.updateEvent({ id, ...fields, ...(tags ? { tags: { values: tags } } : {}) }, metadata, options),
      ),
    );
  }
}
