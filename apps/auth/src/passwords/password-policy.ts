import { dictionary } from '@zxcvbn-ts/language-common';
import { invalidField } from '@convene/common';
import { PASSWORD_LIMITS } from '@convene/contracts';

// The ~49k most common passwords shipped with zxcvbn-ts; loaded once.
const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  (dictionary['passwords-common'] as string[]).map((password) => password.toLowerCase()),
);

/**
 * Refuses passwords that are too short or long (in code points, so emoji count as one character),
 * among the most common ones, or equal to the account's email or its local part.
 */
export function assertAcceptablePassword(password: string, normalizedEmail: string): void {
  const message = passwordProblem(password, normalizedEmail);
  if (message) {
    throw invalidField('password', message);
  }
}

function passwordProblem(password: string, normalizedEmail: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_LIMITS.min || length > PASSWORD_LIMITS.max) {
    return `password must be ${PASSWORD_LIMITS.min} to ${PASSWORD_LIMITS.max} characters long`;
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower)) return 'password is too common; choose a less guessable one';
  const localPart = normalizedEmail.slice(0, normalizedEmail.lastIndexOf('@'));
  if (lower === normalizedEmail || (localPart.length > 0 && lower === localPart)) {
    return 'password must not be your email address';
  }
  return undefined;
}
