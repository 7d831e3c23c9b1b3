import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError } from '@convene/common';
import { type AuthServiceClient, type EventMessage, type EventsServiceClient } from '@convene/contracts';
import { Public, Roles } from '../auth/access-policy.decorators';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { AUTH_SERVICE, EVENTS_SERVICE } from '../grpc/grpc-clients.module';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { NoStore } from '../http/no-store';
import { ApiProblemResponses } from '../http/problem.responses';
import { AddStaffDto } from './dto/add-staff.dto';
import { CancelEventDto } from './dto/cancel-event.dto';
import { CreateEventDto } from './dto/create-event.dto';
import { EventPageResponse } from './dto/event-page.response';
import { ListEventsQuery } from './dto/list-events.query';
import { UpdateEventDto } from './dto/update-event.dto';
import { EventResponse } from './dto/event.response';
import { StaffListResponse, StaffMemberResponse } from './dto/staff-member.response';
import { EventId, UserId } from '../http/uuid-path-param';
import { AnonymousReadCache } from './anonymous-read-cache';
import { GatewayConfig } from '../gateway.config';

@ApiTags('events')
@Controller('v1/events')
export class EventsController {
  private readonly anonymousEvents: AnonymousReadCache<EventResponse>;
  private readonly anonymousPages: AnonymousReadCache<EventPageResponse>;

  constructor(
    @Inject(EVENTS_SERVICE) private readonly events: EventsServiceClient,
    @Inject(AUTH_SERVICE) private readonly auth: AuthServiceClient,
    private readonly grpc: GrpcCaller,
    config: GatewayConfig,
  ) {
    this.anonymousEvents = new AnonymousReadCache(config.ANONYMOUS_READ_CACHE_MS, 5_000);
    this.anonymousPages = new AnonymousReadCache(config.ANONYMOUS_READ_CACHE_MS, 1_000);
  }

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
      'also among events that start at the same time. `hasSeats=true` keeps events with seats left, as ' +
      'of a flag refreshed about every second.',
    operationId: 'listEvents',
  })
  @ApiOkResponse({ type: EventPageResponse })
  @ApiProblemResponses(400)
  async list(@Query() query: ListEventsQuery, @CurrentCaller() caller: Caller): Promise<EventPageResponse> {
    const request = {
      q: query.q,
      category: query.category,
      organizerId: query.organizer,
      from: query.from,
      to: query.to,
      limit: query.limit ?? 20,
      cursor: query.cursor,
      hasSeats: query.hasSeats,
    };
    // The listing shows the same to everyone (the route reads no identity).
    return this.anonymousPages.get(JSON.stringify(request), async () =>
      EventPageResponse.from(
        await this.grpc.call(caller, (metadata, options) => this.events.listEvents(request, metadata, options)),
      ),
    );
  }

  @Get(':id')
  // Anyone may read a published event; a signed-in organizer also sees their own draft.
  @Public({ optionalIdentity: true })
  @ApiOperation({
    summary: 'Get an event',
    description:
      'Public. With an access token, the organizer (or an admin) also gets a draft. A published event ' +
      'carries its seat counts (`confirmedCount`, `waitlistedCount`, `seatsLeft`, a projection of ' +
      'registrations that may lag by a few seconds); `staff` is shown only to the organizer, admins and the staff.',
    operationId: 'getEvent',
    // Anonymous or bearer: the token is optional here.
    security: [{}, { bearer: [] }],
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 404)
  async get(@Param('id', EventId) id: string, @CurrentCaller() caller: Caller): Promise<EventResponse> {
    const read = async () =>
      EventResponse.from(
        await this.grpc.call(caller, (metadata, options) => this.events.getEvent({ id }, metadata, options)),
      );
    if (caller.identity) return read();
    return this.anonymousEvents.get(id, read);
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
    return this.changed(
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
    return this.changed(
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
      'event is cancelled (409) or has ended (422). Attendees are told of changes to a published event. ' +
      "A published event's `capacity` changes only if registrations agrees: below the confirmed count is " +
      '409 CAPACITY_BELOW_CONFIRMED (with `confirmed`); a raise lets waitlisted attendees in, first come first served.',
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
    return this.changed(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.updateEvent({ id, ...fields, ...(tags ? { tags: { values: tags } } : {}) }, metadata, options),
      ),
    );
  }

  @Get(':id/staff')
  @ApiBearerAuth()
  // Names and emails of people: no shared cache keeps them.
  @NoStore()
  @ApiOperation({
    summary: 'The event’s check-in staff, with their names and emails',
    description:
      'For the organizer, admins and the staff themselves; anyone else gets 403 (404 for a draft). ' +
      'Accounts deleted since they were granted are left out.',
    operationId: 'listEventStaff',
  })
  @ApiOkResponse({ type: StaffListResponse })
  @ApiProblemResponses(400, 401, 403, 404)
  async listStaff(@Param('id', EventId) id: string, @CurrentCaller() caller: Caller): Promise<StaffListResponse> {
    // Events decides who may see the list; auth only names the ids events gave.
    const { userIds } = await this.grpc.call(caller, (metadata, options) =>
      this.events.listStaff({ eventId: id }, metadata, options),
    );
    if (!userIds?.length) return { items: [] };
    const { users } = await this.grpc.call(caller, (metadata, options) =>
      this.auth.getUsers({ ids: userIds }, metadata, options),
    );
    return StaffListResponse.from(users ?? []);
  }

  @Post(':id/staff')
  @HttpCode(200)
  @Roles('organizer')
  @ApiBearerAuth()
  @NoStore()
  @ApiOperation({
    summary: 'Grant check-in staff by email (its organizer or an admin)',
    description:
      'The account registered with `email` (compared as sign-in compares it: case and surrounding spaces do ' +
      'not matter) becomes check-in staff, as with PUT /v1/events/{id}/staff/{userId}: idempotent, at most ' +
      '50 per event (422 beyond), refused once the event is cancelled (409) or has ended (422). Answers the ' +
      'staff member. 404 USER_NOT_FOUND when no account has this email.',
    operationId: 'addEventStaffByEmail',
  })
  @ApiOkResponse({ type: StaffMemberResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 413, 415, 422)
  async addStaffByEmail(
    @Param('id', EventId) id: string,
    @Body() body: AddStaffDto,
    @CurrentCaller() caller: Caller,
  ): Promise<StaffMemberResponse> {
    const user = await this.grpc.call(caller, (metadata, options) =>
      this.auth.findUserByEmail({ email: body.email }, metadata, options),
    );
    // Events decides whether the caller may (the account's name is shown only once it did).
    this.changed(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.addStaff({ eventId: id, userId: user.id }, metadata, options),
      ),
    );
    return StaffMemberResponse.from(user);
  }

  @Put(':id/staff/:userId')
  @Roles('organizer')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Grant check-in staff (its organizer or an admin)',
    description:
      'Idempotent. Staff may check attendees in and see the staff list. At most 50 per event (422 beyond). ' +
      'Refused once the event is cancelled (409) or has ended (422). 404 USER_NOT_FOUND when no account ' +
      'has this id. Answers the event.',
    operationId: 'addEventStaff',
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  async addStaff(
    @Param('id', EventId) id: string,
    @Param('userId', UserId) userId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<EventResponse> {
    // Only accounts become staff: an id nobody holds would sit on the event (found by fuzzing, issue 10).
    // Events first judges whether the caller may see this event's staff (403/404 for strangers, who so
    // learn nothing about the id), then auth whether the id is an account, then events the change itself.
    await this.grpc.call(caller, (metadata, options) => this.events.listStaff({ eventId: id }, metadata, options));
    const { users } = await this.grpc.call(caller, (metadata, options) =>
      this.auth.getUsers({ ids: [userId] }, metadata, options),
    );
    if (!users?.length) throw new DomainError('USER_NOT_FOUND', `No account has the id ${userId}`);
    return this.changed(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.addStaff({ eventId: id, userId }, metadata, options),
      ),
    );
  }

  @Delete(':id/staff/:userId')
  @Roles('organizer')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Remove check-in staff (its organizer or an admin)',
    description: 'Idempotent. Answers the event.',
    operationId: 'removeEventStaff',
  })
  @ApiOkResponse({ type: EventResponse })
  @ApiProblemResponses(400, 401, 403, 404, 409, 422)
  async removeStaff(
    @Param('id', EventId) id: string,
    @Param('userId', UserId) userId: string,
    @CurrentCaller() caller: Caller,
  ): Promise<EventResponse> {
    return this.changed(
      await this.grpc.call(caller, (metadata, options) =>
        this.events.removeStaff({ eventId: id, userId }, metadata, options),
      ),
    );
  }

  /** A change made through this replica: anonymous readers get it at once here (other replicas within their TTL). */
  private changed(event: EventMessage): EventResponse {
    this.anonymousEvents.clear();
    this.anonymousPages.clear();
    return EventResponse.from(event);
  }
}
