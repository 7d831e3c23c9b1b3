import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_LIMITS } from '@convene/contracts';
import { EMAIL_MAX_LENGTH } from './register.dto';

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com', format: 'email', maxLength: EMAIL_MAX_LENGTH })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MaxLength(EMAIL_MAX_LENGTH)
  @IsEmail()
  email!: string;

  // No minimum beyond 1: a policy change must not turn an old password into a 400 instead of a login.
  @ApiProperty({ format: 'password', minLength: 1, maxLength: PASSWORD_LIMITS.max })
  @IsString()
  @Length(1, PASSWORD_LIMITS.max)
  password!: string;
}
