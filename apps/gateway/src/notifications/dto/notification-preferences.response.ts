import { ApiProperty } from '@nestjs/swagger';
import { NOTIFICATION_CATEGORIES, type NotificationCategory, type PreferencesMessage } from '@convene/contracts';
import { apiChannelOf, type ApiChannel } from './notification-preferences';

export class ChannelSwitchesResponse {
  @ApiProperty({ description: 'In the app: the inbox and the live stream.' }) inApp!: boolean;
  @ApiProperty() email!: boolean;
}

/** One entry per category (`account`, `registrations`, …). */
export class CategoryPreferencesResponse {}
for (const category of NOTIFICATION_CATEGORIES) {
  ApiProperty({ type: ChannelSwitchesResponse })(CategoryPreferencesResponse.prototype, category);
}

export class NotificationPreferencesResponse {
  @ApiProperty({
    type: CategoryPreferencesResponse,
    example: { registrations: { inApp: true, email: false }, reviews: { inApp: true, email: true } },
  })
  preferences!: Partial<Record<NotificationCategory, Record<ApiChannel, boolean>>>;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The last change; null while everything is as it started (all on).',
  })
  updatedAt!: string | null;

  static from(message: PreferencesMessage): NotificationPreferencesResponse {
    const preferences: Partial<Record<string, Record<ApiChannel, boolean>>> = {};
    for (const { category, channel, enabled } of message.switches ?? []) {
      const name = apiChannelOf(channel);
      if (!name) continue;
      // Everything is on until the person says otherwise (the service sends every switch anyway).
      preferences[category] ??= { inApp: true, email: true };
      preferences[category][name] = enabled === true;
    }
    return { preferences, updatedAt: message.updatedAt || null };
  }
}
