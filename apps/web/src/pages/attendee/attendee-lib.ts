// What several attendee pages share: labels for the API's enums, where an event happens, finding the
// viewer's own registration and review, and keys that make a retried POST safe.
import { api, data, type EventView, type RegistrationView, type Schemas } from '../../api/client';

export type ReviewView = Schemas['ReviewResponse'];
export type RatingView = Schemas['RatingResponse'];
export type AvailabilityView = Schemas['AvailabilityResponse'];
export type TicketView = Schemas['TicketResponse'];
export type EventCategory = EventView['category'];

export const CATEGORY_LABELS: Record<EventCategory, string> = {
  conference: 'Conference',
  meetup: 'Meetup',
  workshop: 'Workshop',
  concert: 'Concert',
  festival: 'Festival',
  sports: 'Sports',
  networking: 'Networking',
  webinar: 'Webinar',
  exhibition: 'Exhibition',
  other: 'Other',
};

export const CATEGORIES = Object.keys(CATEGORY_LABELS) as EventCategory[];

export function isCategory(value: string | null): value is EventCategory {
  return value !== null && value in CATEGORY_LABELS;
}

/** "Station F, Paris" or "Online": a venue wins over an online link, as the API allows only one. */
export function placeOf(event: Pick<EventView, 'venue' | 'onlineUrl'>): string {
  if (event.venue) return event.venue.name;
  return event.onlineUrl ? 'Online' : 'Place to be announced';
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "4.3" (one decimal is as precise as stars need to be). */
export function formatAverage(average: number): string {
  return average.toFixed(1).replace(/\.0$/, '');
}

/**
 * A fresh Idempotency-Key. crypto.randomUUID exists only in secure contexts (https, localhost); a plain
 * http deployment still gets 122 random bits from getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Enough pages to find anyone's registration without walking an unbounded history. */
const MAX_PAGES = 10;

/**
 * The viewer's registration for an event, from their own list (upcoming until the event ends, past
 * afterwards). One person may hold a cancelled registration and a newer live one: the live one wins.
 */
export async function findMyRegistration(
  event: Pick<EventView, 'id' | 'endsAt'>,
  signal?: AbortSignal,
): Promise<RegistrationView | undefined> {
  const when = new Date(event.endsAt).getTime() <= Date.now() ? 'past' : 'upcoming';
  const matches: RegistrationView[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await data(
      api.GET('/v1/me/registrations', { params: { query: { when, limit: 100, cursor } }, signal }),
    );
    matches.push(...result.items.filter((r) => r.eventId === event.id));
    if (matches.some((r) => r.status !== 'cancelled') || !result.nextCursor) break;
    cursor = result.nextCursor;
  }
  const live = matches.find((r) => r.status !== 'cancelled');
  return live ?? matches.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))[0];
}

/** The viewer's review of an event, if it is among the first few hundred (the list has no author filter). */
export async function findMyReview(
  eventId: string,
  userId: string,
  signal?: AbortSignal,
): Promise<ReviewView | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < 5; page++) {
    const result = await data(
      api.GET('/v1/events/{id}/reviews', {
        params: { path: { id: eventId }, query: { sort: 'newest', limit: 100, cursor } },
        signal,
      }),
    );
    const mine = result.items.find((review) => review.authorId === userId);
    if (mine) return mine;
    if (!result.nextCursor) return undefined;
    cursor = result.nextCursor;
  }
  return undefined;
}

/** A text/calendar file for one event, so a ticket holder can add it to their calendar. */
export function calendarFile(event: EventView, url: string): string {
  const stamp = (iso: string) =>
    new Date(iso)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
  // RFC 5545: escape \ ; , and newlines in text values; fold lines longer than 75 octets.
  const text = (value: string) => value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, '\\n');
  const fold = (line: string) => line.match(/.{1,73}/gu)?.join('\r\n ') ?? line;
  const location = event.venue ? `${event.venue.name}, ${event.venue.address}` : (event.onlineUrl ?? '');
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Convene//Tickets//EN',
    'BEGIN:VEVENT',
    `UID:${event.id}@convene`,
    `DTSTAMP:${stamp(new Date().toISOString())}`,
    `DTSTART:${stamp(event.startsAt)}`,
    `DTEND:${stamp(event.endsAt)}`,
    `SUMMARY:${text(event.title)}`,
    location && `LOCATION:${text(location)}`,
    `URL:${url}`,
    'END:VEVENT',
    'END:VCALENDAR',
  ].filter(Boolean);
  return lines.map(fold).join('\r\n') + '\r\n';
}
