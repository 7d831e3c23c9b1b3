import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type NotificationsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { NOTIFICATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { uuidPathParam } from '../http/uuid-path-param';
import { MarkAllReadResponse, UnreadCountResponse } from './dto/inbox-counts.response';
import { ListNotificationsQuery } from './dto/list-notifications.query';
import { NotificationPageResponse } from './dto/notification-page.response';
import { NotificationResponse } from './dto/notification.response';

/** The signed-in user's in-app notifications; the service acts on the verified identity only. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/me/notifications')
export class NotificationsController {
  constructor(
    @Inject(NOTIFICATIONS_SERVICE) private readonly notifications: NotificationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The signed-in user's notifications",
    description: 'Newest first; `unread=true` for the unread ones only; cursor pagination.',
    operationId: 'listMyNotifications',
  })
  @ApiOkResponse({ type: NotificationPageResponse })
  @ApiProblemResponses(400, 401)
  async list(
    @Query() query: ListNotificationsQuery,
    @CurrentCaller() caller: Caller,
  ): Promise<NotificationPageResponse> {
    return NotificationPageResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.notifications.listMyNotifications(
          { unreadOnly: query.unread ?? false, limit: query.limit ?? 20, cursor: query.cursor },
          metadata,
          options,
        ),
      ),
    );
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many notifications are unread', operationId: 'countMyUnreadNotifications' })
  @ApiOkResponse({ type: UnreadCountResponse })
  @ApiProblemResponses(401)
  async unreadCount(@CurrentCaller() caller: Caller): Promise<UnreadCountResponse> {
    const { unread } = await this.grpc.call(caller, (metadata, options) =>
      this.notifications.getUnreadCount({}, metadata, options),
    );
    return { unread: unread ?? 0 };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark every notification read',
    description: 'Answers how many were unread. Running it again marks 0.',
    operationId: 'markAllMyNotificationsRead',
  })
  @ApiOkResponse({ type: MarkAllReadResponse })
  @ApiProblemResponses(401)
  async markAllRead(@CurrentCaller() caller: Caller): Promise<MarkAllReadResponse> {
    const { marked } = await this.grpc.call(caller, (metadata, options) =>
      this.notifications.markAllRead({}, metadata, options),
    );
    return { marked: marked ?? 0 };
  }

  @Post(':id/read')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mark a notification read',
    description: 'Answers the notification. Already read: unchanged (the first `readAt`). Anyone else’s is 404.',
    operationId: 'markMyNotificationRead',
  })
  @ApiOkResponse({ type: NotificationResponse })
  @ApiProblemResponses(400, 401, 404)
  async markRead(
    @Param('id', uuidPathParam('id')) id: string,
    @CurrentCaller() caller: Caller,
  ): Promise<NotificationResponse> {
    return NotificationResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.notifications.markRead({ id }, metadata, options)),
    );
  }
}
