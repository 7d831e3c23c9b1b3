import { ApiProperty } from '@nestjs/swagger';
import type { UserSummaryMessage } from '@convene/contracts';

/** A check-in staff member, as the organizer and the staff see them. */
export class StaffMemberResponse {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ example: 'Grace Hopper' }) displayName!: string;
  @ApiProperty({ format: 'email', example: 'grace@example.com' }) email!: string;

  /** Field by field, so nothing else the service might send leaks out. */
  static from(user: UserSummaryMessage): StaffMemberResponse {
    return { userId: user.id, displayName: user.displayName, email: user.email };
  }
}

export class StaffListResponse {
  @ApiProperty({ type: [StaffMemberResponse], description: 'In the order they were granted.' })
  items!: StaffMemberResponse[];

  static from(users: UserSummaryMessage[]): StaffListResponse {
    return { items: users.map((user) => StaffMemberResponse.from(user)) };
  }
}
