import { ApiProperty } from '@nestjs/swagger';
import type { SessionMessage } from '@convene/contracts';
import { UserResponse } from './user.response';

export class SessionResponse {
  @ApiProperty({ type: UserResponse }) user!: UserResponse;
  @ApiProperty({ description: 'JWT (ES256) to send as `Authorization: Bearer <accessToken>`.' })
  accessToken!: string;
  @ApiProperty({
    description: 'Opaque, single use: each refresh returns a new one; reusing an old one ends the session.',
  })
  refreshToken!: string;
  @ApiProperty({ description: 'Seconds until the access token expires.', example: 900 }) expiresIn!: number;
  @ApiProperty({ enum: ['Bearer'] }) tokenType!: 'Bearer';

  static from(message: SessionMessage): SessionResponse {
    return {
      user: UserResponse.from(message.user),
      accessToken: message.accessToken,
      refreshToken: message.refreshToken,
      expiresIn: message.expiresIn,
      tokenType: 'Bearer',
    };
  }
}
