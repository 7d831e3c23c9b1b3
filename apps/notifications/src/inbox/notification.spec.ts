import { DomainError } from '@convene/common';
import { NOTIFICATION_TIMELINE_START } from '@convene/contracts';
import { decodePosition, derivedId, encodePosition } from './notification';

describe('notification ids and positions', () => {
  it('derives the same uuid-shaped id from the same parts, another from other parts', () => {
    const id = derivedId('source', 'user', 'registration.confirmed');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('source', 'user', 'registration.confirmed')).toBe(id);
    expect(derivedId('source', 'user2', 'registration.confirmed')).not.toBe(id);
    // Parts are separated: ("ab","c") and ("a","bc") differ.
    expect(derivedId('ab', 'c')).not.toBe(derivedId('a', 'bc'));
  });

  it('round-trips a position and refuses anything else naming the field', () => {
    const position = { createdAt: '2026-11-21T10:00:00.123456Z', id: derivedId('x') };
    expect(decodePosition('cursor', encodePosition(position))).toEqual(position);
    for (const bad of ['', 'garbage', Buffer.from('2026-01-01T00:00:00Z|../x').toString('base64url')]) {
      expect(() => decodePosition('after', bad)).toThrow(DomainError);
    }
  });
});

describe('the timeline start', () => {
  it('is a valid position before every notification', () => {
    const start = decodePosition('after', NOTIFICATION_TIMELINE_START);
    expect(start.createdAt < '2000-01-01T00:00:00.000000000Z').toBe(true);
    expect(encodePosition(start)).toBe(NOTIFICATION_TIMELINE_START);
  });
});
