import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { PASSWORD_LIMITS } from '@convene/contracts';
import { EmailField } from './email.field';

export class LoginDto {
  @EmailField()
  email!: string;

  // No minimum beyond 1: a policy change must not turn an old password into a 400 instead of a login.
  @ApiProperty({ format: 'password', minLength: 1, maxLength: PASSWORD_LIMITS.max })
  @IsString()
  @Length(1, PASSWORD_LIMITS.max)
  password!: string;
}
