import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ROLES, type Role } from '@convene/contracts';

export class GrantRoleDto {
  @ApiProperty({ enum: ROLES, example: 'organizer' })
  @IsIn(ROLES)
  role!: Role;
}
