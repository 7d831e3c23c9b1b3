import { DomainError } from '@convene/common';
import { decodeReviewCursor, encodeReviewCursor } from './review-cursor';

const position = { rating: 4, createdAt: '2026-06-01T18:00:00.000Z', id: 'a1b2' };

describe('review cursor', () => {
  it('round-trips the position of each order', () => {
    expect(decodeReviewCursor('highest', encodeReviewCursor('highest', position))).toEqual(position);
    expect(decodeReviewCursor('newest', encodeReviewCursor('newest', position))).toEqual({ ...position, rating: 0 });
  });

  it.each([
    ['another order', encodeReviewCursor('newest', position), 'highest'],
    ['garbage', 'not-a-cursor', 'newest'],
    [
      'a path as id',
      Buffer.from(JSON.stringify(['newest', position.createdAt, 'a/b'])).toString('base64url'),
      'newest',
    ],
    ['a bad date', Buffer.from(JSON.stringify(['newest', 'yesterday', 'x'])).toString('base64url'), 'newest'],
  ] as const)('refuses %s naming the cursor', (_name, cursor, sort) => {
    expect(() => decodeReviewCursor(sort, cursor)).toThrow(DomainError);
    try {
      decodeReviewCursor(sort, cursor);
    } catch (error) {
      expect((error as DomainError).details.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });
});
