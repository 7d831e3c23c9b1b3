import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock, DomainError } from '@convene/common';
import { AuthConfig } from '../auth.config';
import { LoginThrottlesRepository } from './login-throttles.repository';
import { afterFailure, retryAfterSeconds } from './throttle-window';

/**
 * Limits failed logins per (email, client IP) and per client IP, in fixed windows. Keying the account
 * limit by IP too means an attacker cannot lock the owner out from their own address. Unknown emails
 * are counted exactly like known ones, so the answers never reveal whether an account exists.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    private readonly throttles: LoginThrottlesRepository,
    private readonly config: AuthConfig,
    private readonly clock: Clock,
  ) {}

  /** Throws TOO_MANY_ATTEMPTS (with retryAfterSeconds) when either limit is reached. */
  async assertAllowed(normalizedEmail: string, clientIp: string): Promise<void> {
    const now = this.clock.now();
    const windowMs = this.windowMs();
    const [accountIp, ip] = await Promise.all([
      this.throttles.find(accountIpKey(normalizedEmail, clientIp)),
      this.throttles.find(ipKey(clientIp)),
    ]);
    const waits = [
      retryAfterSeconds(accountIp, now, windowMs, this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT_IP),
      retryAfterSeconds(ip, now, windowMs, this.config.LOGIN_MAX_FAILURES_PER_IP),
    ].filter((wait): wait is number => wait !== undefined);
    if (waits.length > 0) {
      const retryAfter = Math.max(...waits);
      throw new DomainError('TOO_MANY_ATTEMPTS', `too many failed logins; try again in ${retryAfter} s`, {
        retryAfterSeconds: retryAfter,
      });
    }
  }

  async recordFailure(normalizedEmail: string, clientIp: string): Promise<void> {
    const now = this.clock.now();
    const windowMs = this.windowMs();
    const count = (current: Parameters<typeof afterFailure>[0]) => afterFailure(current, now, windowMs);
    await Promise.all([
      this.throttles.update(accountIpKey(normalizedEmail, clientIp), count),
      this.throttles.update(ipKey(clientIp), count),
    ]);
  }

  /** A successful login clears the (email, IP) counter; the IP's counter keeps counting others. */
  async recordSuccess(normalizedEmail: string, clientIp: string): Promise<void> {
    await this.throttles.delete(accountIpKey(normalizedEmail, clientIp));
  }

  private windowMs(): number {
    return this.config.LOGIN_FAILURE_WINDOW_SECONDS * 1000;
  }
}

// Document ids are hashes: emails and addresses are personal data and need not be readable here.
function accountIpKey(normalizedEmail: string, clientIp: string): string {
  return sha256(`account-ip\n${normalizedEmail}\n${clientIp}`);
}

function ipKey(clientIp: string): string {
  return sha256(`ip\n${clientIp}`);
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
