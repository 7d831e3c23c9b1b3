import type { UserMessage } from '@convene/contracts';
import type { User } from './user';

/** The public view of a user: named field by field so the password hash can never leak out. */
export function toUserMessage(user: User): UserMessage {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    roles: [...user.roles],
    createdAt: user.createdAt,
  };
}
