import type { UserMessage, UserSummaryMessage } from '@convene/contracts';
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

/** Who a user is, as another person may be shown them (no roles, no dates). */
export function toUserSummary(user: User): UserSummaryMessage {
  return { id: user.id, email: user.email, displayName: user.displayName };
}
