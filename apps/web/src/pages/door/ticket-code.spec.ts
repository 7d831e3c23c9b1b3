import { describe, expect, it } from '@jest/globals';
import { normaliseCheckInCode, typedTicket } from './ticket-code';

describe('normaliseCheckInCode', () => {
  it('accepts any case, with or without the dash or spaces', () => {
    expect(normaliseCheckInCode('ABCD-EFGH')).toBe('ABCD-EFGH');
    expect(normaliseCheckInCode('abcdefgh')).toBe('ABCD-EFGH');
    expect(normaliseCheckInCode(' ab cd - ef gh ')).toBe('ABCD-EFGH');
  });

  it('reads O, I and L as the digits they look like', () => {
    expect(normaliseCheckInCode('oil0-1234')).toBe('0110-1234');
  });

  it('refuses a wrong length or a letter codes never use', () => {
    expect(normaliseCheckInCode('ABCD-EFG')).toBeUndefined();
    expect(normaliseCheckInCode('ABCD-EFGHJ')).toBeUndefined();
    expect(normaliseCheckInCode('ABCD-EFGU')).toBeUndefined();
  });
});

describe('typedTicket', () => {
  it('sends a code as code and a pasted token as ticket', () => {
    expect(typedTicket('abcd efgh')).toEqual({ code: 'ABCD-EFGH' });
    expect(typedTicket(' eyJhbGciOiJFUzI1NiJ9.eyJyaWQiOiIxIn0.c2ln ')).toEqual({
      ticket: 'eyJhbGciOiJFUzI1NiJ9.eyJyaWQiOiIxIn0.c2ln',
    });
  });

  it('refuses anything else', () => {
    expect(typedTicket('')).toBeUndefined();
    expect(typedTicket('hello')).toBeUndefined();
  });
});
