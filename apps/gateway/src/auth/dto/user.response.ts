import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role, type UserMessage } from '@convene/contracts';

export class UserResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES, isArray: true, example: ['attendee'] }) roles!: Role[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;

  /** Field by field, so nothing else the service might send (a hash, a proto `_field` key) leaks out. */
  static from(message: UserMessage): UserResponse {
    return {
      id: message.id,
      email: message.email,
      displayName: message.displayName,
      roles: (message.roles ?? []).filter((role) => (ROLES as readonly string[]).includes(role)),
      createdAt: message.createdAt,
    };
  }
}
