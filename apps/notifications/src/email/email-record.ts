import type { CollectionReference, Firestore, Timestamp } from '@google-cloud/firestore';
import type { NoticeKind } from '../notices/notice';
import type { CalendarMethod } from './ics';

export type EmailStatus = 'pending' | 'sent' | 'failed';

/** One email to send (or sent, or given up on): `emailOutbox/{id}`. */
export interface EmailRecord {
  readonly to: string;
  readonly toName: string;
  readonly recipientId: string;
  readonly kind: NoticeKind;
  /** What caused it (the notice's sourceId), for tracing an email back to its message. */
  readonly sourceId: string;
  readonly eventId: string | null;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly calendar: { method: CalendarMethod; ics: string } | null;
  readonly status: EmailStatus;
  /** Send attempts made so far. */
  readonly attempts: number;
  /**
   * When a sender may next take it: now, after a backoff, or after another sender's lease runs out.
   * Null once sent or failed, so "what is due" is one range query on this field alone (Firestore's
   * automatic single-field index) rather than a composite index on status and time.
   */
  readonly nextAttemptAt: Timestamp | null;
  readonly lastError: string | null;
  readonly createdAt: Timestamp;
  readonly sentAt: Timestamp | null;
}

export const EMAIL_OUTBOX = 'emailOutbox';

export function emailOutbox(firestore: Firestore): CollectionReference<EmailRecord> {
  return firestore.collection(EMAIL_OUTBOX) as CollectionReference<EmailRecord>;
}

/**
 * The email's Message-ID, the same on every attempt: if a send is repeated (a sender died between
 * sending and recording it), receiving systems see one message twice, which many collapse into one.
 */
export function messageIdOf(recordId: string, domain: string): string {
  // The left part must be a dot-atom (RFC 5322 §3.6.4); ids are uuid-shaped, anything else is spelled out.
  const left = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+(\.[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+)*$/.test(recordId)
    ? recordId
    : Buffer.from(recordId, 'utf8').toString('hex');
  return `<${left}@${domain}>`;
}
