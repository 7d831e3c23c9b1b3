import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RegistrationPageMessage } from '@convene/contracts';
import { RegistrationResponse } from './registration.response';

export class RegistrationPageResponse {
  @ApiProperty({ type: [RegistrationResponse] }) items!: RegistrationResponse[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last page.' })
  nextCursor?: string;

  static from(message: RegistrationPageMessage): RegistrationPageResponse {
    return {
      items: (message.items ?? []).map((item) => RegistrationResponse.from(item)),
      ...(message.nextCursor ? { nextCursor: message.nextCursor } : {}),
    };
  }
}
