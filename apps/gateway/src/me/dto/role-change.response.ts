import { ApiProperty } from '@nestjs/swagger';
import type { RoleChangeMessage } from '@convene/contracts';
import { UserResponse } from '../../auth/dto/user.response';

/** The user with their new role, and an access token that already carries it. */
export class RoleChangeResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ description: 'JWT carrying the new role; the refresh token in use stays valid.' })
  accessToken!: string;
  @ApiProperty({ description: 'Seconds until the access token expires.', example: 900 }) expiresIn!: number;

  static from(message: RoleChangeMessage): RoleChangeResponse {
    return { user: UserResponse.from(message.user), accessToken: message.accessToken, expiresIn: message.expiresIn };
  }
}
