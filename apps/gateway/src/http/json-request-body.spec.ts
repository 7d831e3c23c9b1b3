import { DomainError } from '@convene/common';
import { checkJsonBody, flawOf, MAX_JSON_DEPTH } from './json-request-body';

function refusal(headers: Record<string, string>, body: unknown, bodyRequired = true): DomainError | undefined {
  try {
    checkJsonBody({ headers, body } as never, bodyRequired);
    return undefined;
  } catch (error) {
    return error as DomainError;
  }
}

const JSON_HEADERS = { 'content-type': 'application/json', 'content-length': '10' };

describe('request bodies at the gateway', () => {
  it('takes a JSON object', () => {
    expect(refusal(JSON_HEADERS, { title: 'x', venue: { name: 'y' } })).toBeUndefined();
    expect(refusal({ 'content-type': 'application/json; charset=utf-8', 'content-length': '2' }, {})).toBeUndefined();
  });

  it('refuses a form post (Nest would parse it into the same DTOs) and any other non-JSON body with 415', () => {
    const form = refusal({ 'content-type': 'application/x-www-form-urlencoded', 'content-length': '7' }, { a: 'b' });
    expect(form?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(refusal({ 'transfer-encoding': 'chunked' }, undefined, false)?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('lets a request without a body through where none is needed', () => {
    expect(refusal({}, undefined, false)).toBeUndefined();
    expect(refusal({ 'content-length': '0' }, undefined, false)).toBeUndefined();
  });

  it('refuses null, a scalar, an array or no body where the operation takes one, naming `body`', () => {
    for (const body of [null, undefined, 'text', 42, true, []]) {
      const error = refusal(JSON_HEADERS, body);
      expect(error?.code).toBe('VALIDATION_FAILED');
      expect(error?.details.errors).toEqual([{ field: 'body', message: 'body must be a JSON object' }]);
    }
  });

  it('refuses nesting deeper than the limit, however deep, without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(refusal(JSON_HEADERS, { a: deep })?.code).toBe('MALFORMED_REQUEST');
    let atLimit: unknown = {};
    for (let i = 1; i < MAX_JSON_DEPTH; i++) atLimit = { a: atLimit };
    expect(flawOf(atLimit, MAX_JSON_DEPTH)).toBeUndefined();
    expect(flawOf({ a: atLimit }, MAX_JSON_DEPTH)).toBe('too-deep');
  });

  it('refuses a lone surrogate in a value or a key, naming where it is', () => {
    expect(flawOf({ venue: { name: 'a\ud800b' } }, MAX_JSON_DEPTH)).toEqual({ field: 'venue.name' });
    expect(flawOf({ tags: ['ok', '\udc00'] }, MAX_JSON_DEPTH)).toEqual({ field: 'tags.1' });
    expect(flawOf({ preferences: { ['\ud800']: true } }, MAX_JSON_DEPTH)).toEqual({ field: 'preferences' });
    expect(refusal(JSON_HEADERS, { email: 'a\ud800@example.com' })?.details.errors).toEqual([
      { field: 'email', message: 'email must be well-formed Unicode text (it has a lone surrogate)' },
    ]);
  });

  it('takes well-formed text of any kind: emoji (surrogate pairs), NUL, marks, bidi controls', () => {
    expect(flawOf({ title: 'Fête 🎉 \u0000 e\u0301 \u202e \ufeff' }, MAX_JSON_DEPTH)).toBeUndefined();
  });
});
