import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { PageQuery } from '../../events/dto/page.query';

/** Query string of GET /v1/me/notifications. */
export class ListNotificationsQuery extends PageQuery {
  @ApiPropertyOptional({ type: Boolean, default: false, description: 'true: only those not read yet.' })
  @IsOptional()
  // Only the words: `Boolean('false')` would be true.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'unread must be true or false' })
  unread?: boolean;
}
