import type { Role } from '@convene/contracts';

/** An account as the auth service stores it. Instants are ISO 8601 strings (UTC). */
export interface User {
  id: string;
  /** Normalized (trimmed, NFKC, lowercase); unique across users. */
  email: string;
  displayName: string;
  roles: Role[];
  /** Argon2id PHC string. Never leaves the service. */
  passwordHash: string;
  createdAt: string;
}
