/** Roles carried in access tokens. Everyone is an attendee; organizer is self-service; admin is granted. */
export const ROLES = ['attendee', 'organizer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Access-token claims every service may rely on (after the gateway verified the token). */
export const ACCESS_TOKEN = {
  issuer: 'https://convene.dev/auth',
  audience: 'convene-api',
  /** RFC 9068 JWT access-token type, checked so an ID token or other JWT is never accepted as one. */
  type: 'at+jwt',
  algorithm: 'ES256',
  ttlSeconds: 15 * 60,
} as const;

export const PASSWORD_LIMITS = { min: 8, max: 128 } as const;
export const DISPLAY_NAME_LIMITS = { min: 1, max: 80 } as const;
