import { CHECK_IN_CODE_ALPHABET, parseCheckInCode } from '@convene/contracts';
import { newCheckInCode } from './check-in-code';

describe('newCheckInCode', () => {
  it('draws 8 characters of the code alphabet, in the canonical form the lookup compares', () => {
    for (let i = 0; i < 200; i++) {
      const code = newCheckInCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
      expect(parseCheckInCode(code)).toBe(code);
    }
  });

  it('uses every character of the alphabet in every position (all 40 bits are random)', () => {
    const seen = Array.from({ length: 8 }, () => new Set<string>());
    // 3000 draws: the chance a given character never shows in a position is (31/32)^3000 ≈ 1e-41.
    for (let i = 0; i < 3000; i++) [...newCheckInCode()].forEach((c, position) => seen[position]!.add(c));
    for (const characters of seen) expect(characters.size).toBe(CHECK_IN_CODE_ALPHABET.length);
  });

  it('does not repeat itself over 2,000 draws', () => {
    const codes = new Set(Array.from({ length: 2_000 }, () => newCheckInCode()));
    // Two equal among 2,000 draws of 40 bits: probability ~2e-6.
    expect(codes.size).toBe(2_000);
  });
});
