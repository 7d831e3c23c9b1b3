import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { Clock, DomainError, type Identity, invalidField, requireUuid } from '@convene/common';
import { AttendeeCheckedInV1, parseCheckInCode } from '@convene/contracts';
import { Outbox } from '@convene/pubsub';
import { EventDirectory } from '../events/event-info';
import { COLLECTIONS, type Registration } from '../registrations/registration';
import { fromRegistrationDocument, toRegistrationDocument } from '../registrations/registration-document';
import { fromCheckInDocument, toCheckInDocument, type CheckInRecord, type CheckInResult } from './check-in';
import { CheckInCodes } from './check-in-codes';
import { requireDoorAccess } from './door-access';
import { KeyedSerializer } from './keyed-serializer';
import { TicketKeys } from './ticket-keys';
import { ticketInvalid, verifyTicket } from './ticket-token';

const MAX_NONCE_LENGTH = 128;

/** Exactly one of `ticket` (scanned) and `code` (typed). */
export interface CheckInInput {
  eventId: string;
  ticket?: string;
  /** As typed: case, dashes and spaces do not matter (parseCheckInCode). */
  code?: string;
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
    private readonly codes: CheckInCodes,
    private readonly directory: EventDirectory,
    private readonly clock: Clock,
  ) {}

  /**
   * Checks a registration in at `eventId`'s door (its organizer, an admin or its staff), from its
   * scanned ticket (verified against the event's key) or its typed check-in code (looked up among the
   * event's registrations only). Then, in one transaction, checked in once: the registration is marked
   * and `attendee.checked-in` is enqueued with it. A second scan is ALREADY_CHECKED_IN with the first time.
   */
  async checkIn(input: CheckInInput, actor: Identity): Promise<CheckInResult> {
    requireUuid('eventId', input.eventId);
    const presented = presentedCredential(input);
    if (input.nonce !== undefined && (input.nonce.length === 0 || input.nonce.length > MAX_NONCE_LENGTH)) {
      throw invalidField('nonce', `nonce must be 1 to ${MAX_NONCE_LENGTH} characters`);
    }
    // Before any lookup: a code is tried only by someone working this event's door.
    await requireDoorAccess(this.directory, input.eventId, actor);
    const registrationId =
      presented.kind === 'ticket'
        ? (
            await verifyTicket(presented.ticket, input.eventId, (eventId, kid) =>
              this.keys.verificationKey(eventId, kid),
            )
          ).rid
        : await this.registrationWithCode(input.eventId, presented.code);
    const { result, created } = await this.perTicket.run(registrationId, () =>
      this.record(registrationId, input.eventId, input.nonce, actor),
    );
    if (created) this.outbox.kick(); // publish now rather than at the relay's next poll
    return result;
  }

  /** The one registration of the event holding `code`; two holding it admit nobody (either may be at the door). */
  private async registrationWithCode(eventId: string, code: string): Promise<string> {
    const ids = await this.codes.registrationsWith(eventId, code);
    if (ids.length === 0) throw ticketInvalid('unknown-code', 'no registration of this event has this code');
    if (ids.length > 1) {
      throw ticketInvalid(
        'ambiguous-code',
        'ambiguous code: more than one registration has it; scan the ticket instead',
      );
    }
    return ids[0]!;
  }

  private record(
    registrationId: string,
    eventId: string,
    nonce: string | undefined,
    actor: Identity,
  ): Promise<{ result: CheckInResult; created: boolean }> {
    const registrationRef = this.firestore.collection(COLLECTIONS.registrations).doc(registrationId);
    const checkInRef = this.firestore.collection(COLLECTIONS.checkins).doc(registrationId);
    return this.firestore.runTransaction(async (tx) => {
      const [registrationSnapshot, checkInSnapshot] = await tx.getAll(registrationRef, checkInRef);
      // A validly signed ticket whose registration no longer exists admits nobody: treated as cancelled.
      if (!registrationSnapshot.exists) throw ticketInvalid('cancelled', 'the registration no longer exists');
      const registration = fromRegistrationDocument(registrationSnapshot.id, registrationSnapshot.data()!);
      // A signed ticket names its event and a code is looked up within it: only a broken invariant lands here.
      if (registration.eventId !== eventId) throw ticketInvalid('other-event', 'the registration is for another event');
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

type PresentedCredential = { kind: 'ticket'; ticket: string } | { kind: 'code'; code: string };

/** Exactly one of the ticket and the code, the code in canonical form; else VALIDATION_FAILED naming them. */
function presentedCredential(input: CheckInInput): PresentedCredential {
  const hasTicket = input.ticket !== undefined && input.ticket !== '';
  const hasCode = input.code !== undefined && input.code !== '';
  if (hasTicket && hasCode) throw invalidField('code', 'give either ticket or code, not both');
  if (hasTicket) return { kind: 'ticket', ticket: input.ticket! };
  if (!hasCode) throw invalidField('ticket', 'ticket (or code) is required');
  const code = parseCheckInCode(input.code!);
  if (!code) {
    throw invalidField(
      'code',
      'code must be the 8-character check-in code (e.g. ABCD-EFGH: letters and digits, dashes and spaces optional)',
    );
  }
  return { kind: 'code', code };
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
