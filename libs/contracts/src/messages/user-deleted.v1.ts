import { IsISO8601, IsUUID } from 'class-validator';
import { Topics } from '../topics';

/**
 * `user.deleted` v1: an account was erased. Every service erases or anonymizes the personal data it
 * holds about `userId`. Deliberately carries no personal data itself.
 */
export class UserDeletedV1 {
  static readonly eventType = Topics.userDeleted;
  static readonly schemaVersion = 1;

  @IsUUID() userId!: string;
  @IsISO8601({ strict: true }) deletedAt!: string;
}
