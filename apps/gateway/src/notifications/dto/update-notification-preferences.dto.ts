import { type PipeTransform } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsISO8601, IsObject, IsOptional, ValidateIf, ValidateNested } from 'class-validator';
import { invalidField } from '@convene/common';
import { NOTIFICATION_CATEGORIES, type ChannelSwitchMessage, type NotificationCategory } from '@convene/contracts';
import { API_CHANNELS, type ApiChannel } from './notification-preferences';

/**
 * Absent is allowed, `null` is not: IsOptional would let `"email": null` through as "no change",
 * which a client sending null most likely did not mean.
 */
const AbsentOrValid = (): PropertyDecorator => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/** The switches of one category; an absent one keeps its value. */
export class ChannelSwitchesDto {
  @ApiPropertyOptional({ description: 'In the app: the inbox and the live stream.' })
  @AbsentOrValid()
  @IsBoolean({ message: 'inApp must be true or false' })
  inApp?: boolean;

  @ApiPropertyOptional()
  @AbsentOrValid()
  @IsBoolean({ message: 'email must be true or false' })
  email?: boolean;
}

/**
 * One optional entry per category, declared from the contract's list: an unknown category is then an
 * unknown property, refused with 400 naming it (`preferences.<name> is not allowed`), like an unknown
 * channel inside a category.
 */
export class PreferencesChangeDto {}
for (const category of NOTIFICATION_CATEGORIES) {
  const target = PreferencesChangeDto.prototype;
  ApiPropertyOptional({ type: ChannelSwitchesDto })(target, category);
  AbsentOrValid()(target, category);
  IsObject({ message: `${category} must be an object of switches, e.g. {"email": false}` })(target, category);
  ValidateNested()(target, category);
  Type(() => ChannelSwitchesDto)(target, category);
}

/** Body of PUT /v1/me/notification-preferences: only the switches given change. */
export class UpdateNotificationPreferencesDto {
  @ApiProperty({
    type: PreferencesChangeDto,
    example: { registrations: { email: false } },
    description: 'Per category, the switches to set; at least one.',
  })
  @IsObject({ message: 'preferences must be an object of categories' })
  @ValidateNested()
  @Type(() => PreferencesChangeDto)
  preferences!: Partial<Record<NotificationCategory, ChannelSwitchesDto>>;

  @ApiPropertyOptional({
    format: 'date-time',
    // GET answers null until the first change.
    nullable: true,
    description: 'Ignored (the server sets it); accepted so that what GET answered can be sent back.',
  })
  @IsOptional()
  @IsISO8601()
  updatedAt?: string;
}

/** The contract's switches for the body's, in the contract's order of categories. */
export function switchesOf(body: UpdateNotificationPreferencesDto): ChannelSwitchMessage[] {
  const switches: ChannelSwitchMessage[] = [];
  for (const category of NOTIFICATION_CATEGORIES) {
    const given = body.preferences[category];
    if (!given) continue;
    for (const name of Object.keys(API_CHANNELS) as ApiChannel[]) {
      const enabled = given[name];
      if (enabled !== undefined) switches.push({ category, channel: API_CHANNELS[name], enabled });
    }
  }
  return switches;
}

/**
 * Runs after the global validation pipe: a PUT that sets no switch is a client mistake (400), not a
 * write that bumps `updatedAt`. class-validator has no rule over the object as a whole.
 */
export const SomePreferenceSwitch: PipeTransform<UpdateNotificationPreferencesDto, UpdateNotificationPreferencesDto> = {
  transform(body) {
    if (switchesOf(body).length === 0) {
      throw invalidField(
        'preferences',
        'preferences must set at least one switch, e.g. {"registrations": {"email": false}}',
      );
    }
    return body;
  },
};
