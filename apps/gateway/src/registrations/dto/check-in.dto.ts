import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';

export class CheckInDto {
  @ApiProperty({ description: 'The ticket’s token, as scanned from its QR code.', minLength: 1, maxLength: 4096 })
  @IsString()
  @Length(1, 4096)
  ticket!: string;

  @ApiPropertyOptional({
    description: 'Chosen by the scanner per scan: a retry with the same nonce gets the first answer again.',
    minLength: 1,
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  nonce?: string;
}
