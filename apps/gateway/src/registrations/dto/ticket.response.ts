import { ApiProperty } from '@nestjs/swagger';
import type { TicketMessage } from '@convene/contracts';

export class TicketResponse {
  @ApiProperty({ format: 'uuid' }) registrationId!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() holderName!: string;
  @ApiProperty({
    description:
      'Compact JWS (ES256) over the registration id, event id and holder name; verify it offline with ' +
      '`GET /v1/events/{id}/ticket-keys`. This is what the QR code encodes.',
  })
  token!: string;
  @ApiProperty({ description: 'The QR code of `token`, as an SVG document.' }) qrSvg!: string;

  static from(message: TicketMessage): TicketResponse {
    return {
      registrationId: message.registrationId,
      eventId: message.eventId,
      holderName: message.holderName,
      token: message.token,
      qrSvg: message.qrSvg,
    };
  }
}
