import { Injectable, Logger } from '@nestjs/common';
import type {
  AttendeeCheckedInV1,
  Envelope,
  EventCancelledV1,
  EventPublishedV1,
  EventUpdatedV1,
  NotificationRequestedV1,
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV1,
  ReviewCreatedV1,
  UserDeletedV1,
  UserRegisteredV1,
  WebhookEventType,
} from '@convene/contracts';
import { AudienceStore, EVENT_CANCELLATION_AUDIENCE, type AudienceStatus } from '../audience/audience.store';
import { EventFactsStore } from '../facts/event-facts.store';
import { FanoutStore } from '../fanout/fanout.store';
import { FanoutWorker } from '../fanout/fanout.worker';
import type { EventFacts, Notice } from '../notices/notice';
import { concernsAttendees, Notices } from '../notices/notice-builder';
import { EmailQueue, WebhookFanout } from '../notices/ports';
import { InboxStore } from '../inbox/inbox.store';
import { PreferencesStore } from '../preferences/preferences.store';
import { RecipientsStore } from '../recipients/recipients.store';
import { Dispatcher, type TellOptions } from './dispatcher';

type RegistrationMessage = Pick<RegistrationConfirmedV1, 'registrationId' | 'eventId' | 'userId' | 'version'>;

/** How the handler was reached: the envelope and whether more deliveries will follow a failure. */
export interface Delivery {
  envelope: Envelope;
  /** False on the last delivery before dead-lettering: go on without what is missing. */
  mayRetry: boolean;
}

/**
 * What each domain message means for people: who is told what, and which organizer webhooks fire.
 * Every path is safe to run again for the same message (see Dispatcher and FanoutStore).
 */
@Injectable()
export class NotificationTriggers {
  private readonly logger = new Logger(NotificationTriggers.name);

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly facts: EventFactsStore,
    private readonly audience: AudienceStore,
    private readonly fanouts: FanoutStore,
    private readonly fanoutWorker: FanoutWorker,
    private readonly recipients: RecipientsStore,
    private readonly inbox: InboxStore,
    private readonly preferences: PreferencesStore,
    private readonly emails: EmailQueue,
    private readonly webhooks: WebhookFanout,
  ) {}

  async userRegistered(message: UserRegisteredV1, delivery: Delivery): Promise<void> {
    if ((await this.inbox.erasedAmong([message.userId])).has(message.userId)) return;
    await this.recipients.remember({ userId: message.userId, email: message.email, displayName: message.displayName });
    await this.tell(Notices.welcome(delivery.envelope.eventId, message.displayName), [message.userId], delivery);
  }

  /** Erasure: everything notifications holds about the person goes (a tombstone keeps it gone). */
  async userDeleted(message: UserDeletedV1): Promise<void> {
    const erased = await this.inbox.erase(message.userId);
    await Promise.all([
      this.recipients.forget(message.userId),
      this.preferences.forget(message.userId),
      this.emails.forgetRecipient(message.userId),
    ]);
    this.logger.log({ message: 'erased a deleted user’s notifications', erased });
  }

  async eventPublished(message: EventPublishedV1, delivery: Delivery): Promise<void> {
    const event = await this.facts.record(announcedFacts(message, message.publishedAt));
    if (event.organizerId) {
      await this.tell(Notices.eventPublished(delivery.envelope.eventId, event), [event.organizerId], delivery);
    }
    await this.webhook(event.organizerId, 'event.published', message, delivery);
  }

  async eventUpdated(message: EventUpdatedV1, delivery: Delivery): Promise<void> {
    // `record` keeps a cancellation whatever this update says, so no read of what is held first.
    const event = await this.facts.record(announcedFacts(message, message.updatedAt));
    if (concernsAttendees(message.changes)) {
      // The notice carries the time and place this message announced (a later update has its own).
      const announced: EventFacts = { ...event, startsAt: iso(message.startsAt), endsAt: iso(message.endsAt) };
      const sourceId = delivery.envelope.eventId;
      // Two jobs: seat holders get the calendar update, waitlisted people the news only. Both tell
      // under the message's id, so someone who moved from one list to the other is told once.
      await this.fanOut(sourceId, announced, ['confirmed'], Notices.eventUpdated(sourceId, announced, message.changes));
      await this.fanOut(
        `${sourceId}~waitlisted`,
        announced,
        ['waitlisted'],
        Notices.eventUpdated(sourceId, announced, message.changes, false),
      );
    }
    await this.webhook(message.organizerId, 'event.updated', message, delivery);
  }

  async eventCancelled(message: EventCancelledV1, delivery: Delivery): Promise<void> {
    const held = await this.facts.get(message.id);
    const event = await this.facts.record({
      ...(held ?? {
        id: message.id,
        title: message.title,
        startsAt: iso(message.startsAt),
        endsAt: iso(message.startsAt),
        timezone: 'UTC',
      }),
      organizerId: message.organizerId,
      status: 'cancelled',
      updatedAt: iso(message.cancelledAt),
    });
    await this.fanOut(
      delivery.envelope.eventId,
      event,
      EVENT_CANCELLATION_AUDIENCE,
      Notices.eventCancelled(delivery.envelope.eventId, event, message.reason),
    );
    await this.webhook(message.organizerId, 'event.cancelled', message, delivery);
  }

  async registrationConfirmed(message: RegistrationConfirmedV1, delivery: Delivery): Promise<void> {
    await this.registration(message, 'confirmed', 'registration.confirmed', delivery, (event) =>
      Notices.confirmed(delivery.envelope.eventId, event),
    );
  }

  async registrationWaitlisted(
    message: RegistrationWaitlistedV1 & { position?: number },
    delivery: Delivery,
  ): Promise<void> {
    await this.registration(message, 'waitlisted', 'registration.waitlisted', delivery, (event) =>
      Notices.waitlisted(delivery.envelope.eventId, event, message.position),
    );
  }

  async registrationPromoted(message: RegistrationPromotedV1, delivery: Delivery): Promise<void> {
    await this.registration(message, 'confirmed', 'registration.promoted', delivery, (event) =>
      Notices.promoted(delivery.envelope.eventId, event),
    );
  }

  async registrationCancelled(message: RegistrationCancelledV1, delivery: Delivery): Promise<void> {
    // Ended by the event's cancellation: `event.cancelled` tells them, once, in its own words.
    const byEvent = message.reason === 'event-cancelled';
    await this.registration(
      message,
      byEvent ? 'event-cancelled' : 'cancelled',
      'registration.cancelled',
      delivery,
      byEvent
        ? undefined
        : (event) =>
            Notices.cancelled(delivery.envelope.eventId, event, message.reason, message.previousStatus === 'confirmed'),
      async (event) => {
        if (message.reason !== 'organizer' || !event.organizerId) return;
        const attendee = (await this.recipients.find([message.userId])).get(message.userId);
        const notice = Notices.cancelledByOrganizer(
          delivery.envelope.eventId,
          event,
          attendee?.displayName ?? 'An attendee',
        );
        await this.tell(notice, [event.organizerId], delivery);
      },
    );
  }

  async attendeeCheckedIn(message: AttendeeCheckedInV1, delivery: Delivery): Promise<void> {
    await this.registration(message, 'confirmed', 'attendee.checked-in', delivery, undefined);
  }

  async reviewCreated(message: ReviewCreatedV1, delivery: Delivery): Promise<void> {
    const event = await this.facts.get(message.eventId);
    if (event) {
      const notice = Notices.reviewCreated(
        delivery.envelope.eventId,
        event,
        message.authorName,
        message.rating,
        message.comment,
      );
      await this.tell(notice, [message.organizerId], delivery);
    }
    await this.webhook(message.organizerId, 'review.created', message, delivery);
  }

  async notificationRequested(message: NotificationRequestedV1, delivery: Delivery): Promise<void> {
    const event = message.eventId ? await this.facts.get(message.eventId) : undefined;
    const notice: Notice = {
      sourceId: message.requestId,
      kind: 'requested',
      category: message.category,
      title: message.title,
      body: message.body,
      ...(message.link ? { link: message.link } : {}),
      ...(event ? { event } : {}),
    };
    await this.tell(notice, message.recipientIds, delivery);
  }

  /**
   * A registration message: the audience projection first (version-guarded); then, unless the message
   * is older than what is held, the attendee's notice and the organizer's webhook. A duplicate of the
   * newest message is told again, which writes nothing twice — and completes a run that died half-way.
   */
  private async registration(
    message: RegistrationMessage,
    status: AudienceStatus,
    eventType: WebhookEventType,
    delivery: Delivery,
    notice: ((event: EventFacts) => Notice) | undefined,
    also?: (event: EventFacts) => Promise<void>,
  ): Promise<void> {
    const outcome = await this.audience.apply({ ...message, status });
    if (outcome === 'stale') return;
    const event = await this.facts.get(message.eventId);
    if (!event) {
      this.logger.warn({ message: 'registration for an unknown event: nobody told', eventId: message.eventId });
      return;
    }
    if (notice) await this.tell(notice(event), [message.userId], delivery);
    if (also) await also(event);
    await this.webhook(event.organizerId, eventType, message, delivery);
  }

  /** Creates the fan-out job `jobId` (once) and wakes a worker; the consumer acks right after. */
  private async fanOut(jobId: string, event: EventFacts, audience: AudienceStatus[], notice: Notice) {
    const created = await this.fanouts.create({ id: jobId, eventId: event.id, audience, notice });
    if (created) this.fanoutWorker.kick();
  }

  private tell(notice: Notice, recipientIds: string[], delivery: Delivery) {
    const options: TellOptions = { waitForAddresses: delivery.mayRetry };
    return this.dispatcher.tell(notice, recipientIds, options);
  }

  private async webhook(ownerId: string | undefined, eventType: WebhookEventType, data: object, delivery: Delivery) {
    if (!ownerId) return;
    await this.webhooks.publish({
      ownerId,
      eventType,
      eventId: delivery.envelope.eventId,
      occurredAt: delivery.envelope.occurredAt,
      data: { ...data },
    });
  }
}

/** What `event.published` and `event.updated` say of a published event, as of `at`. */
function announcedFacts(message: EventPublishedV1 | EventUpdatedV1, at: string): EventFacts {
  return {
    id: message.id,
    organizerId: message.organizerId ?? '',
    title: message.title,
    startsAt: iso(message.startsAt),
    endsAt: iso(message.endsAt),
    timezone: message.timezone,
    ...(message.venue ? { venue: { name: message.venue.name, address: message.venue.address } } : {}),
    ...(message.onlineUrl ? { onlineUrl: message.onlineUrl } : {}),
    status: 'published',
    updatedAt: iso(at),
  };
}

function iso(value: string): string {
  return new Date(value).toISOString();
}
