import { FieldPath, Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { retryOnContention } from '@convene/firestore';

/**
 * A registration as notifications last heard of it. `event-cancelled` marks one that ended because
 * its event was cancelled: those people are still told about the cancellation (registrations may end
 * them before notifications processes `event.cancelled`).
 */
export type AudienceStatus = 'confirmed' | 'waitlisted' | 'cancelled' | 'event-cancelled';

export interface AudienceEntry {
  eventId: string;
  registrationId: string;
  userId: string;
  status: AudienceStatus;
  version: number;
}

/** Who is told about an event: its confirmed and waitlisted people (plus those its cancellation ended). */
export const EVENT_CANCELLATION_AUDIENCE: AudienceStatus[] = ['confirmed', 'waitlisted', 'event-cancelled'];
export const REMINDER_AUDIENCE: AudienceStatus[] = ['confirmed'];

/**
 * `audiences/{eventId}/registrations/{registrationId}` = {userId, status, version}: notifications' own
 * projection of registrations' messages, version-guarded so it converges whatever the delivery order.
 * Fan-outs page through it by document id.
 */
@Injectable()
export class AudienceStore {
  constructor(private readonly firestore: Firestore) {}

  /**
   * `applied`: the entry changed; `current`: the same version is held (a duplicate); `stale`: a newer
   * version is held (the message is out of date).
   */
  async apply(entry: AudienceEntry): Promise<'applied' | 'current' | 'stale'> {
    const ref = this.registrations(entry.eventId).doc(entry.registrationId);
    return retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const held = await tx.get(ref);
        const version = held.exists ? (held.get('version') as number) : 0;
        if (version > entry.version) return 'stale';
        if (version === entry.version) return 'current';
        tx.set(ref, { userId: entry.userId, status: entry.status, version: entry.version });
        return 'applied';
      }),
    );
  }

  /** One page of the people in `statuses`, after the registration id `after`, by registration id. */
  async page(
    eventId: string,
    statuses: AudienceStatus[],
    after: string | undefined,
    limit: number,
  ): Promise<{ userIds: string[]; last?: string }> {
    let query = this.registrations(eventId).where('status', 'in', statuses).orderBy(FieldPath.documentId());
    if (after) query = query.startAfter(after);
    const snapshot = await query.limit(limit).get();
    return {
      userIds: snapshot.docs.map((doc) => doc.get('userId') as string),
      last: snapshot.docs.at(-1)?.id,
    };
  }

  private registrations(eventId: string) {
    return this.firestore.collection('audiences').doc(eventId).collection('registrations');
  }
}
