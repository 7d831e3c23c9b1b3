import { DomainError } from '@convene/common';
import type { User } from './user';

/** What a change to a user commits: the new state and the domain messages announcing it. */
export interface UserChange {
  user: User;
  /** Instances of @convene/contracts message classes; written to the outbox in the same transaction. */
  messages: object[];
}

/** Storage of users and their unique emails. No business rules: the service decides. */
export abstract class UsersRepository {
  /**
   * Creates the user, claims its email and records its messages atomically. Throws DomainError
   * EMAIL_TAKEN if another user holds the email, even when both registrations race.
   */
  abstract create(user: User, messages: object[]): Promise<void>;
  abstract findById(id: string): Promise<User | undefined>;
  abstract findByEmail(normalizedEmail: string): Promise<User | undefined>;
  /** The users among `ids` that exist, in the order of `ids` (one batched read). */
  abstract findByIds(ids: string[]): Promise<User[]>;
  /** Reads, lets `change` decide (it may throw; then nothing is written), commits. Undefined if absent. */
  abstract update(id: string, change: (current: User) => UserChange): Promise<User | undefined>;
  /** Deletes the user and releases its email, with the messages `messages(user)` returns. Undefined if absent. */
  abstract delete(id: string, messages: (current: User) => object[]): Promise<User | undefined>;
}

export function emailTaken(): DomainError {
  return new DomainError('EMAIL_TAKEN', 'an account with this email already exists');
}
