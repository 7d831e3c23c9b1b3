import { DomainError } from '@convene/common';
import { canonicalJson, idempotencyRecordId, parseIdempotencyKey, requestFingerprint } from './idempotency-key';

describe('parseIdempotencyKey', () => {
  it('is undefined when no header was sent', () => {
    expect(parseIdempotencyKey(undefined)).toBeUndefined();
  });

  it.each([
    ['a UUID', '0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11'],
    ['one character', 'x'],
    ['255 characters', 'k'.repeat(255)],
    ['every visible ASCII character', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~aZ09'],
  ])('accepts %s', (_case, key) => {
    expect(parseIdempotencyKey(key)).toBe(key);
  });

  it.each([
    ['an empty key', ''],
    ['256 characters', 'k'.repeat(256)],
    ['a space', 'two words'],
    ['a tab', 'a\tb'],
    ['non-ASCII', 'clé'],
    ['a header sent twice (joined by ", ")', 'a, b'],
    ['a non-string', ['a', 'b']],
  ])('refuses %s with 400 naming the header', (_case, key) => {
    let error: unknown;
    try {
      parseIdempotencyKey(key);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    expect((error as DomainError).details.errors).toEqual([
      { field: 'Idempotency-Key', message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
    ]);
  });
});

describe('idempotencyRecordId', () => {
  it('is the SHA-256 of user and key, so one user’s key is another record than another user’s', () => {
    expect(idempotencyRecordId('user-1', 'k')).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyRecordId('user-1', 'k')).toBe(idempotencyRecordId('user-1', 'k'));
    expect(idempotencyRecordId('user-1', 'k')).not.toBe(idempotencyRecordId('user-2', 'k'));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(idempotencyRecordId('ab', 'c')).not.toBe(idempotencyRecordId('a', 'bc'));
  });
});

describe('requestFingerprint', () => {
  const url = '/v1/events/e1/registrations';

  it('ignores key order and spacing of the body', () => {
    expect(requestFingerprint('POST', url, { a: 1, b: { d: [1, 2], c: 'x' } })).toBe(
      requestFingerprint('POST', url, { b: { c: 'x', d: [1, 2] }, a: 1 }),
    );
  });

  it('tells apart another body, path, query or method', () => {
    const base = requestFingerprint('POST', url, { seats: 1 });
    expect(requestFingerprint('POST', url, { seats: 2 })).not.toBe(base);
    expect(requestFingerprint('POST', url, { seats: 1, note: 'x' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/events/e2/registrations', { seats: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', `${url}?waitlist=true`, { seats: 1 })).not.toBe(base);
    expect(requestFingerprint('PUT', url, { seats: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', url, [1, 2])).not.toBe(requestFingerprint('POST', url, [2, 1]));
  });

  it('treats an absent body as null', () => {
    expect(requestFingerprint('POST', url, undefined)).toBe(requestFingerprint('POST', url, null));
    expect(requestFingerprint('POST', url, undefined)).not.toBe(requestFingerprint('POST', url, {}));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and keeps array order and escaping', () => {
    expect(canonicalJson({ z: [{ b: 1, a: null }], 'q"': 'é\n', a: true })).toBe(
      '{"a":true,"q\\"":"é\\n","z":[{"a":null,"b":1}]}',
    );
  });
});
