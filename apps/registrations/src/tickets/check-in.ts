import type { DocumentData, Timestamp } from '@google-cloud/firestore';
import { fromTimestamp, toTimestamp } from '@convene/firestore';

/**
 * `checkins/{registrationId}`: a ticket's one check-in. Created once, in the transaction that marks the
 * registration, so its existence is what "already checked in" means. The scanner's nonce is kept so a
 * retried scan (same nonce) gets the first answer again instead of a 409.
 */
export interface CheckInRecord {
  eventId: string;
  checkedInAt: string;
  checkedInBy: string;
  nonce?: string;
}

/** What the door sees after a scan. */
export interface CheckInResult {
  registrationId: string;
  eventId: string;
  holderName: string;
  checkedInAt: string;
  checkedInBy: string;
}

export function toCheckInDocument(record: CheckInRecord): DocumentData {
  return { ...record, checkedInAt: toTimestamp(record.checkedInAt), nonce: record.nonce ?? null };
}

export function fromCheckInDocument(data: DocumentData): CheckInRecord {
  return {
    eventId: data.eventId,
    checkedInAt: fromTimestamp(data.checkedInAt as Timestamp),
    checkedInBy: data.checkedInBy,
    nonce: data.nonce ?? undefined,
  };
}
