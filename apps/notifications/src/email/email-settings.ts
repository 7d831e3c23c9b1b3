import type { NotificationsConfig } from '../notifications.config';
import type { RetryPolicy } from './retry-policy';
import type { SmtpSettings } from './smtp-transport';

/** A mailbox: `Convene <no-reply@convene.test>` is { name: 'Convene', address: 'no-reply@convene.test' }. */
export interface Mailbox {
  name: string;
  address: string;
}

export interface ComposerSettings {
  /** The web app's origin; notice links are paths under it. */
  webBaseUrl: string;
  /** The sender: also the invites' ORGANIZER. */
  from: Mailbox;
}

export interface SenderSettings {
  from: Mailbox;
  pollIntervalMs: number;
  retry: RetryPolicy;
}

export interface EmailSettings {
  composer: ComposerSettings;
  sender: SenderSettings;
  smtp: SmtpSettings;
}

// `Name <address>`, `"Name" <address>` or a bare address.
export const MAILBOX = /^\s*(?:"?([^"<>]*?)"?\s*<([^<>\s@]+@[^<>\s@]+)>|([^<>\s@"]+@[^<>\s@"]+))\s*$/;

export function isMailbox(value: string): boolean {
  return MAILBOX.test(value);
}

export function parseMailbox(value: string, defaultName = 'Convene'): Mailbox {
  const match = MAILBOX.exec(value);
  if (!match) throw new TypeError(`not a mailbox: ${JSON.stringify(value)}`);
  const address = match[2] ?? match[3];
  return { name: match[1]?.trim() || defaultName, address };
}

export function emailSettingsFrom(config: NotificationsConfig): EmailSettings {
  const from = parseMailbox(config.MAIL_FROM);
  return {
    composer: { webBaseUrl: config.WEB_BASE_URL.replace(/\/+$/, ''), from },
    sender: {
      from,
      pollIntervalMs: config.EMAIL_POLL_MS,
      retry: {
        baseMs: config.EMAIL_RETRY_BASE_MS,
        maxDelayMs: config.EMAIL_RETRY_MAX_DELAY_MS,
        maxAttempts: config.EMAIL_MAX_ATTEMPTS,
      },
    },
    smtp: {
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, password: config.SMTP_PASSWORD ?? '' } } : {}),
    },
  };
}
