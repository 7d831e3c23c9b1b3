/**
 * The Pub/Sub topology: every topic and every subscription Convene uses, in one place.
 *
 * NEVER RENAME a topic or a subscription. Pub/Sub drops messages published to a topic with no
 * subscription, and a renamed subscription starts empty: renaming loses messages in flight.
 * A new consumer adds a subscription; a breaking payload change adds a schema version (messages/).
 *
 * The topic id is the envelope's `eventType`: one topic per kind of domain event.
 */
export const Topics = {
  eventPublished: 'event.published',
  eventCancelled: 'event.cancelled',
  eventUpdated: 'event.updated',
  eventCapacityChanged: 'event.capacity-changed',
  registrationConfirmed: 'registration.confirmed',
  registrationWaitlisted: 'registration.waitlisted',
  registrationPromoted: 'registration.promoted',
  registrationCancelled: 'registration.cancelled',
  attendeeCheckedIn: 'attendee.checked-in',
  reviewCreated: 'review.created',
  reviewUpdated: 'review.updated',
  reviewDeleted: 'review.deleted',
  reviewHidden: 'review.hidden',
  notificationRequested: 'notification.requested',
  userRegistered: 'user.registered',
  userDeleted: 'user.deleted',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** The services that publish or consume. Also the `source` attribute of every envelope they publish. */
export type ServiceName = 'gateway' | 'auth' | 'events' | 'registrations' | 'reviews' | 'notifications';

export interface SubscriptionSpec {
  /** Subscription id, `<service>.<topic>`. Its dead-letter topic is `<id>.dead-letter`. */
  readonly name: string;
  readonly topic: TopicName;
  readonly service: ServiceName;
}

function subscription(service: ServiceName, topic: TopicName): SubscriptionSpec {
  return { name: `${service}.${topic}`, topic, service };
}

/**
 * Who consumes what. Publishers ensure these exist too (see @convene/pubsub's topology), so a message
 * published right after the emulator forgot everything still has somewhere to go.
 */
export const Subscriptions: readonly SubscriptionSpec[] = [
  subscription('notifications', Topics.eventPublished),
  subscription('notifications', Topics.userRegistered),
  subscription('notifications', Topics.userDeleted),
  // notifications tells people what concerns them (and organizers' webhooks), keeping its own view of
  // who holds a seat for each event and of each event's time and place.
  subscription('notifications', Topics.eventUpdated),
  subscription('notifications', Topics.eventCancelled),
  subscription('notifications', Topics.registrationConfirmed),
  subscription('notifications', Topics.registrationWaitlisted),
  subscription('notifications', Topics.registrationPromoted),
  subscription('notifications', Topics.registrationCancelled),
  subscription('notifications', Topics.attendeeCheckedIn),
  subscription('notifications', Topics.reviewCreated),
  subscription('notifications', Topics.notificationRequested),
  // registrations ends every registration of a cancelled event.
  subscription('registrations', Topics.eventCancelled),
  // events keeps its seats-taken projection (seatsLeft, counts) from registrations' messages.
  subscription('events', Topics.registrationConfirmed),
  subscription('events', Topics.registrationWaitlisted),
  subscription('events', Topics.registrationPromoted),
  subscription('events', Topics.registrationCancelled),
  // events keeps each event's rating summary from reviews' messages.
  subscription('events', Topics.reviewCreated),
  subscription('events', Topics.reviewUpdated),
  subscription('events', Topics.reviewDeleted),
  subscription('events', Topics.reviewHidden),
  // reviews keeps who may review an event (attended: checked in, or confirmed once it started)...
  subscription('reviews', Topics.registrationConfirmed),
  subscription('reviews', Topics.registrationPromoted),
  subscription('reviews', Topics.registrationCancelled),
  subscription('reviews', Topics.attendeeCheckedIn),
  // ...and anonymizes the reviews of an erased account.
  subscription('reviews', Topics.userDeleted),
];

export function deadLetterTopicOf(subscriptionName: string): string {
  return `${subscriptionName}.dead-letter`;
}

export function subscriptionsOf(topic: string): SubscriptionSpec[] {
  return Subscriptions.filter((s) => s.topic === topic);
}

export function subscriptionsFor(service: ServiceName): SubscriptionSpec[] {
  return Subscriptions.filter((s) => s.service === service);
}
