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
  @ApiProperty({
    description:
      'A short code door staff can type instead of scanning the QR code (only the event’s organizer and ' +
      'check-in staff can use it). Show it with the QR code.',
    example: 'ABCD-EFGH',
    pattern: '^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$',
  })
  code!: string;

  static from(message: TicketMessage): TicketResponse {
    return {
      registrationId: message.registrationId,
      eventId: message.eventId,
      holderName: message.holderName,
      token: message.token,
      qrSvg: message.qrSvg,
      code: message.code,
    };
  }
}
