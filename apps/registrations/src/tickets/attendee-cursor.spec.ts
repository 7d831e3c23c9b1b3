import { DomainError } from '@convene/common';
import { decodeAttendeeCursor, encodeAttendeeCursor } from './attendee-cursor';

describe('attendee cursor', () => {
  it('decodes what it encoded', () => {
    const position = { createdAt: '2030-01-01T10:00:00.123Z', id: '6f1c2b1e-0d1f-4c39-9c43-2b8a8c7b4a11' };
    const cursor = encodeAttendeeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeAttendeeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a bad instant', Buffer.from(JSON.stringify(['yesterday', 'id'])).toString('base64url')],
    ['an empty id', Buffer.from(JSON.stringify(['2030-01-01T10:00:00.000Z', ''])).toString('base64url')],
    ['a path for an id', Buffer.from(JSON.stringify(['2030-01-01T10:00:00.000Z', 'a/b'])).toString('base64url')],
    ['an object', Buffer.from(JSON.stringify({ createdAt: 'x' })).toString('base64url')],
  ])('refuses %s with VALIDATION_FAILED naming cursor', (_what, cursor) => {
    let error: unknown;
    try {
      decodeAttendeeCursor(cursor);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).details.errors).toEqual([{ field: 'cursor', message: expect.any(String) }]);
  });
});
