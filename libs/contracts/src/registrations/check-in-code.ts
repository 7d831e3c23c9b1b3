/**
 * A registration's check-in code: 8 characters of Crockford's base32 (40 bits), typed by door staff
 * when a QR code cannot be scanned. Stored and compared in canonical form (`ABCDEFGH`), shown as
 * `ABCD-EFGH`. The gateway checks the format with the same function the registrations service uses to
 * read it, so both refuse the same input.
 */
export const CHECK_IN_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CHECK_IN_CODE_LENGTH = 8;
/** What may be typed, separators included ("abcd - efgh"): more is not a code. */
export const CHECK_IN_CODE_MAX_INPUT = 32;

/** Letters people read into the code that Crockford's base32 leaves out for being mistaken for digits. */
const ALIASES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/**
 * The canonical code of what someone typed (any case; dashes and spaces anywhere; O read as 0, I and L
 * as 1), or undefined if it is not one.
 */
export function parseCheckInCode(typed: string): string | undefined {
  if (typed.length > CHECK_IN_CODE_MAX_INPUT) return undefined;
  const canonical = [...typed.toUpperCase().replace(/[\s-]/g, '')].map((c) => ALIASES[c] ?? c).join('');
  if (canonical.length !== CHECK_IN_CODE_LENGTH) return undefined;
  return [...canonical].every((c) => CHECK_IN_CODE_ALPHABET.includes(c)) ? canonical : undefined;
}

/** How a canonical code is shown: `ABCD-EFGH`. */
export function formatCheckInCode(canonical: string): string {
  const half = CHECK_IN_CODE_LENGTH / 2;
  return `${canonical.slice(0, half)}-${canonical.slice(half)}`;
}
