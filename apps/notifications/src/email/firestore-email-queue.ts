import { type Firestore, Timestamp } from '@google-cloud/firestore';
import { Logger } from '@nestjs/common';
import { GrpcStatus, hasGrpcCode } from '@convene/common';
import type { Notice, Recipient } from '../notices/notice';
import { type ComposedEmail, EmailQueue } from '../notices/ports';
import { emailOutbox, type EmailRecord } from './email-record';

/** Firestore allows 500 writes per batch. */
const ERASE_PAGE = 400;

/**
 * `emailOutbox/{id}`: each email recorded once (create, not set: a record that exists is already
 * queued or sent), then sent by the EmailSender, which is woken here and also polls.
 */
export class FirestoreEmailQueue extends EmailQueue {
  private readonly logger = new Logger(FirestoreEmailQueue.name);

  constructor(
    private readonly firestore: Firestore,
    /** The sender; a missed wake-up only delays the email until its next poll. */
    private readonly sender?: { kick(): void },
  ) {
    super();
  }

  async enqueue(id: string, recipient: Recipient, email: ComposedEmail, notice: Notice): Promise<boolean> {
    if (!recipient.email) {
      this.logger.warn({ message: 'email not queued: the recipient has no address', kind: notice.kind });
      return false;
    }
    const now = Timestamp.now();
    const record: EmailRecord = {
      to: recipient.email,
      toName: recipient.displayName,
      recipientId: recipient.userId,
      kind: notice.kind,
      sourceId: notice.sourceId,
      eventId: notice.event?.id ?? null,
      subject: email.subject,
      text: email.text,
      html: email.html,
      calendar: email.calendar ?? null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
      createdAt: now,
      sentAt: null,
    };
    try {
      await emailOutbox(this.firestore).doc(id).create(record);
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) return false;
      throw error;
    }
    this.sender?.kick();
    return true;
  }

  /**
   * Erasure: deletes every email record addressed to `userId`. Unsent ones are never sent; sent and
   * failed ones go too, since each holds the person's address, name and what they were told.
   * Idempotent. An email a sender already took may still go out.
   */
  async forgetRecipient(userId: string): Promise<void> {
    let deleted = 0;
    for (;;) {
      const page = await emailOutbox(this.firestore).where('recipientId', '==', userId).limit(ERASE_PAGE).get();
      if (page.empty) break;
      const batch = this.firestore.batch();
      for (const doc of page.docs) batch.delete(doc.ref);
      await batch.commit();
      deleted += page.size;
    }
    this.logger.log({ message: 'erased a deleted user’s email records', deleted });
  }
}
