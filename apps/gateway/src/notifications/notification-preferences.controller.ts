import { Body, Controller, Get, Inject, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type NotificationsServiceClient } from '@convene/contracts';
import { CurrentCaller } from '../auth/current-identity.decorator';
import { type Caller, GrpcCaller } from '../grpc/grpc-caller';
import { NOTIFICATIONS_SERVICE } from '../grpc/grpc-clients.module';
import { ApiProblemResponses } from '../http/problem.responses';
import { NotificationPreferencesResponse } from './dto/notification-preferences.response';
import {
  SomePreferenceSwitch,
  switchesOf,
  UpdateNotificationPreferencesDto,
} from './dto/update-notification-preferences.dto';

/** Which notifications the signed-in user gets on which channel, per category. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('v1/me/notification-preferences')
export class NotificationPreferencesController {
  constructor(
    @Inject(NOTIFICATIONS_SERVICE) private readonly notifications: NotificationsServiceClient,
    private readonly grpc: GrpcCaller,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The signed-in user's notification preferences",
    description: 'Every category with its two channels, `inApp` (inbox and live stream) and `email`. All on at first.',
    operationId: 'getMyNotificationPreferences',
  })
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  @ApiProblemResponses(401)
  async get(@CurrentCaller() caller: Caller): Promise<NotificationPreferencesResponse> {
    return NotificationPreferencesResponse.from(
      await this.grpc.call(caller, (metadata, options) => this.notifications.getPreferences({}, metadata, options)),
    );
  }

  @Put()
  @ApiOperation({
    summary: 'Change notification preferences',
    description:
      'Only the switches given change; the others keep their value, so `{"preferences": {"registrations": ' +
      '{"email": false}}}` turns off just those emails. An unknown category or channel is a 400 naming it. ' +
      'Answers every preference as it is now. Notifications sent from then on obey them.',
    operationId: 'updateMyNotificationPreferences',
  })
  @ApiOkResponse({ type: NotificationPreferencesResponse })
  @ApiProblemResponses(400, 401, 413, 415)
  async update(
    @Body(SomePreferenceSwitch) body: UpdateNotificationPreferencesDto,
    @CurrentCaller() caller: Caller,
  ): Promise<NotificationPreferencesResponse> {
    return NotificationPreferencesResponse.from(
      await this.grpc.call(caller, (metadata, options) =>
        this.notifications.updatePreferences({ switches: switchesOf(body) }, metadata, options),
      ),
    );
  }
}
