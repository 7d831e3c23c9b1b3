import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError, hasRole, invalidField, type Identity } from '@convene/common';
import { GET_USERS_MAX, type UserSummaryMessage } from '@convene/contracts';
import { emailProblem, normalizeEmail } from './email';
import { toUserSummary } from './user-message';
import { UsersRepository } from './users.repository';

/**
 * Who other accounts are, for another service's screens (an event's staff, with names and emails).
 * Auth cannot tell whether the caller may see a given person: the caller asks only for ids another
 * owner authorized it to show (the gateway: ids events listed for that viewer).
 */
@Injectable()
export class UserLookupService {
  constructor(private readonly users: UsersRepository) {}

  /** The accounts among `ids` (at most GET_USERS_MAX uuids), in the order asked; unknown ids are left out. */
  async getUsers(ids: string[]): Promise<UserSummaryMessage[]> {
    if (ids.length > GET_USERS_MAX) throw invalidField('ids', `ids may name at most ${GET_USERS_MAX} users`);
    // Ids become document paths: anything but a uuid is refused before it reaches one.
    if (!ids.every((id) => isUUID(id))) throw invalidField('ids', 'ids must be UUIDs');
    const users = await this.users.findByIds([...new Set(ids)]);
    return users.map(toUserSummary);
  }

  /**
   * The account with this email, compared as login compares it (normalized, exact), or USER_NOT_FOUND.
   * Organizers and admins only: it is how an organizer names check-in staff.
   */
  async findByEmail(caller: Identity, email: string): Promise<UserSummaryMessage> {
    if (!hasRole(caller, 'organizer', 'admin')) {
      throw new DomainError('FORBIDDEN', 'only organizers and admins look accounts up by email');
    }
    const normalized = normalizeEmail(email ?? '');
    const problem = emailProblem(normalized);
    if (problem) throw invalidField('email', problem);
    const user = await this.users.findByEmail(normalized);
    if (!user) throw new DomainError('USER_NOT_FOUND', 'no account has this email');
    return toUserSummary(user);
  }
}
