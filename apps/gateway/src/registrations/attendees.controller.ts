import { Controller, Get, Headers, Inject, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { CorrelationContext } from '@convene/common';
import {
  type AttendeePageMessage,
  type ListAttendeesRequest,
  type RegistrationsServiceClient,
} from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { REGISTRATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { attendeeCsvChunks } from './attendees-csv';
import { AttendeePageResponse } from './dto/attendee-page.response';
import { AttendeesQuery } from './dto/attendees.query';
import { notAcceptable, preferredMediaType } from './media-type';
import { EventId } from '../http/uuid-path-param';

const ATTENDEE_FORMATS = ['application/json', 'text/csv'] as const;
/** The largest page the service gives; the export walks the list in pages of this size. */
const EXPORT_PAGE_SIZE = 1000;

@ApiTags('attendees')
@ApiBearerAuth()
@Controller('v1/events/:id/attendees')
export class AttendeesController {
  constructor(
    @Inject(REGISTRATIONS_SERVICE) private readonly registrations: RegistrationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The registrations of an event (its organizer, or check-in staff)',
    description:
      'By registration time, filtered by `status` and `checkedIn`; cursor pagination. With `Accept: text/csv`, ' +
      'every matching attendee as a CSV attachment (`limit` and `cursor` do not apply).',
    operationId: 'listAttendees',
  })
  @ApiExtraModels(AttendeePageResponse)
  @ApiOkResponse({
    description: 'A page of attendees, or with `Accept: text/csv` all of them.',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(AttendeePageResponse) } },
      'text/csv': {
        schema: { type: 'string' },
        example: 'registrationId,userId,holderName,status,registeredAt,checkedInAt\r\n',
      },
    },
  })
  @ApiProblemResponses(400, 401, 403, 404, 406)
  async list(
    @Param('id', EventId) eventId: string,
    @Query() query: AttendeesQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AttendeePageResponse | StreamableFile> {
    // Personal data of attendees: no cache keeps it.
    void reply.header('vary', 'accept').header('cache-control', 'no-store');
    const format = preferredMediaType(accept, ATTENDEE_FORMATS);
    if (!format) throw notAcceptable(ATTENDEE_FORMATS);
    const filter = { eventId, status: query.status, checkedIn: query.checkedIn };
    if (format === 'text/csv') return this.export(filter, caller);
    return AttendeePageResponse.from(
      await this.page(caller, { ...filter, limit: query.limit ?? 100, cursor: query.cursor }),
    );
  }

  /**
   * The first page is fetched before anything is sent, so a refusal (403, 404) is a normal problem
   * response. The rest is fetched while the file streams out; if a later page fails, the connection is
   * dropped rather than ended, so the client sees a failed download, never a short file that looks whole.
   */
  private async export(
    filter: Omit<ListAttendeesRequest, 'limit' | 'cursor'>,
    caller: Caller,
  ): Promise<StreamableFile> {
    const first = await this.page(caller, { ...filter, limit: EXPORT_PAGE_SIZE });
    // Later pages are fetched as the client reads, outside this request's async context.
    const correlationId = CorrelationContext.currentId() ?? CorrelationContext.newId();
    const nextPage = (cursor: string): Promise<AttendeePageMessage> =>
      CorrelationContext.run(correlationId, () => this.page(caller, { ...filter, limit: EXPORT_PAGE_SIZE, cursor }));
    return new StreamableFile(Readable.from(attendeeCsvChunks(first, nextPage)), {
      type: 'text/csv; charset=utf-8',
      disposition: `attachment; filename="attendees-${filter.eventId}.csv"`,
    });
  }

  private page(caller: Caller, request: ListAttendeesRequest): Promise<AttendeePageMessage> {
    return this.grpc.call(caller, (metadata, options) => this.registrations.listAttendees(request, metadata, options));
  }
}
