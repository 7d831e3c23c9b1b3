import { createHash, randomBytes } from 'node:crypto';

/** A refresh token as stored: only its SHA-256, never the token itself. Instants are ISO strings. */
export interface RefreshTokenRecord {
  /** Hex SHA-256 of the token; the document id. */
  hash: string;
  userId: string;
  familyId: string;
  expiresAt: string;
  /** Set when the token was exchanged; presenting it again means it was stolen. */
  usedAt?: string;
}

/** The chain of tokens descending from one login; revoking it ends every token in it. */
export interface RefreshFamily {
  id: string;
  userId: string;
  revokedAt?: string;
}

/** 32 random bytes: unguessable, so a fast hash (not a password hash) is enough to store it. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The shape newRefreshToken produces; anything else is refused without a database read. */
export function looksLikeRefreshToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
