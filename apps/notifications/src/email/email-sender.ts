import {
  type DocumentReference,
  FieldValue,
  type Firestore,
  Timestamp,
  type UpdateData,
} from '@google-cloud/firestore';
import {
  type BeforeApplicationShutdown,
  Logger,
  type LoggerService,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { GrpcStatus, hasGrpcCode, WorkLoop } from '@convene/common';
import type { SenderSettings } from './email-settings';
import type { EmailMetrics } from './email.metrics';
import { emailOutbox, type EmailRecord, messageIdOf } from './email-record';
import { retryDelay } from './retry-policy';
import { classifySmtpFailure } from './smtp-failure';
import { MAX_SEND_MS, type MailTransport, type OutgoingEmail } from './smtp-transport';

export interface EmailSenderOptions extends SenderSettings {
  /** Records taken per pass (default 20). */
  batchSize?: number;
  /** How long a claimed record is hidden from other senders; must outlast a send (default: MAX_SEND_MS + 30 s). */
  leaseMs?: number;
  /** The jitter's source (tests pin it). */
  random?: () => number;
  logger?: LoggerService;
}

type Claimed = { ref: DocumentReference<EmailRecord>; record: EmailRecord };

/** Log a record's transient failures on these attempts only: an SMTP outage must not flood the log. */
const shouldLogRetry = (attempts: number): boolean => attempts === 1 || attempts % 5 === 0;

/**
 * Sends the queued emails over SMTP for the application's lifetime: woken when one is queued, and
 * polling for the rest (retries coming due, records a crashed replica had claimed). Each record is
 * claimed with a lease (its nextAttemptAt pushed forward in a transaction), so two replicas rarely
 * send the same email; if one does, both copies carry the same Message-ID.
 *
 * A transient failure (no connection, timeout, SMTP 4xx) is retried with exponential backoff and
 * jitter up to the attempt limit; a permanent one (SMTP 5xx: unknown mailbox, refused address) is
 * recorded as `failed` with the server's reason and never retried.
 */
export class EmailSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger: LoggerService;
  private readonly loop: WorkLoop;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly messageIdDomain: string;
  /** Serializes passes (the loop's and any direct drainOnce). */
  private draining: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly firestore: Firestore,
    private readonly transport: MailTransport,
    private readonly options: EmailSenderOptions,
    private readonly metrics?: EmailMetrics,
  ) {
    this.logger = options.logger ?? new Logger(EmailSender.name);
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? MAX_SEND_MS + 30_000;
    this.messageIdDomain = options.from.address.split('@').pop() || 'convene';
    this.loop = new WorkLoop(async () => (await this.pass()).due === this.batchSize, {
      name: 'email sender',
      pollIntervalMs: options.pollIntervalMs,
      logger: this.logger,
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  /** Before shutdown, so the Firestore client (closed on shutdown) outlives the last pass. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.draining;
    this.transport.close();
  }

  /** Sends now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /** One pass over the due records; resolves to how many were sent. Never overlaps another pass. */
  async drainOnce(): Promise<number> {
    return (await this.pass()).sent;
  }

  private pass(): Promise<{ due: number; sent: number }> {
    const pass = this.draining.then(async () => {
      const due = await this.dueRecords();
      if (due.length === 0) return { due: 0, sent: 0 };
      let claimed: Claimed[];
      try {
        claimed = await this.claim(due);
      } catch (error) {
        this.logger.warn({ message: `claiming ${due.length} emails failed`, error: String(error) });
        return { due: due.length, sent: 0 };
      }
      const outcomes = await Promise.all(claimed.map((c) => this.deliver(c)));
      return { due: due.length, sent: outcomes.filter(Boolean).length };
    });
    this.draining = pass.catch(() => undefined);
    return pass;
  }

  private async dueRecords(): Promise<DocumentReference<EmailRecord>[]> {
    const snapshot = await emailOutbox(this.firestore)
      .where('nextAttemptAt', '<=', Timestamp.now())
      .orderBy('nextAttemptAt')
      .limit(this.batchSize)
      .get();
    return snapshot.docs.map((doc) => doc.ref);
  }

  /** Takes the records still pending and due, hiding them from other senders for the lease. */
  private claim(refs: DocumentReference<EmailRecord>[]): Promise<Claimed[]> {
    return this.firestore.runTransaction(async (tx) => {
      const snapshots = await tx.getAll(...refs);
      const now = Date.now();
      const claimed = snapshots.flatMap((snapshot) => {
        const record = snapshot.data();
        if (!record || record.status !== 'pending' || !record.nextAttemptAt) return [];
        if (record.nextAttemptAt.toMillis() > now) return [];
        return [{ ref: snapshot.ref, record }];
      });
      for (const { ref } of claimed) tx.update(ref, { nextAttemptAt: Timestamp.fromMillis(now + this.leaseMs) });
      return claimed;
    });
  }

  /** Sends one claimed record and records the outcome. True when the server accepted it. */
  private async deliver({ ref, record }: Claimed): Promise<boolean> {
    try {
      await this.transport.send(this.outgoing(ref.id, record));
    } catch (error) {
      await this.recordFailure(ref, record, error);
      return false;
    }
    this.metrics?.sent(record.kind);
    await this.update(ref, {
      status: 'sent',
      attempts: record.attempts + 1,
      sentAt: FieldValue.serverTimestamp(),
      nextAttemptAt: null,
      lastError: null,
    });
    return true;
  }

  private async recordFailure(ref: DocumentReference<EmailRecord>, record: EmailRecord, error: unknown): Promise<void> {
    const attempts = record.attempts + 1;
    const failure = classifySmtpFailure(error);
    const { retry } = this.options;
    if (failure.permanent || attempts >= retry.maxAttempts) {
      const lastError = failure.permanent ? failure.reason : `gave up after ${attempts} attempts: ${failure.reason}`;
      this.metrics?.failed(record.kind, failure.permanent ? 'permanent' : 'exhausted');
      this.logger.warn({
        message: failure.permanent ? 'email refused: recorded as failed' : 'email failed on every attempt',
        id: ref.id,
        kind: record.kind,
        attempts,
        reason: withoutAddresses(lastError),
      });
      await this.update(ref, { status: 'failed', attempts, nextAttemptAt: null, lastError });
      return;
    }
    const delay = retryDelay(attempts, retry, this.options.random);
    this.metrics?.retried(record.kind);
    if (shouldLogRetry(attempts)) {
      this.logger.warn({
        message: 'email not sent, will retry',
        id: ref.id,
        kind: record.kind,
        attempts,
        retryInMs: delay,
        reason: withoutAddresses(failure.reason),
      });
    }
    await this.update(ref, {
      attempts,
      nextAttemptAt: Timestamp.fromMillis(Date.now() + delay),
      lastError: failure.reason,
    });
  }

  private async update(ref: DocumentReference<EmailRecord>, data: UpdateData<EmailRecord>): Promise<void> {
    try {
      await ref.update(data);
    } catch (error) {
      // Erased meanwhile (forgetRecipient): nothing left to record.
      if (hasGrpcCode(error, GrpcStatus.NOT_FOUND)) return;
      // The lease still runs out: the record is taken again later (a sent one goes out twice, with the
      // same Message-ID).
      this.logger.warn({ message: 'recording an email outcome failed', id: ref.id, error: String(error) });
    }
  }

  private outgoing(id: string, record: EmailRecord): OutgoingEmail {
    return {
      messageId: messageIdOf(id, this.messageIdDomain),
      from: this.options.from,
      to: { name: record.toName, address: record.to },
      subject: record.subject,
      text: record.text,
      html: record.html,
      ...(record.calendar ? { calendar: record.calendar } : {}),
    };
  }
}

/** SMTP replies often quote the recipient's address: keep it out of the logs. */
function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>@"']+@[^\s<>@"']+/g, '<address>');
}
