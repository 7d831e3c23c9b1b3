import { Firestore } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { Clock, DomainError, type Identity, requireUuid } from '@convene/common';
import { formatCheckInCode, type TicketMessage } from '@convene/contracts';
import { EventDirectory } from '../events/event-info';
import { COLLECTIONS } from '../registrations/registration';
import { fromRegistrationDocument } from '../registrations/registration-document';
import { CheckInCodes } from './check-in-codes';
import type { PublicTicketJwk } from './ticket-key';
import { TicketKeys } from './ticket-keys';
import { renderTicketQr } from './ticket-qr';
import { signTicket } from './ticket-token';

@Injectable()
export class TicketsService {
  constructor(
    private readonly firestore: Firestore,
    private readonly keys: TicketKeys,
    private readonly directory: EventDirectory,
    private readonly codes: CheckInCodes,
    private readonly clock: Clock,
  ) {}

  /**
   * The attendee's signed ticket and its check-in code (assigned now to a registration older than
   * codes). Anyone else — the organizer included — is told the registration does not exist: a ticket
   * is an entry pass, and its id alone must not reveal or yield it.
   */
  async getTicket(registrationId: string, actor: Identity): Promise<TicketMessage> {
    requireUuid('registrationId', registrationId);
    const snapshot = await this.firestore.collection(COLLECTIONS.registrations).doc(registrationId).get();
    if (!snapshot.exists || snapshot.get('userId') !== actor.userId) {
      throw new DomainError('REGISTRATION_NOT_FOUND', `registration ${registrationId} not found`);
    }
    const registration = fromRegistrationDocument(snapshot.id, snapshot.data()!);
    if (registration.status !== 'confirmed') {
      throw new DomainError(
        'REGISTRATION_NOT_ACTIVE',
        `registration ${registrationId} is ${registration.status}; only a confirmed registration has a ticket`,
        { status: registration.status },
      );
    }
    const [key, code] = await Promise.all([
      this.keys.ensure(registration.eventId),
      registration.checkInCode ?? this.codes.ensure(registration.id),
    ]);
    const token = await signTicket(
      { rid: registration.id, eid: registration.eventId, name: registration.holderName, sub: registration.userId },
      key,
      this.clock.now(),
    );
    const qr = await renderTicketQr(token);
    return {
      registrationId: registration.id,
      eventId: registration.eventId,
      holderName: registration.holderName,
      token,
      qrSvg: qr.svg,
      qrPng: qr.png,
      code: formatCheckInCode(code),
    };
  }

  /**
   * The public keys that verify the event's tickets (a JWKS), for door devices working offline. Public:
   * an unknown or draft event is EVENT_NOT_FOUND, and a key is created ahead of the first ticket only
   * for a published event (a cancelled one that never had a key has none to give).
   */
  async ticketKeys(eventId: string): Promise<{ keys: PublicTicketJwk[] }> {
    requireUuid('eventId', eventId);
    const existing = await this.keys.find(eventId);
    if (existing) return { keys: [existing.publicJwk] };
    const event = await this.directory.getFresh(eventId, undefined);
    if (event.status !== 'published') return { keys: [] };
    return { keys: [(await this.keys.ensure(eventId)).publicJwk] };
  }
}
