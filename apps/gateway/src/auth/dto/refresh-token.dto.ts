import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';

/** Body of refresh and logout: the opaque refresh token a session answer carried. */
export class RefreshTokenDto {
  @ApiProperty({ description: 'Opaque; as returned by register, login or refresh.', maxLength: 512 })
  @IsString()
  @Length(1, 512)
  @Matches(/^[\x21-\x7e]+$/, { message: 'refreshToken must be printable ASCII without spaces' })
  refreshToken!: string;
}
