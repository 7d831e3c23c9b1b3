import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_STATUSES, type ReviewMessage, type ReviewReplyMessage } from '@convene/contracts';

export class ReviewReplyResponse {
  @ApiProperty() text!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;

  static from(message: ReviewReplyMessage): ReviewReplyResponse {
    return { text: message.text, createdAt: message.createdAt, updatedAt: message.updatedAt };
  }
}

export class ReviewResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The reviewer; null once they deleted their account.' })
  authorId!: string | null;
  @ApiProperty({ description: 'The reviewer’s display name when they wrote the review.' }) authorName!: string;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 }) rating!: number;
  @ApiProperty({ description: 'May be empty.' }) comment!: string;
  @ApiProperty({ enum: REVIEW_STATUSES }) status!: string;
  @ApiProperty({ description: 'The reviewer was checked in at the door.' }) checkedIn!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ type: ReviewReplyResponse, description: 'The organizer’s answer, once there is one.' })
  reply?: ReviewReplyResponse;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Hidden reviews, shown to their author, the organizer and admins only.',
  })
  hiddenAt?: string;
  @ApiPropertyOptional({ description: 'Why it was hidden; as `hiddenAt`.' }) hiddenReason?: string;

  /** Field by field: proto3 optional fields arrive absent (or empty) when unset; nothing else leaks. */
  static from(message: ReviewMessage): ReviewResponse {
    return {
      id: message.id,
      eventId: message.eventId,
      authorId: message.authorId || null,
      authorName: message.authorName,
      rating: message.rating,
      comment: message.comment,
      status: message.status,
      checkedIn: message.checkedIn === true,
      createdAt: message.createdAt,
      updatedAt: message.updatedAt,
      ...(message.reply?.createdAt ? { reply: ReviewReplyResponse.from(message.reply) } : {}),
      ...(message.hiddenAt ? { hiddenAt: message.hiddenAt } : {}),
      ...(message.hiddenReason ? { hiddenReason: message.hiddenReason } : {}),
    };
  }
}
