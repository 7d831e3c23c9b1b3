import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';

export class CancelEventDto {
  @ApiProperty({
    example: 'The venue flooded; we are sorry.',
    minLength: 1,
    maxLength: 500,
    description: 'Told to everyone registered.',
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 500)
  reason!: string;
}
