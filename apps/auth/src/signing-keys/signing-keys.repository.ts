import type { SigningKey } from './signing-key';

/** Storage of signing keys and of which one is active. No business rules. */
export abstract class SigningKeysRepository {
  abstract findActive(): Promise<SigningKey | undefined>;
  /**
   * Makes `candidate` the active key if there is none yet, and returns the active key — the
   * candidate, or the one another replica installed first. Safe to race across replicas.
   */
  abstract installFirst(candidate: SigningKey): Promise<SigningKey>;
  /** Makes `next` the newest key and marks the previous one retired at `next`'s activation, atomically. */
  abstract rotate(next: SigningKey): Promise<void>;
  /** Keys retired at or after `since` (ISO instant). */
  abstract findRetiredSince(since: string): Promise<SigningKey[]>;
}
