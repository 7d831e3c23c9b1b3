import { ApiProperty } from '@nestjs/swagger';
import type { PublicJwk } from '../jwks-cache';

export class JwkResponse {
  @ApiProperty({ enum: ['EC'] }) kty!: 'EC';
  @ApiProperty({ enum: ['P-256'] }) crv!: 'P-256';
  @ApiProperty() x!: string;
  @ApiProperty() y!: string;
  @ApiProperty({ description: 'Matches the `kid` header of the access tokens it verifies.' }) kid!: string;
  @ApiProperty({ enum: ['ES256'] }) alg!: 'ES256';
  @ApiProperty({ enum: ['sig'] }) use!: 'sig';
}

/** RFC 7517 JWK Set: the public keys that verify Convene access tokens. */
export class JwksResponse {
  @ApiProperty({ type: [JwkResponse] }) keys!: JwkResponse[];

  static from(keys: readonly PublicJwk[]): JwksResponse {
    return { keys: keys.map((key) => ({ ...key })) };
  }
}
