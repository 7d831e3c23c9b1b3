import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { IdempotentConsumer } from '@convene/pubsub';
import { SeatProjectionRepository, type RegistrationSeat, type SeatCounts } from './seat-projection.repository';

const CONSUMER = 'seat-projection';

@Injectable()
export class FirestoreSeatProjectionRepository extends SeatProjectionRepository {
  constructor(
    private readonly firestore: Firestore,
    private readonly consumer: IdempotentConsumer,
  ) {
    super();
  }

  async apply(seat: RegistrationSeat, messageId: string): Promise<boolean> {
    const ref = this.registrations(seat.eventId).doc(seat.registrationId);
    // Each registration has its own document, so concurrent messages of one event do not contend.
    const { applied, result } = await this.consumer.runOnce(CONSUMER, messageId, async (tx) => {
      const held = await tx.get(ref);
      if (held.exists && (held.get('version') as number) >= seat.version) return false;
      tx.set(ref, { status: seat.status, version: seat.version });
      return true;
    });
    return applied && result === true;
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
