import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { Clock, DomainError, type FieldError, hasRole, type Identity } from '@convene/common';
import {
  DISPLAY_NAME_LIMITS,
  UserDeletedV1,
  UserRegisteredV1,
  type Role,
  type RoleChangeMessage,
  type SessionMessage,
  type UserMessage,
} from '@convene/contracts';
import { AuthConfig } from '../auth.config';
import { PasswordHasher } from '../passwords/password-hasher';
import { assertAcceptablePassword } from '../passwords/password-policy';
import { LoginThrottleService } from '../throttling/login-throttle.service';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { TokensService } from '../tokens/tokens.service';
import { emailProblem, normalizeEmail } from './email';
import { isRole, withRole } from './roles';
import type { User } from './user';
import { toUserMessage } from './user-message';
import { UsersRepository } from './users.repository';

export interface Registration {
  email: string;
  password: string;
  displayName: string;
}

export interface Credentials {
  email: string;
  password: string;
}

/** Accounts: registration, login, the caller's own profile, and roles. */
@Injectable()
export class AccountsService {
  private readonly adminEmails: ReadonlySet<string>;

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottleService,
    private readonly tokens: TokensService,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {
    this.adminEmails = new Set(config.ADMIN_EMAILS.map(normalizeEmail));
  }

  async register(input: Registration): Promise<SessionMessage> {
    const email = normalizeEmail(input.email ?? '');
    const displayName = (input.displayName ?? '').trim();
    const errors: FieldError[] = [];
    const badEmail = emailProblem(email);
    if (badEmail) errors.push({ field: 'email', message: badEmail });
    const nameProblem = checkDisplayName(displayName);
    if (nameProblem) errors.push({ field: 'displayName', message: nameProblem });
    if (errors.length > 0) throw validationFailed(errors);
    assertAcceptablePassword(input.password ?? '', email);

    const now = this.clock.now().toISOString();
    const roles: Role[] = this.adminEmails.has(email) ? ['attendee', 'admin'] : ['attendee'];
    const user: User = {
      id: randomUUID(),
      email,
      displayName,
      roles,
      passwordHash: await this.passwords.hash(input.password),
      createdAt: now,
    };
    const registered = plainToInstance(UserRegisteredV1, {
      userId: user.id,
      email: user.email,
      displayName: user.displayName,
      registeredAt: now,
    });
    await this.users.create(user, [registered]);
    return this.tokens.startSession(user);
  }

  /**
   * Unknown email and wrong password get the same answer after the same work (a dummy Argon2
   * verification) and count against the same throttles, so neither reveals whether an account exists.
   */
  async login(input: Credentials, clientIp: string): Promise<SessionMessage> {
    const email = normalizeEmail(input.email ?? '');
    const password = input.password ?? '';
    await this.throttle.assertAllowed(email, clientIp);
    const found = await this.users.findByEmail(email);
    const valid = found
      ? await this.passwords.verify(found.passwordHash, password)
      : await this.passwords.verifyDummy(password);
    if (!found || !valid) {
      await this.throttle.recordFailure(email, clientIp);
      throw new DomainError('INVALID_CREDENTIALS', 'the email or password is wrong');
    }
    await this.throttle.recordSuccess(email, clientIp);
    let user = found;
    if (this.adminEmails.has(email) && !user.roles.includes('admin')) {
      user = (await this.addRole(user.id, 'admin')) ?? user;
    }
    return this.tokens.startSession(user);
  }

  async getMe(caller: Identity): Promise<UserMessage> {
    return toUserMessage(await this.existing(caller.userId));
  }

  async updateMe(caller: Identity, changes: { displayName?: string }): Promise<UserMessage> {
    if (changes.displayName === undefined) return this.getMe(caller);
    const displayName = changes.displayName.trim();
    const problem = checkDisplayName(displayName);
    if (problem) throw validationFailed([{ field: 'displayName', message: problem }]);
    const updated = await this.users.update(caller.userId, (current) => ({
      user: { ...current, displayName },
      messages: [],
    }));
    if (!updated) throw userNotFound(caller.userId);
    return toUserMessage(updated);
  }

  /**
   * Erases the account and its email claim and announces `user.deleted` in one transaction, then ends
   * every session. Should the last step fail, refresh still refuses: it needs the user to exist.
   */
  async deleteMe(caller: Identity): Promise<void> {
    const deletedAt = this.clock.now().toISOString();
    const deleted = await this.users.delete(caller.userId, (user) => [
      plainToInstance(UserDeletedV1, { userId: user.id, deletedAt }),
    ]);
    if (!deleted) throw userNotFound(caller.userId);
    await this.tokens.endAllSessions(caller.userId);
  }

  /** Self-service: the caller becomes an organizer and gets a token that says so. */
  async becomeOrganizer(caller: Identity): Promise<RoleChangeMessage> {
    const user = await this.addRole(caller.userId, 'organizer');
    if (!user) throw userNotFound(caller.userId);
    return { user: toUserMessage(user), ...(await this.accessTokens.issue(user)) };
  }

  /** Admins only. Takes effect in the user's next access token (at the latest at their next refresh). */
  async grantRole(caller: Identity, userId: string, role: string): Promise<UserMessage> {
    if (!hasRole(caller, 'admin')) throw new DomainError('FORBIDDEN', 'only an admin may grant roles');
    if (!isRole(role)) {
      throw validationFailed([{ field: 'role', message: 'role must be one of attendee, organizer, admin' }]);
    }
    const user = await this.addRole(userId, role);
    if (!user) throw userNotFound(userId);
    return toUserMessage(user);
  }

  private addRole(userId: string, role: Role): Promise<User | undefined> {
    return this.users.update(userId, (current) => ({
      user: { ...current, roles: withRole(current.roles, role) },
      messages: [],
    }));
  }

  private async existing(userId: string): Promise<User> {
    const user = await this.users.findById(userId);
    if (!user) throw userNotFound(userId);
    return user;
  }
}

function checkDisplayName(displayName: string): string | undefined {
  const length = [...displayName].length;
  if (length < DISPLAY_NAME_LIMITS.min || length > DISPLAY_NAME_LIMITS.max) {
    return `displayName must be ${DISPLAY_NAME_LIMITS.min} to ${DISPLAY_NAME_LIMITS.max} characters long`;
  }
  return undefined;
}

function validationFailed(errors: FieldError[]): DomainError {
  return new DomainError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
}

function userNotFound(userId: string): DomainError {
  return new DomainError('USER_NOT_FOUND', `user ${userId} does not exist`);
}
