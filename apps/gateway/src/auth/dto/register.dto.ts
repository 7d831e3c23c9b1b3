import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Length } from 'class-validator';
import { DISPLAY_NAME_LIMITS, PASSWORD_LIMITS } from '@convene/contracts';
import { EmailField } from './email.field';

/** Formats only: normalizing the email, uniqueness and refusing common passwords are the auth service's. */
export class RegisterDto {
  @EmailField()
  email!: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    format: 'password',
    minLength: PASSWORD_LIMITS.min,
    maxLength: PASSWORD_LIMITS.max,
  })
  @IsString()
  @Length(PASSWORD_LIMITS.min, PASSWORD_LIMITS.max)
  password!: string;

  @ApiProperty({
    example: 'Ada Lovelace',
    description: 'Leading and trailing spaces are removed.',
    minLength: DISPLAY_NAME_LIMITS.min,
    maxLength: DISPLAY_NAME_LIMITS.max,
  })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(DISPLAY_NAME_LIMITS.min, DISPLAY_NAME_LIMITS.max)
  displayName!: string;
}
