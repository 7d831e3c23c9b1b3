import { Clock, loadConfig } from '@convene/common';
import { AccountsService } from '../accounts/accounts.service';
import { InMemoryUsersRepository } from '../accounts/in-memory-users.repository';
import { UserLookupService } from '../accounts/user-lookup.service';
import { AuthConfig } from '../auth.config';
import { PasswordHasher } from '../passwords/password-hasher';
import { InMemorySigningKeysRepository } from '../signing-keys/in-memory-signing-keys.repository';
import { SigningKeysService } from '../signing-keys/signing-keys.service';
import { InMemoryLoginThrottlesRepository } from '../throttling/in-memory-login-throttles.repository';
import { LoginThrottleService } from '../throttling/login-throttle.service';
import { AccessTokenIssuer } from '../tokens/access-token.issuer';
import { InMemoryRefreshTokensRepository } from '../tokens/in-memory-refresh-tokens.repository';
import { TokensService } from '../tokens/tokens.service';

export class FixedClock extends Clock {
  constructor(public instant: Date) {
    super();
  }
  override now(): Date {
    return this.instant;
  }
  advance(ms: number): void {
    this.instant = new Date(this.instant.getTime() + ms);
  }
}

/** The auth services wired on in-memory fakes, for unit tests. */
export function authTestKit(env: Record<string, string> = {}) {
  const config = loadConfig(AuthConfig, env);
  const clock = new FixedClock(new Date('2030-01-01T12:00:00Z'));
  const users = new InMemoryUsersRepository();
  const refreshTokens = new InMemoryRefreshTokensRepository();
  const signingKeysRepository = new InMemorySigningKeysRepository();
  const throttles = new InMemoryLoginThrottlesRepository();
  const passwords = new PasswordHasher();
  const signingKeys = new SigningKeysService(signingKeysRepository, clock, config);
  const accessTokens = new AccessTokenIssuer(signingKeys, clock);
  const tokens = new TokensService(refreshTokens, users, accessTokens, config, clock);
  const throttle = new LoginThrottleService(throttles, config, clock);
  const accounts = new AccountsService(users, passwords, throttle, tokens, accessTokens, config, clock);
  const lookup = new UserLookupService(users);
  return {
    config,
    clock,
    users,
    refreshTokens,
    signingKeys,
    accessTokens,
    tokens,
    throttle,
    accounts,
    lookup,
    passwords,
  };
}

export async function rejection(
  promise: Promise<unknown>,
): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected a rejection');
}
