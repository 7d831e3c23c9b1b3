import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQuery } from '../../events/dto/page.query';

export const REGISTRATION_TIMEFRAMES = ['upcoming', 'past'] as const;
export type RegistrationTimeframe = (typeof REGISTRATION_TIMEFRAMES)[number];

/** Query string of GET /v1/me/registrations. */
export class MyRegistrationsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: REGISTRATION_TIMEFRAMES,
    default: 'upcoming',
    description: 'upcoming: events not yet ended, soonest first; past: ended events, most recent first.',
  })
  @IsOptional()
  @IsIn(REGISTRATION_TIMEFRAMES)
  when?: RegistrationTimeframe;
}
