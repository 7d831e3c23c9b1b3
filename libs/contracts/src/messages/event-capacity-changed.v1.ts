import { IsInt, IsISO8601, IsString, IsUUID, Max, Min } from 'class-validator';
import { Topics } from '../topics';

/**
 * `event.capacity-changed` v1: the organizer changed a published event's capacity, after registrations
 * agreed to it (see docs/architecture.md). `capacityVersion` orders changes: keep the highest.
 */
export class EventCapacityChangedV1 {
  static readonly eventType = Topics.eventCapacityChanged;
  static readonly schemaVersion = 1;

  @IsUUID() id!: string;
  @IsString() organizerId!: string;
  @IsInt() @Min(1) @Max(1_000_000) capacity!: number;
  @IsInt() @Min(1) @Max(1_000_000) previousCapacity!: number;
  @IsInt() @Min(0) capacityVersion!: number;
  @IsISO8601({ strict: true }) changedAt!: string;
}
