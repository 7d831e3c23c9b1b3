// What door staff type into the "Ticket code" field: usually the ticket's short check-in code
// (ABCD-EFGH, any case, dashes and spaces optional), sometimes a whole ticket token pasted from a
// QR reader app. Mirrors parseCheckInCode in libs/contracts, which the API checks codes with.

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 8;
const MAX_INPUT = 32;
/** Letters Crockford's base32 leaves out for looking like digits, read as those digits. */
const ALIASES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

/** A ticket token: a compact JWS (three base64url parts). */
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** The code as shown on tickets (ABCD-EFGH), or undefined if `typed` is not one. */
export function normaliseCheckInCode(typed: string): string | undefined {
  if (typed.length > MAX_INPUT) return undefined;
  const canonical = [...typed.toUpperCase().replace(/[\s-]/g, '')].map((c) => ALIASES[c] ?? c).join('');
  if (canonical.length !== LENGTH || ![...canonical].every((c) => ALPHABET.includes(c))) return undefined;
  return `${canonical.slice(0, LENGTH / 2)}-${canonical.slice(LENGTH / 2)}`;
}

export type TypedTicket = { code: string } | { ticket: string };

/** The check-in body for what was typed, or undefined when it is neither a code nor a token. */
export function typedTicket(typed: string): TypedTicket | undefined {
  const text = typed.trim();
  const code = normaliseCheckInCode(text);
  if (code) return { code };
  if (TOKEN.test(text)) return { ticket: text };
  return undefined;
}
