/** The form emails are stored and compared in: `Alice@Example.com ` and `alice@example.com` are one account. */
export function normalizeEmail(email: string): string {
  return email.trim().normalize('NFKC').toLowerCase();
}
