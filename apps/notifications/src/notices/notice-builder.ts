import type { CancellationReason } from '@convene/contracts';
import type { EventFacts, Notice } from './notice';

/**
 * The notices Convene sends, in words. Each takes what caused it (`sourceId`) and the event's facts;
 * titles and bodies are the in-app text (the email composer words its own mail from the same notice).
 */
export const Notices = {
  welcome(sourceId: string, displayName: string): Notice {
    return {
      sourceId,
      kind: 'welcome',
      category: 'account',
      title: `Welcome to Convene, ${displayName}`,
      body: 'Find an event you like and register: your ticket and everything about it will show up here.',
      link: '/events',
    };
  },

  eventPublished(sourceId: string, event: EventFacts): Notice {
    return {
      sourceId,
      kind: 'event.published',
      category: 'event-updates',
      title: `“${event.title}” is open for registration`,
      body: `${when(event)}, ${where(event)}. People can register now.`,
      link: `/events/${event.id}`,
      event,
    };
  },

  confirmed(sourceId: string, event: EventFacts): Notice {
    return {
      sourceId,
      kind: 'registration.confirmed',
      category: 'registrations',
      title: `You’re in: ${event.title}`,
      body: `Your seat is confirmed. ${when(event)}, ${where(event)}. Your ticket is in “My tickets”.`,
      link: `/events/${event.id}`,
      event,
    };
  },

  waitlisted(sourceId: string, event: EventFacts, position: number | undefined): Notice {
    const place = position ? `You are number ${position} in line.` : 'You are in line.';
    return {
      sourceId,
      kind: 'registration.waitlisted',
      category: 'registrations',
      title: `On the waitlist: ${event.title}`,
      body: `${event.title} is full. ${place} We’ll tell you as soon as a seat is yours.`,
      link: `/events/${event.id}`,
      event,
      ...(position ? { details: { position } } : {}),
    };
  },

  promoted(sourceId: string, event: EventFacts): Notice {
    return {
      sourceId,
      kind: 'registration.promoted',
      category: 'registrations',
      title: `A seat opened up: you’re in for ${event.title}`,
      body: `You moved up from the waitlist and your seat is confirmed. ${when(event)}, ${where(event)}.`,
      link: `/events/${event.id}`,
      event,
    };
  },

  cancelled(sourceId: string, event: EventFacts, reason: CancellationReason, heldSeat: boolean): Notice {
    const byOrganizer = reason === 'organizer';
    return {
      sourceId,
      kind: 'registration.cancelled',
      category: 'registrations',
      title: `Registration cancelled: ${event.title}`,
      body: byOrganizer
        ? `The organizer cancelled your registration for ${event.title}.`
        : `Your registration for ${event.title} is cancelled. Your seat went to the next person in line.`,
      link: `/events/${event.id}`,
      event,
      details: { reason, heldSeat: heldSeat ? 'yes' : 'no' },
    };
  },

  /** To the organizer, when they (or an admin) cancelled someone's registration. */
  cancelledByOrganizer(sourceId: string, event: EventFacts, attendeeName: string): Notice {
    return {
      sourceId,
      kind: 'registration.cancelled-by-organizer',
      category: 'registrations',
      title: `You cancelled a registration for ${event.title}`,
      body: `${attendeeName}’s registration is cancelled and they were told.`,
      link: `/events/${event.id}/attendees`,
      event,
    };
  },

  /** `heldSeat`: false for waitlisted people (their email carries no calendar update). */
  eventUpdated(sourceId: string, event: EventFacts, changes: string[], heldSeat = true): Notice {
    const what = describeChanges(changes);
    return {
      sourceId,
      kind: 'event.updated',
      category: 'event-updates',
      title: `${event.title}: new ${what}`,
      body: `The organizer changed the ${what}. It is now ${when(event)}, ${where(event)}.`,
      link: `/events/${event.id}`,
      event,
      details: { changes, heldSeat: heldSeat ? 'yes' : 'no' },
    };
  },

  eventCancelled(sourceId: string, event: EventFacts, reason: string): Notice {
    return {
      sourceId,
      kind: 'event.cancelled',
      category: 'event-updates',
      title: `Cancelled: ${event.title}`,
      body: `${event.title} (${when(event)}) will not take place. The organizer said: “${reason}”`,
      link: `/events/${event.id}`,
      event: { ...event, status: 'cancelled' },
      details: { reason },
    };
  },

  reminder(sourceId: string, event: EventFacts, which: '24h' | '1h'): Notice {
    return {
      sourceId,
      kind: which === '24h' ? 'reminder.24h' : 'reminder.1h',
      category: 'reminders',
      title: which === '24h' ? `Coming up: ${event.title}` : `Starting within the hour: ${event.title}`,
      body: `${when(event)}, ${where(event)}. Have your ticket ready at the door.`,
      link: `/events/${event.id}`,
      event,
    };
  },

  /** To an organizer: one of their webhook endpoints stopped receiving deliveries. */
  webhookDisabled(sourceId: string, url: string, reason: string): Notice {
    return {
      sourceId,
      kind: 'webhook.disabled',
      category: 'webhooks',
      title: 'A webhook endpoint was disabled',
      body: `Deliveries to ${url} stopped: ${reason}. Fix the receiver, then redeliver a delivery to turn it back on.`,
      link: '/organizer/webhooks',
    };
  },

  reviewCreated(sourceId: string, event: EventFacts, authorName: string, rating: number, comment: string): Notice {
    const excerpt = comment.length > 140 ? `${comment.slice(0, 139)}…` : comment;
    return {
      sourceId,
      kind: 'review.created',
      category: 'reviews',
      title: `New ${rating}-star review of ${event.title}`,
      body: excerpt ? `${authorName}: “${excerpt}”` : `${authorName} rated it ${rating} out of 5.`,
      link: `/events/${event.id}#reviews`,
      event,
      details: { rating },
    };
  },
};

/** “time”, “venue”, “time and venue”… from event.updated's changed field names. */
export function describeChanges(changes: string[]): string {
  const words = new Set<string>();
  for (const change of changes) {
    if (change === 'startsAt' || change === 'endsAt' || change === 'timezone') words.add('time');
    else if (change === 'venue' || change === 'onlineUrl') words.add('place');
    else words.add('details');
  }
  const list = [...words];
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} and ${list.at(-1)}` : (list[0] ?? 'details');
}

/** Only a change of time or place concerns attendees (a new description does not). */
export function concernsAttendees(changes: string[]): boolean {
  return changes.some((c) => ['startsAt', 'endsAt', 'timezone', 'venue', 'onlineUrl'].includes(c));
}

/** “Sat, 5 Dec 2026, 18:00 (Europe/Paris)”, in the event's own time zone. */
export function when(event: Pick<EventFacts, 'startsAt' | 'timezone'>): string {
  const formatted = new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: event.timezone,
  }).format(new Date(event.startsAt));
  return `${formatted} (${event.timezone})`;
}

export function where(event: Pick<EventFacts, 'venue' | 'onlineUrl'>): string {
  if (event.venue) return `at ${event.venue.name}, ${event.venue.address}`;
  return event.onlineUrl ? `online (${event.onlineUrl})` : 'online';
}
