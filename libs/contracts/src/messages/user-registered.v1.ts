import { IsEmail, IsISO8601, IsString, IsUUID, Length } from 'class-validator';
import { Topics } from '../topics';

/** `user.registered` v1: someone created an account. */
export class UserRegisteredV1 {
  static readonly eventType = Topics.userRegistered;
  static readonly schemaVersion = 1;

  @IsUUID() userId!: string;
  @IsEmail() email!: string;
  @IsString() @Length(1, 80) displayName!: string;
  @IsISO8601({ strict: true }) registeredAt!: string;
}
