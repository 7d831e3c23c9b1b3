import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_CATEGORIES, EVENT_STATUSES, EVENT_VISIBILITIES, type EventMessage } from '@convene/contracts';
import { VenueDto } from './venue.dto';

/** How many visible reviews gave each number of stars. */
export class RatingHistogramResponse {
  @ApiProperty({ example: 0 }) '1'!: number;
  @ApiProperty({ example: 1 }) '2'!: number;
  @ApiProperty({ example: 0 }) '3'!: number;
  @ApiProperty({ example: 4 }) '4'!: number;
  @ApiProperty({ example: 7 }) '5'!: number;
}

export class RatingResponse {
  @ApiProperty({ description: 'Visible reviews (hidden and deleted ones are not counted).', example: 12 })
  count!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Mean stars of the visible reviews, rounded to 2 decimals; null while there are none.',
    example: 4.25,
  })
  average!: number | null;
  @ApiProperty({ type: RatingHistogramResponse }) histogram!: RatingHistogramResponse;

  /** An events service that sent no summary knows of no review. */
  static from(message: EventMessage['rating'] | null): RatingResponse {
    const count = message?.count ?? 0;
    const [one, two, three, four, five] = [0, 1, 2, 3, 4].map((i) => message?.histogram?.[i] ?? 0);
    return {
      count,
      average: count > 0 && typeof message?.average === 'number' ? message.average : null,
      histogram: { '1': one, '2': two, '3': three, '4': four, '5': five },
    };
  }
}

export class EventResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid', description: 'The organizer who created the event.' }) organizerId!: string;
  @ApiProperty({ enum: EVENT_STATUSES }) status!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ format: 'date-time', description: 'UTC' }) startsAt!: string;
  @ApiProperty({ format: 'date-time', description: 'UTC' }) endsAt!: string;
  @ApiProperty({ example: 'Europe/Paris' }) timezone!: string;
  @ApiPropertyOptional({ type: VenueDto }) venue?: VenueDto;
  @ApiPropertyOptional() onlineUrl?: string;
  @ApiProperty({ enum: EVENT_CATEGORIES }) category!: string;
  @ApiProperty({ type: [String] }) tags!: string[];
  @ApiProperty() capacity!: number;
  @ApiProperty() waitlistEnabled!: boolean;
  @ApiProperty({ enum: EVENT_VISIBILITIES }) visibility!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) publishedAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) cancelledAt?: string;
  @ApiPropertyOptional() cancellationReason?: string;
  @ApiPropertyOptional({
    type: [String],
    description:
      'Check-in staff (user ids); only for the organizer, admins and the staff, and only when there are some.',
  })
  staff?: string[];
  @ApiPropertyOptional({ description: 'Published events: confirmed registrations (a projection; may lag seconds).' })
  confirmedCount?: number;
  @ApiPropertyOptional({ description: 'Published events: registrations waiting in line.' })
  waitlistedCount?: number;
  @ApiPropertyOptional({ description: 'Published events: capacity minus confirmed, never below 0.' })
  seatsLeft?: number;
  @ApiProperty({
    type: RatingResponse,
    description: 'Summary of the visible reviews (a projection; may lag seconds behind a review).',
  })
  rating!: RatingResponse;

  /**
   * Field by field: the public shape is this class, not whatever the gRPC decoder adds (proto3
   * `optional` fields arrive with synthetic `_field` oneof keys, unset ones as absent or empty).
   */
  static from(message: EventMessage): EventResponse {
    return {
      id: message.id,
      organizerId: message.organizerId,
      status: message.status,
      title: message.title,
      description: message.description,
      startsAt: message.startsAt,
      endsAt: message.endsAt,
      timezone: message.timezone,
      ...(message.venue?.name ? { venue: compactVenue(message.venue) } : {}),
      ...(message.onlineUrl ? { onlineUrl: message.onlineUrl } : {}),
      category: message.category,
      tags: message.tags ?? [],
      capacity: message.capacity,
      waitlistEnabled: message.waitlistEnabled,
      visibility: message.visibility,
      createdAt: message.createdAt,
      updatedAt: message.updatedAt,
      ...(message.publishedAt ? { publishedAt: message.publishedAt } : {}),
      ...(message.cancelledAt
        ? { cancelledAt: message.cancelledAt, cancellationReason: message.cancellationReason }
        : {}),
      ...(message.staffIds?.length ? { staff: message.staffIds } : {}),
      ...(typeof message.confirmedCount === 'number'
        ? {
            confirmedCount: message.confirmedCount,
            waitlistedCount: message.waitlistedCount ?? 0,
            seatsLeft: message.seatsLeft ?? 0,
          }
        : {}),
      rating: RatingResponse.from(message.rating),
    };
  }
}

function compactVenue(venue: NonNullable<EventMessage['venue']>): VenueDto {
  return {
    name: venue.name,
    address: venue.address,
    ...(venue.lat !== undefined && venue.lat !== null ? { lat: venue.lat } : {}),
    ...(venue.lng !== undefined && venue.lng !== null ? { lng: venue.lng } : {}),
  };
}
