import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
} from 'class-validator';
import { NOTIFICATION_CATEGORIES, type NotificationCategory } from '../grpc/notifications-grpc';
import { Topics } from '../topics';

/**
 * `notification.requested` v1: any service asks notifications to tell people something. Delivered on
 * the channels each recipient chose for `category`, once per `requestId` and recipient.
 */
export class NotificationRequestedV1 {
  static readonly eventType = Topics.notificationRequested;
  static readonly schemaVersion = 1;

  @IsUUID() requestId!: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(1000) @IsString({ each: true }) recipientIds!: string[];
  @IsIn(NOTIFICATION_CATEGORIES) category!: NotificationCategory;
  @IsString() @Length(1, 200) title!: string;
  @IsString() @Length(1, 2000) body!: string;
  @IsOptional() @IsUUID() eventId?: string;
  /** A path in the web app, e.g. /events/{id}. */
  @IsOptional() @IsString() @Matches(/^\/[^\s]*$/) link?: string;
}
