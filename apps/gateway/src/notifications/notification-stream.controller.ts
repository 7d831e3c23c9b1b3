import { type BeforeApplicationShutdown, Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Gauge } from 'prom-client';
import { map } from 'rxjs';
import { domainErrorFromGrpc, invalidField, Metrics } from '@convene/common';
import { NOTIFICATION_TIMELINE_START, type NotificationsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { NOTIFICATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { openGrpcStream } from '../registrations/grpc-stream';
import { NotificationResponse } from './dto/notification.response';
import { MAX_EVENT_ID_LENGTH, NotificationStreamQuery } from './dto/notification-stream.query';
import { ResumableEventStreams } from './resumable-event-streams';

/** Often enough for proxies with a 30–60 s idle timeout (GKE's load balancer, nginx). */
const HEARTBEAT_MS = 15_000;
/** Notifications held for a slow reader before its stream ends (it resumes with Last-Event-ID). */
const MAX_BACKLOG = 1000;

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/me/notifications/stream')
export class NotificationStreamController implements BeforeApplicationShutdown {
  private readonly streams: ResumableEventStreams;

  constructor(
    @Inject(NOTIFICATIONS_SERVICE) private readonly notifications: NotificationsServiceClient,
    private readonly grpc: GrpcCaller,
    metrics: Metrics,
  ) {
    this.streams = new ResumableEventStreams({
      event: 'notification',
      heartbeatMs: HEARTBEAT_MS,
      maxBacklog: MAX_BACKLOG,
      openStreams: new Gauge({
        name: 'convene_gateway_notification_streams_open',
        help: 'Live notification streams (server-sent events) open now',
        registers: [metrics.registry],
      }),
    });
  }

  @Get()
  @ApiOperation({
    summary: "The signed-in user's notifications, live (server-sent events)",
    description:
      'A `text/event-stream`: each new notification as a `notification` event whose `id` is its `position` and ' +
      '`data` the JSON of the notification; a `: keep-alive` comment every 15 s. Once the response has ' +
      'started, every notification stored from then on is sent, in order. The stream may end (e.g. the ' +
      'gateway restarts): reconnect with `Last-Event-ID` (EventSource does it by itself), to any gateway, ' +
      'and exactly the notifications after that one come first, then the new ones. An id the stream never ' +
      'sent is a 400 problem before the stream starts.',
    operationId: 'streamMyNotifications',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'The id of the last event received: resume after it.',
  })
  @ApiOkResponse({
    description: 'The event stream.',
    content: {
      'text/event-stream': {
        schema: { type: 'string' },
        example:
          'id: MjAzMC0wMS0wMlQxMDowMDowMC4xMjM0NTY3ODlafDBkNWMzZjFl\nevent: notification\ndata: {"id":' +
          '"0d5c3f1e-1111-4222-8333-944455556666","kind":"registration.confirmed","category":"registrations",' +
          '"title":"You’re in: NestJS Paris meetup","body":"Your seat is confirmed.","createdAt":' +
          '"2030-01-02T10:00:00.123Z","readAt":null,"position":"MjAzMC0wMS0wMlQxMDowMDowMC4xMjM0NTY3ODlafDBkNWMzZjFl"}\n\n',
      },
    },
  })
  @ApiProblemResponses(400, 401)
  async stream(
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Query() query: NotificationStreamQuery,
    @CurrentCaller() caller: Caller,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const after = await this.startingPoint(caller, resumeRequest(lastEventIdHeader, query));
    const notifications = openGrpcStream(caller, (metadata) =>
      this.notifications.watchMyNotifications(after ? { after } : {}, metadata),
    ).pipe(map((message) => NotificationResponse.from(message)));
    this.streams.send(reply, notifications, (notification) => notification.position);
  }

  /**
   * Where the stream starts, decided before the response does, so that a refusal is still a problem
   * and the client may rely on it: everything stored after the response started is sent.
   *
   * Resuming: the client's id, which the service checks (the listing's cursor is the same position, so
   * a one-item page checks it without a stream). Otherwise: the caller's newest notification now, so
   * the stream does not start from whenever the service gets to it, which would lose what arrived in
   * between (for an empty inbox, its start).
   */
  private async startingPoint(caller: Caller, resume?: { field: string; value: string }): Promise<string | undefined> {
    const page = await this.grpc
      .call(caller, (metadata, options) =>
        this.notifications.listMyNotifications(
          { unreadOnly: false, limit: 1, cursor: resume?.value },
          metadata,
          options,
        ),
      )
      .catch((error: unknown) => {
        const failure = domainErrorFromGrpc(error);
        if (resume && failure.code === 'VALIDATION_FAILED') {
          throw invalidField(resume.field, `${resume.field} is not an event id this stream sent`);
        }
        throw failure;
      });
    // An empty inbox: from its very start, so the first notification is not missed.
    return resume ? resume.value : (page.items?.[0]?.position ?? NOTIFICATION_TIMELINE_START);
  }

  /** Before the HTTP server closes: open streams would otherwise hold it until the grace period ends. */
  beforeApplicationShutdown(): void {
    this.streams.closeAll();
  }
}

/** The Last-Event-ID header (EventSource) or, for polyfills that cannot send one, the query parameter. */
function resumeRequest(
  header: string | undefined,
  query: NotificationStreamQuery,
): { field: string; value: string } | undefined {
  if (header !== undefined && header !== '') {
    if (header.length > MAX_EVENT_ID_LENGTH) {
      throw invalidField('Last-Event-ID', `Last-Event-ID must be at most ${MAX_EVENT_ID_LENGTH} characters`);
    }
    return { field: 'Last-Event-ID', value: header };
  }
  return query.lastEventId ? { field: 'lastEventId', value: query.lastEventId } : undefined;
}
