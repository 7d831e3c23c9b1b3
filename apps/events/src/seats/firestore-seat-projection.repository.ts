import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { SeatProjectionRepository, type RegistrationSeat, type SeatCounts } from './seat-projection.repository';

@Injectable()
export class FirestoreSeatProjectionRepository extends SeatProjectionRepository {
  constructor(private readonly firestore: Firestore) {
    super();
  }

  /**
   * One small transaction per message. No processed-message marker: the version guard already makes a
   * redelivered message a no-op, and a marker would double the writes of every registration in a rush.
   * Each registration has its own document, so concurrent messages of one event do not contend.
   */
  async apply(seat: RegistrationSeat): Promise<boolean> {
    const ref = this.registrations(seat.eventId).doc(seat.registrationId);
    return this.firestore.runTransaction(async (tx) => {
      const held = await tx.get(ref);
      if (held.exists && (held.get('version') as number) >= seat.version) return false;
      tx.set(ref, { status: seat.status, version: seat.version });
      return true;
    });
  }

  async counts(eventId: string): Promise<SeatCounts> {
    const count = async (status: string) =>
      (await this.registrations(eventId).where('status', '==', status).count().get()).data().count;
    const [confirmed, waitlisted] = await Promise.all([count('confirmed'), count('waitlisted')]);
    return { confirmed, waitlisted };
  }

  private registrations(eventId: string) {
    return this.firestore.collection('seatProjections').doc(eventId).collection('registrations');
  }
}
