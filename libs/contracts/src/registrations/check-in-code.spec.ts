import { CHECK_IN_CODE_ALPHABET, formatCheckInCode, parseCheckInCode } from './check-in-code';

describe('check-in codes', () => {
  it('uses Crockford’s base32: digits and letters without I, L, O and U', () => {
    expect(CHECK_IN_CODE_ALPHABET).toHaveLength(32);
    expect(CHECK_IN_CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(new Set(CHECK_IN_CODE_ALPHABET).size).toBe(32);
  });

  it('shows a canonical code as two groups of four', () => {
    expect(formatCheckInCode('ABCD2345')).toBe('ABCD-2345');
  });

  it.each([
    ['the displayed form', 'ABCD-2345'],
    ['lower case', 'abcd-2345'],
    ['no dash', 'abcd2345'],
    ['spaces and dashes anywhere', ' ab cd - 23 45 '],
    ['a tab', 'ABCD\t2345'],
  ])('reads %s', (_case, typed) => {
    expect(parseCheckInCode(typed)).toBe('ABCD2345');
  });

  it('reads O as 0 and I and L as 1, in either case', () => {
    expect(parseCheckInCode('OoIi-LlAB')).toBe('001111AB');
  });

  it.each([
    ['too short', 'ABCD-234'],
    ['too long', 'ABCD-23456'],
    ['U, which Crockford leaves out', 'ABCD-234U'],
    ['punctuation', 'ABCD_2345'],
    ['a non-ASCII letter', 'ÀBCD-2345'],
    ['empty', ''],
    ['over 32 characters of separators', `ABCD${' '.repeat(30)}2345`],
  ])('refuses %s', (_case, typed) => {
    expect(parseCheckInCode(typed)).toBeUndefined();
  });

  it('gives back what it formatted', () => {
    for (const canonical of ['00000000', 'ZZZZZZZZ', 'K7M2PQ9X']) {
      expect(parseCheckInCode(formatCheckInCode(canonical))).toBe(canonical);
    }
  });
});
