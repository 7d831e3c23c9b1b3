import { isEmail } from 'class-validator';

/** The form emails are stored and compared in: `Alice@Example.com ` and `alice@example.com` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}

/** Why a normalized email is not one an account can have, or undefined if it can. */
export function emailProblem(normalizedEmail: string): string | undefined {
  // '/' is legal in an email but not in the document id that claims it; nobody really uses it.
  if (normalizedEmail.length > 254 || normalizedEmail.includes('/') || !isEmail(normalizedEmail)) {
    return 'email must be a valid email address';
  }
  return undefined;
}
