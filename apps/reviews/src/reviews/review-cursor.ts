import { invalidField } from '@convene/common';
import type { ReviewSort } from '@convene/contracts';

/**
 * Where a page of an event's reviews ended: the last review's position in the page's order (rating
 * for "highest", then creation time, then id, all descending: a total order, so paging never skips or
 * repeats). Opaque to clients; a cursor of the other order, or one this API did not issue, is refused.
 */
export interface ReviewPosition {
  rating: number;
  createdAt: string;
  id: string;
}

export function encodeReviewCursor(sort: ReviewSort, position: ReviewPosition): string {
  const fields =
    sort === 'highest'
      ? [sort, position.rating, position.createdAt, position.id]
      : [sort, position.createdAt, position.id];
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

export function decodeReviewCursor(sort: ReviewSort, cursor: string): ReviewPosition {
  let fields: unknown;
  try {
    fields = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    fields = undefined;
  }
  if (Array.isArray(fields) && fields[0] === sort) {
    const [rating, createdAt, id] = sort === 'highest' ? fields.slice(1) : [0, ...fields.slice(1)];
    if (
      Number.isInteger(rating) &&
      typeof createdAt === 'string' &&
      !Number.isNaN(Date.parse(createdAt)) &&
      typeof id === 'string' &&
      id.length > 0 &&
      !id.includes('/')
    ) {
      return { rating: rating as number, createdAt, id };
    }
  }
  throw invalidField('cursor', 'cursor is not one this API issued for this sort order');
}
