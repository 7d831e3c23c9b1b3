import { randomBytes } from 'node:crypto';
import { CHECK_IN_CODE_ALPHABET, CHECK_IN_CODE_LENGTH } from '@convene/contracts';

/**
 * A fresh check-in code in canonical form: 40 random bits (crypto), 5 per character. Codes are unique
 * per event only by chance (two registrations of one event share one with probability ~n²/2⁴¹), so a
 * lookup that finds two refuses rather than guess (see CheckInCodes).
 */
export function newCheckInCode(): string {
  const bits = randomBytes((CHECK_IN_CODE_LENGTH * 5) / 8).readUIntBE(0, (CHECK_IN_CODE_LENGTH * 5) / 8);
  let code = '';
  for (let i = CHECK_IN_CODE_LENGTH - 1; i >= 0; i--) {
    code += CHECK_IN_CODE_ALPHABET[Math.floor(bits / 2 ** (5 * i)) % 32];
  }
  return code;
}
