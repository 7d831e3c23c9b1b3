import { Clock } from '@convene/common';
import type { EventFacts, Notice, Recipient } from '../notices/notice';
import { type ComposedEmail, EmailComposer } from '../notices/ports';
import { copyFor } from './email-copy';
import { type EmailContent, type EventSummary, isWebUrl, renderHtml, renderText } from './email-layout';
import type { ComposerSettings } from './email-settings';
import { type CalendarMethod, calendarInvite, sequenceOf } from './ics';

/** Where people choose which emails they get, in the web app. */
export const NOTIFICATION_SETTINGS_PATH = '/settings/notifications';

/** Event fields an attendee's calendar entry shows: a change to any of them is worth an updated invite. */
const CALENDAR_FIELDS = new Set(['startsAt', 'endsAt', 'timezone', 'venue', 'onlineUrl', 'title']);

/**
 * Which calendar invite goes with a notice: REQUEST when someone gets a seat or the time or place of
 * the event they hold a seat at changes, CANCEL when the seat or the event goes. None otherwise —
 * a waitlist place, a reminder or an announcement puts nothing in a calendar.
 */
export function inviteMethodFor(notice: Notice): CalendarMethod | undefined {
  const event = notice.event;
  if (!event) return undefined;
  // Someone who only waited never had the event in their calendar: nothing to update or cancel.
  if (notice.details?.heldSeat === 'no') return undefined;
  switch (notice.kind) {
    case 'registration.confirmed':
    case 'registration.promoted':
      return event.status === 'published' ? 'REQUEST' : undefined;
    case 'event.updated': {
      const changes = notice.details?.changes;
      const touchesCalendar = !Array.isArray(changes) || changes.some((field) => CALENDAR_FIELDS.has(field));
      return event.status === 'published' && touchesCalendar ? 'REQUEST' : undefined;
    }
    case 'event.cancelled':
    case 'registration.cancelled':
      return 'CANCEL';
    default:
      return undefined;
  }
}

/**
 * Convene's emails from notices: subject, plain text and HTML from one layout, and for the kinds
 * that give, move or take a seat an iCalendar invite. Makes no I/O; the clock only stamps the invite.
 */
export class TemplateEmailComposer extends EmailComposer {
  constructor(
    private readonly settings: ComposerSettings,
    private readonly clock: Clock = new Clock(),
  ) {
    super();
  }

  compose(notice: Notice, recipient: Recipient): ComposedEmail {
    const method = inviteMethodFor(notice);
    const copy = copyFor(notice, method);
    const link = `${this.settings.webBaseUrl}${notice.link ?? '/'}`;
    const subject = oneLine(copy.subject, 200);
    const content: EmailContent = {
      subject,
      preheader: oneLine(notice.body, 160),
      heading: copy.heading,
      greeting: recipient.displayName.trim() ? `Hi ${oneLine(recipient.displayName, 100)},` : 'Hello,',
      paragraphs: copy.paragraphs,
      ...(copy.quote ? { quote: copy.quote } : {}),
      ...(notice.event ? { event: eventSummary(notice.event) } : {}),
      action: { label: copy.actionLabel, url: link },
      footer: {
        text: 'You get this email because you have a Convene account.',
        settingsUrl: `${this.settings.webBaseUrl}${NOTIFICATION_SETTINGS_PATH}`,
      },
    };
    return {
      subject,
      text: renderText(content),
      html: renderHtml(content),
      ...(method && notice.event
        ? { calendar: { method, ics: this.invite(method, notice.event, recipient, link) } }
        : {}),
    };
  }

  private invite(method: CalendarMethod, event: EventFacts, recipient: Recipient, link: string): string {
    const where = placeOf(event);
    return calendarInvite({
      method,
      uid: `${event.id}@convene`,
      sequence: sequenceOf(event.updatedAt),
      stamp: this.clock.now(),
      start: new Date(event.startsAt),
      end: new Date(event.endsAt),
      summary: event.title,
      description: `Details and your ticket: ${link}`,
      ...(where ? { location: where.url ?? where.text } : {}),
      url: link,
      organizer: { name: this.settings.from.name, email: this.settings.from.address },
      ...(recipient.email ? { attendee: { name: recipient.displayName, email: recipient.email } } : {}),
    });
  }
}

export function eventSummary(event: EventFacts): EventSummary {
  const where = placeOf(event);
  return {
    title: event.title,
    when: whenOf(event),
    ...(where ? { where } : {}),
    cancelled: event.status === 'cancelled',
  };
}

/** “Friday, 1 February 2030, 19:00–22:00 CET (Europe/Paris)”: local time where the event happens. */
export function whenOf(event: Pick<EventFacts, 'startsAt' | 'endsAt' | 'timezone'>): string {
  const start = new Date(event.startsAt);
  const end = new Date(event.endsAt);
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  let format: Intl.DateTimeFormat;
  let zone = event.timezone;
  try {
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: event.timezone });
  } catch {
    // An unknown zone must not stop the email: say the time in UTC instead.
    format = new Intl.DateTimeFormat('en-GB', { ...options, timeZone: 'UTC' });
    zone = 'UTC';
  }
  const text = end.getTime() > start.getTime() ? format.formatRange(start, end) : format.format(start);
  return `${text} (${zone})`;
}

function placeOf(event: EventFacts): EventSummary['where'] {
  if (event.venue) return { label: 'Where', text: [event.venue.name, event.venue.address].filter(Boolean).join(', ') };
  if (event.onlineUrl) {
    return { label: 'Online', text: event.onlineUrl, ...(isWebUrl(event.onlineUrl) ? { url: event.onlineUrl } : {}) };
  }
  return undefined;
}

/** A header-safe single line: no line breaks (header injection), runs of whitespace collapsed, capped. */
function oneLine(value: string, max: number): string {
  const line = value.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
