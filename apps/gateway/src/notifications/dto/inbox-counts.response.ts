import { ApiProperty } from '@nestjs/swagger';

export class UnreadCountResponse {
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 }) unread!: number;
}

export class MarkAllReadResponse {
  @ApiProperty({ type: 'integer', minimum: 0, example: 3, description: 'How many were unread until now.' })
  marked!: number;
}
