import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { Clock, DomainError, type Identity, invalidField, requireUuid } from '@convene/common';
import { AttendeeCheckedInV1 } from '@convene/contracts';
import { Outbox } from '@convene/pubsub';
import { EventDirectory } from '../events/event-info';
import { COLLECTIONS, type Registration } from '../registrations/registration';
import { fromRegistrationDocument, toRegistrationDocument } from '../registrations/registration-document';
import { fromCheckInDocument, toCheckInDocument, type CheckInRecord, type CheckInResult } from './check-in';
import { requireDoorAccess } from './door-access';
import { KeyedSerializer } from './keyed-serializer';
import { TicketKeys } from './ticket-keys';
import { ticketInvalid, verifyTicket, type TicketClaims } from './ticket-token';

const MAX_NONCE_LENGTH = 128;

export interface CheckInInput {
  eventId: string;
  ticket: string;
  /** Chosen by the scanner per scan; a retry with the same nonce gets the same answer. */
  nonce?: string;
}

@Injectable()
export class CheckInsService {
  private readonly perTicket = new KeyedSerializer();

  constructor(
    private readonly firestore: Firestore,
    private readonly outbox: Outbox,
    private readonly keys: TicketKeys,
    private readonly directory: EventDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * Scans a ticket at `eventId`'s door (its organizer, an admin or its staff). The ticket is verified
   * against the event's key, then, in one transaction, checked in once: the registration is marked and
   * `attendee.checked-in` is enqueued with it. A second scan is ALREADY_CHECKED_IN with the first time.
   */
  async checkIn(input: CheckInInput, actor: Identity): Promise<CheckInResult> {
    requireUuid('eventId', input.eventId);
    if (!input.ticket) throw invalidField('ticket', 'ticket is required');
    if (input.nonce !== undefined && (input.nonce.length === 0 || input.nonce.length > MAX_NONCE_LENGTH)) {
      throw invalidField('nonce', `nonce must be 1 to ${MAX_NONCE_LENGTH} characters`);
    }
    await requireDoorAccess(this.directory, input.eventId, actor);
    const claims = await verifyTicket(input.ticket, input.eventId, (eventId, kid) =>
      this.keys.verificationKey(eventId, kid),
    );
    const { result, created } = await this.perTicket.run(claims.rid, () => this.record(claims, input.nonce, actor));
    if (created) this.outbox.kick(); // publish now rather than at the relay's next poll
    return result;
  }

  private record(
    claims: TicketClaims,
    nonce: string | undefined,
    actor: Identity,
  ): Promise<{ result: CheckInResult; created: boolean }> {
    const registrationRef = this.firestore.collection(COLLECTIONS.registrations).doc(claims.rid);
    const checkInRef = this.firestore.collection(COLLECTIONS.checkins).doc(claims.rid);
    return this.firestore.runTransaction(async (tx) => {
      const [registrationSnapshot, checkInSnapshot] = await tx.getAll(registrationRef, checkInRef);
      // A validly signed ticket whose registration no longer exists admits nobody: treated as cancelled.
      if (!registrationSnapshot.exists) throw ticketInvalid('cancelled', 'the registration no longer exists');
      const registration = fromRegistrationDocument(registrationSnapshot.id, registrationSnapshot.data()!);
      const existing = checkInSnapshot.exists ? fromCheckInDocument(checkInSnapshot.data()!) : undefined;
      if (existing && nonce !== undefined && existing.nonce === nonce) {
        return { result: resultOf(registration, existing), created: false };
      }
      if (registration.status === 'cancelled') {
        throw ticketInvalid('cancelled', `registration ${registration.id} was cancelled`);
      }
      if (registration.status !== 'confirmed') {
        throw ticketInvalid(
          'not-confirmed',
          `registration ${registration.id} is ${registration.status}, not confirmed`,
        );
      }
      if (existing) {
        throw new DomainError(
          'ALREADY_CHECKED_IN',
          `${registration.holderName} checked in at ${existing.checkedInAt}`,
          {
            checkedInAt: existing.checkedInAt,
          },
        );
      }
      const now = this.clock.now().toISOString();
      const checkIn: CheckInRecord = {
        eventId: registration.eventId,
        checkedInAt: now,
        checkedInBy: actor.userId,
        nonce,
      };
      const updated: Registration = {
        ...registration,
        checkedInAt: now,
        checkedInBy: actor.userId,
        updatedAt: now,
        version: registration.version + 1,
      };
      tx.create(checkInRef, toCheckInDocument(checkIn));
      tx.set(registrationRef, toRegistrationDocument(updated));
      this.outbox.enqueue(
        tx,
        Object.assign(new AttendeeCheckedInV1(), {
          registrationId: updated.id,
          eventId: updated.eventId,
          userId: updated.userId,
          version: updated.version,
          checkedInAt: now,
        }),
      );
      return { result: resultOf(updated, checkIn), created: true };
    });
  }
}

function resultOf(registration: Registration, checkIn: CheckInRecord): CheckInResult {
  return {
    registrationId: registration.id,
    eventId: registration.eventId,
    holderName: registration.holderName,
    checkedInAt: checkIn.checkedInAt,
    checkedInBy: checkIn.checkedInBy,
  };
}
