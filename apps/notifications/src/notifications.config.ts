import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { BaseServiceConfig, IntSetting, IsHostPort } from '@convene/common';
import { MAILBOX } from './email/email-settings';

export class NotificationsConfig extends BaseServiceConfig {
  override HTTP_PORT = 3005;

  /** The gRPC API (inbox, live stream, preferences, webhooks) the gateway calls. */
  @IntSetting(1, 65535)
  GRPC_PORT = 50055;

  /** The events service (an event's facts when a message about it arrives before them). */
  @IsHostPort()
  EVENTS_GRPC_URL = '127.0.0.1:50052';

  /** Deadline of calls to events (ms). */
  @IntSetting(100, 60_000)
  GRPC_DEADLINE_MS = 5000;

  /** People told per fan-out page (an event's change or cancellation, reminders). */
  @IntSetting(1, 500)
  FANOUT_PAGE_SIZE = 200;

  /** How long a fan-out worker holds a job between pages before another may take it over (ms). */
  @IntSetting(1000, 600_000)
  FANOUT_LEASE_MS = 30_000;

  /** How often fan-out jobs nobody woke a worker for are looked for (e.g. left by a crash) (ms). */
  @IntSetting(50, 60_000)
  FANOUT_POLL_MS = 2000;

  /**
   * `in-process`: this process checks for due reminders every REMINDER_POLL_MS (local runs);
   * `external`: only `POST /internal/reminders/run` does (a Kubernetes CronJob calls it).
   */
  @IsIn(['in-process', 'external'])
  REMINDER_MODE: 'in-process' | 'external' = 'in-process';

  @IntSetting(1000, 3_600_000)
  REMINDER_POLL_MS = 60_000;

  /** Deliveries of one message before it goes to its dead-letter topic. Pub/Sub allows 5–100. */
  @IntSetting(5, 100)
  PUBSUB_MAX_DELIVERY_ATTEMPTS = 5;

  /**
   * Lets webhook endpoints target private, loopback and link-local addresses (local development and
   * tests only): otherwise an organizer could make the service call into its own network (SSRF).
   */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: '$property must be true or false' })
  WEBHOOK_ALLOW_PRIVATE_TARGETS = false;

  /** Delay before a failed webhook delivery's first retry; it doubles (with jitter) up to the maximum. */
  @IntSetting(10, 3_600_000)
  WEBHOOK_RETRY_BASE_MS = 30_000;

  @IntSetting(10, 86_400_000)
  WEBHOOK_RETRY_MAX_DELAY_MS = 3_600_000;

  /** How long after its first attempt a delivery is retried before it fails (and disables its endpoint). */
  @IntSetting(1000, 7 * 86_400_000)
  WEBHOOK_RETRY_WINDOW_MS = 86_400_000;

  /** Consecutive failed attempts (across deliveries) after which an endpoint is disabled. */
  @IntSetting(1, 1000)
  WEBHOOK_DISABLE_AFTER_FAILURES = 15;

  /** Per attempt: DNS, connection, and the receiver's answer. */
  @IntSetting(100, 60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** How often the delivery worker looks for due deliveries it was not woken for. */
  @IntSetting(20, 60_000)
  WEBHOOK_POLL_MS = 1000;

  // Email (SMTP). Locally `npm start` and `npm test` run a mail catcher and point these at it.

  @IsString()
  @IsNotEmpty()
  SMTP_HOST = '127.0.0.1';

  @IntSetting(1, 65535)
  SMTP_PORT = 1025;

  /** TLS from the first byte (port 465). Otherwise STARTTLS is used when the server offers it. */
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: '$property must be true or false' })
  SMTP_SECURE = false;

  /** Set both to authenticate; neither for a server that takes mail without (the local catcher). */
  @IsOptional()
  @IsString()
  SMTP_USER?: string;

  /** A secret: never logged, even when invalid. */
  @ValidateIf((config: NotificationsConfig) => config.SMTP_USER !== undefined)
  @IsString({ message: '$property is required when SMTP_USER is set' })
  @IsNotEmpty({ message: '$property is required when SMTP_USER is set' })
  SMTP_PASSWORD?: string;

  /** The sender of every email, `Name <address>` or an address; also the calendar invites' organizer. */
  @Matches(MAILBOX, { message: '$property must be an email address or Name <address>' })
  MAIL_FROM = 'Convene <no-reply@convene.test>';

  /** The web app's origin: links in emails are paths under it. */
  @Matches(/^https?:\/\/[^/\s]+(\/[^\s]*)?$/, { message: '$property must be an http(s) URL' })
  WEB_BASE_URL = 'http://localhost:5173';

  /** Delay before a failed email's first retry; it doubles (with jitter) up to the maximum. */
  @IntSetting(10, 3_600_000)
  EMAIL_RETRY_BASE_MS = 30_000;

  @IntSetting(10, 86_400_000)
  EMAIL_RETRY_MAX_DELAY_MS = 3_600_000;

  /** Send attempts before a transient failure (no connection, SMTP 4xx) is recorded as final. */
  @IntSetting(1, 100)
  EMAIL_MAX_ATTEMPTS = 10;

  /** How often the sender looks for due emails it was not woken for (retries, a crashed replica's). */
  @IntSetting(20, 60_000)
  EMAIL_POLL_MS = 1000;
}
