import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { REVIEW_SORTS, type ReviewSort } from '@convene/contracts';
import { PageQuery } from '../../events/dto/page.query';

/** Query string of GET /v1/events/{id}/reviews. */
export class ListReviewsQuery extends PageQuery {
  @ApiPropertyOptional({
    enum: REVIEW_SORTS,
    default: 'newest',
    description: 'newest: most recent first; highest: most stars first, then most recent.',
  })
  @IsOptional()
  @IsIn(REVIEW_SORTS)
  sort?: ReviewSort;
}
