import { Firestore, type Query } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { retryOnContention } from '@convene/firestore';
import { newCheckInCode } from '../registrations/check-in-code';
import { COLLECTIONS } from '../registrations/registration';
import { registrationNotFound } from '../registrations/registrations.store';

/**
 * The lookup of a typed code: the event's registrations holding it. Two equalities; declared as a
 * composite index in firestore.indexes.json (checked by check-in-codes.indexes.spec.ts).
 */
export const CHECK_IN_CODE_QUERY = {
  collection: COLLECTIONS.registrations,
  equalities: ['eventId', 'checkInCode'],
} as const;

/** Draws for a code no other registration of the event holds, when assigning one lazily. */
const ASSIGN_ATTEMPTS = 5;

/**
 * Registrations' check-in codes in Firestore. A code is drawn when a registration is created, without
 * looking at the event's other codes (that would add a read to the registering hot path), so codes are
 * unique per event only with overwhelming probability; the lookup therefore reads up to two
 * registrations and the caller refuses when it finds two rather than check in someone who may be the
 * wrong person.
 */
@Injectable()
export class CheckInCodes {
  constructor(private readonly firestore: Firestore) {}

  /** Ids of the event's registrations holding `code` (canonical): at most 2, since 2 is already ambiguous. */
  async registrationsWith(eventId: string, code: string): Promise<string[]> {
    const snapshot = await this.lookup(eventId, code).limit(2).get();
    return snapshot.docs.map((doc) => doc.id);
  }

  /**
   * The registration's code, assigned now if it has none (registrations made before codes existed):
   * one transaction that draws a code no other registration of the event holds. Concurrent callers
   * converge on the first one committed; a registration that has a code keeps it.
   */
  async ensure(registrationId: string): Promise<string> {
    const ref = this.firestore.collection(COLLECTIONS.registrations).doc(registrationId);
    return retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const snapshot = await tx.get(ref);
        if (!snapshot.exists) throw registrationNotFound(registrationId);
        const existing = snapshot.get('checkInCode') as string | null | undefined;
        if (existing) return existing;
        const eventId = snapshot.get('eventId') as string;
        for (let attempt = 0; attempt < ASSIGN_ATTEMPTS; attempt++) {
          const code = newCheckInCode();
          const holders = await tx.get(this.lookup(eventId, code).limit(1));
          if (!holders.empty) continue;
          tx.update(ref, { checkInCode: code });
          return code;
        }
        // 5 draws of 40 bits that all collide: the event cannot have that many registrations.
        throw new Error(`no free check-in code found for registration ${registrationId}`);
      }),
    );
  }

  private lookup(eventId: string, code: string): Query {
    const [event, codeField] = CHECK_IN_CODE_QUERY.equalities;
    return this.firestore
      .collection(CHECK_IN_CODE_QUERY.collection)
      .where(event, '==', eventId)
      .where(codeField, '==', code);
  }
}
