import { ApiProperty } from '@nestjs/swagger';
import type { SigningKeyInfoMessage } from '@convene/contracts';

export class SigningKeyResponse {
  @ApiProperty({ description: 'Key id new access tokens name in their `kid` header.' }) kid!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    format: 'date-time',
    description:
      'The key is in the JWKS now and signs new tokens from this instant, once every gateway has fetched it.',
  })
  activatesAt!: string;

  static from(message: SigningKeyInfoMessage): SigningKeyResponse {
    return { kid: message.kid, createdAt: message.createdAt, activatesAt: message.activatesAt };
  }
}
