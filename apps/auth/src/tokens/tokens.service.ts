import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@convene/common';
import type { SessionMessage } from '@convene/contracts';
import { AuthConfig } from '../auth.config';
import { toUserMessage } from '../accounts/user-message';
import { UsersRepository } from '../accounts/users.repository';
import type { User } from '../accounts/user';
import { AccessTokenIssuer } from './access-token.issuer';
import { decideRotation } from './refresh-rotation';
import { hashRefreshToken, looksLikeRefreshToken, newRefreshToken } from './refresh-token';
import { RefreshTokensRepository } from './refresh-tokens.repository';

const DAY_MS = 86_400_000;

/** Sessions: an access token plus a rotating refresh token whose reuse revokes its whole family. */
@Injectable()
export class TokensService {
  constructor(
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly users: UsersRepository,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  /** A new session (new refresh-token family) for a user who just proved who they are. */
  async startSession(user: User): Promise<SessionMessage> {
    const { token, hash } = newRefreshToken();
    const familyId = randomUUID();
    await this.refreshTokens.createFamily(
      { id: familyId, userId: user.id },
      { hash, userId: user.id, familyId, expiresAt: this.refreshExpiry() },
    );
    return { user: toUserMessage(user), ...(await this.accessTokens.issue(user)), refreshToken: token };
  }

  /**
   * Exchanges a refresh token for a new pair. Each token works once: a second use means a copy is in
   * someone else's hands, so the family is revoked and both holders must log in again.
   */
  async refresh(refreshToken: string): Promise<SessionMessage> {
    if (!looksLikeRefreshToken(refreshToken)) throw refreshTokenInvalid();
    const now = this.clock.now();
    const { token: nextToken, hash: nextHash } = newRefreshToken();
    const decision = await this.refreshTokens.rotate(
      hashRefreshToken(refreshToken),
      now.toISOString(),
      (token, family) =>
        decideRotation(token, family, now, (current) => ({
          hash: nextHash,
          userId: current.userId,
          familyId: current.familyId,
          expiresAt: this.refreshExpiry(),
        })),
    );
    if (decision.kind !== 'rotate') throw refreshTokenInvalid();
    // The token carries the user's current roles, not those of the login that started the family.
    const user = await this.users.findById(decision.next.userId);
    if (!user) {
      await this.refreshTokens.revokeFamily(decision.next.familyId, now.toISOString());
      throw refreshTokenInvalid();
    }
    return { user: toUserMessage(user), ...(await this.accessTokens.issue(user)), refreshToken: nextToken };
  }

  /** Ends the session of this token. Says nothing about whether the token existed. */
  async logout(refreshToken: string): Promise<void> {
    if (!looksLikeRefreshToken(refreshToken)) return;
    await this.refreshTokens.revokeFamilyOf(hashRefreshToken(refreshToken), this.clock.now().toISOString());
  }

  async endAllSessions(userId: string): Promise<void> {
    await this.refreshTokens.revokeAllOfUser(userId, this.clock.now().toISOString());
  }

  private refreshExpiry(): string {
    return new Date(this.clock.now().getTime() + this.config.REFRESH_TOKEN_TTL_DAYS * DAY_MS).toISOString();
  }
}

function refreshTokenInvalid(): DomainError {
  return new DomainError('REFRESH_TOKEN_INVALID', 'the refresh token is invalid, expired or revoked; log in again');
}
