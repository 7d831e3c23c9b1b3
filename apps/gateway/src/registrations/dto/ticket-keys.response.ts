import { ApiProperty } from '@nestjs/swagger';
import type { TicketKeysMessage } from '@convene/contracts';

export class TicketKeyResponse {
  @ApiProperty({ description: 'Matches the `kid` header of the tickets it verifies.' }) kid!: string;
  @ApiProperty({ example: 'EC' }) kty!: string;
  @ApiProperty({ example: 'P-256' }) crv!: string;
  @ApiProperty() x!: string;
  @ApiProperty() y!: string;
  @ApiProperty({ example: 'ES256' }) alg!: string;
  @ApiProperty({ example: 'sig' }) use!: string;
}

/** RFC 7517 JWK Set: the public keys that verify an event's tickets. */
export class TicketKeysResponse {
  @ApiProperty({ type: [TicketKeyResponse] }) keys!: TicketKeyResponse[];

  static from(message: TicketKeysMessage): TicketKeysResponse {
    return {
      keys: (message.keys ?? []).map((key) => ({
        kid: key.kid,
        kty: key.kty,
        crv: key.crv,
        x: key.x,
        y: key.y,
        alg: key.alg,
        use: key.use,
      })),
    };
  }
}
