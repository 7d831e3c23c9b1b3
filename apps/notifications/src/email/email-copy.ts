import { describeChanges } from '../notices/notice-builder';
import type { Notice } from '../notices/notice';

/** What an email says, per notice kind, before it is laid out. */
export interface EmailCopy {
  subject: string;
  heading: string;
  paragraphs: string[];
  quote?: { label?: string; text: string };
  /** The button's label; it links to the notice's page. */
  actionLabel: string;
}

/**
 * The words of each kind of email. `invite` says what the attached calendar invite does, if there
 * is one, so the text can tell the reader.
 */
export function copyFor(notice: Notice, invite: 'REQUEST' | 'CANCEL' | undefined): EmailCopy {
  const title = notice.event?.title ?? notice.title;
  const addInvite = invite === 'REQUEST' ? ['Add it to your calendar with the attached invite.'] : [];
  const removeInvite =
    invite === 'CANCEL' ? ['The attached cancellation takes it out of your calendar if you had added it.'] : [];
  switch (notice.kind) {
    case 'welcome':
      return {
        subject: notice.title,
        heading: 'Welcome to Convene',
        paragraphs: [
          'Your account is ready.',
          'Find an event you like and register: your tickets, your place on a waitlist and any change to your events will reach you here and in Convene.',
        ],
        actionLabel: 'Find events',
      };
    case 'event.published':
      return {
        subject: `Open for registration: ${title}`,
        heading: `${title} is open for registration`,
        paragraphs: ['Registration just opened.'],
        actionLabel: 'See the event',
      };
    case 'event.updated': {
      const what = describeChanges(stringList(notice.details?.changes));
      return {
        subject: `Changed: new ${what} for ${title}`,
        heading: `New ${what} for ${title}`,
        paragraphs: [
          `The organizer changed the ${what}. This is the event as it is now.`,
          ...(invite === 'REQUEST' ? ['The attached invite updates it in your calendar.'] : []),
        ],
        actionLabel: 'See the event',
      };
    }
    case 'event.cancelled':
      return {
        subject: `Cancelled: ${title}`,
        heading: `${title} is cancelled`,
        paragraphs: ['The organizer cancelled this event: it will not take place.', ...removeInvite],
        ...quoted('The organizer wrote', notice.details?.reason),
        actionLabel: 'See the event',
      };
    case 'registration.confirmed':
      return {
        subject: `You’re in: ${title}`,
        heading: 'Your seat is confirmed',
        paragraphs: [
          `You’re registered for ${title}.`,
          ...addInvite,
          'Your ticket, with the code to show at the door, is in My tickets.',
        ],
        actionLabel: 'See the event',
      };
    case 'registration.waitlisted': {
      const position = Number(notice.details?.position);
      const place =
        Number.isInteger(position) && position > 0 ? `You are number ${position} in line.` : 'You are in line.';
      return {
        subject: `You’re on the waitlist for ${title}`,
        heading: 'You’re on the waitlist',
        paragraphs: [
          `${title} is full for now. ${place}`,
          'If a seat opens up it becomes yours automatically, and we will email you right away.',
        ],
        actionLabel: 'See the event',
      };
    }
    case 'registration.promoted':
      return {
        subject: `A seat opened up: you’re in for ${title}`,
        heading: 'A seat opened up for you',
        paragraphs: [
          `You moved up from the waitlist: your seat at ${title} is confirmed.`,
          ...addInvite,
          'Your ticket, with the code to show at the door, is in My tickets.',
        ],
        actionLabel: 'See the event',
      };
    case 'registration.cancelled': {
      const why =
        notice.details?.reason === 'organizer'
          ? `The organizer cancelled your registration for ${title}.`
          : notice.details?.reason === 'event-cancelled'
            ? `${title} was cancelled, and your registration with it.`
            : `Your registration for ${title} is cancelled, as you asked, and your seat went back to the event.`;
      return {
        subject: `Registration cancelled: ${title}`,
        heading: 'Your registration is cancelled',
        paragraphs: [why, ...removeInvite],
        actionLabel: 'See the event',
      };
    }
    case 'registration.cancelled-by-organizer':
      return {
        subject: notice.title,
        heading: 'Registration cancelled',
        paragraphs: [notice.body],
        actionLabel: 'See the attendees',
      };
    case 'reminder.24h':
      return {
        subject: `Tomorrow: ${title}`,
        heading: `${title} is tomorrow`,
        paragraphs: ['A reminder that your event starts tomorrow. Have your ticket ready at the door.'],
        actionLabel: 'See the event',
      };
    case 'reminder.1h':
      return {
        subject: `Starting in an hour: ${title}`,
        heading: `${title} starts in an hour`,
        paragraphs: ['Your event starts in an hour. Have your ticket ready at the door.'],
        actionLabel: 'See the event',
      };
    case 'review.created': {
      const rating = Number(notice.details?.rating);
      return {
        subject: notice.title,
        heading: 'A new review',
        paragraphs: [
          Number.isInteger(rating) && rating >= 1 && rating <= 5
            ? `${title} has a new review: ${rating} out of 5.`
            : `${title} has a new review.`,
        ],
        quote: { text: notice.body },
        actionLabel: 'Read the reviews',
      };
    }
    case 'webhook.disabled':
      return {
        subject: notice.title,
        heading: notice.title,
        paragraphs: paragraphsOf(notice.body),
        actionLabel: 'Review your webhooks',
      };
    case 'requested':
    default:
      return {
        subject: notice.title,
        heading: notice.title,
        paragraphs: paragraphsOf(notice.body),
        actionLabel: 'Open in Convene',
      };
  }
}

function quoted(label: string, text: unknown): Pick<EmailCopy, 'quote'> {
  return typeof text === 'string' && text.trim() ? { quote: { label, text: text.trim() } } : {};
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function paragraphsOf(body: string): string[] {
  const paragraphs = body
    .split(/\r?\n\s*\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return paragraphs.length > 0 ? paragraphs : [body];
}
