import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@convene/common';

export class EventsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3002;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  GRPC_PORT = 50052;

  /** How often the outbox relay looks for records it was not kicked for (e.g. after a crash). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  OUTBOX_POLL_MS = 1000;

  /** How long public event reads and listing pages may be served from memory (ms; 0 disables). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  EVENTS_READ_CACHE_MS = 2000;
}
