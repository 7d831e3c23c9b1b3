import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { retryOnContention } from '@convene/firestore';
import { applyFact, attendanceKey, type Attendance, type AttendanceFact } from './attendance';

export const ATTENDANCE_COLLECTION = 'attendance';

/**
 * `attendance/{eventId}~{userId}`. No processed-message marker: `applyFact` already makes a duplicate
 * or an older message a no-op, so a redelivery reads and writes nothing new.
 */
@Injectable()
export class AttendanceStore {
  constructor(private readonly firestore: Firestore) {}

  /** Resolves true when the fact changed what is held. */
  async apply(fact: AttendanceFact): Promise<boolean> {
    const ref = this.doc(fact.eventId, fact.userId);
    // The registrations of one person and event rarely change at once; when they do, run again.
    return retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const held = await tx.get(ref);
        const next = applyFact(held.exists ? (held.data() as Attendance) : undefined, fact);
        if (!next) return false;
        tx.set(ref, next);
        return true;
      }),
    );
  }

  async get(eventId: string, userId: string): Promise<Attendance | undefined> {
    const snapshot = await this.doc(eventId, userId).get();
    return snapshot.exists ? (snapshot.data() as Attendance) : undefined;
  }

  /** Erasure: forgets every event the person attended. Resolves the number of documents deleted. */
  async forget(userId: string): Promise<number> {
    let deleted = 0;
    for (;;) {
      const page = await this.firestore
        .collection(ATTENDANCE_COLLECTION)
        .where('userId', '==', userId)
        .limit(400)
        .get();
      if (page.empty) return deleted;
      const batch = this.firestore.batch();
      for (const doc of page.docs) batch.delete(doc.ref);
      await batch.commit();
      deleted += page.size;
    }
  }

  private doc(eventId: string, userId: string) {
    return this.firestore.collection(ATTENDANCE_COLLECTION).doc(attendanceKey(eventId, userId));
  }
}
