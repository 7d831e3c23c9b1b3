// The event editor's form state, and the API bodies made from it: every field for a creation, only
// the changed ones for an update (PATCH keeps absent fields as they are).
import type { EventView, Schemas } from '../../api/client';
import { browserTimeZone, isoToZoned, zonedToIso } from './zoned-time';

export type CreateEventBody = Schemas['CreateEventDto'];
/**
 * The generated type marks fields with a default (description, visibility, waitlistEnabled) as
 * required; in a PATCH every field is optional and absent ones stay as they are.
 */
export type UpdateEventBody = Partial<Schemas['UpdateEventDto']>;
export type Category = CreateEventBody['category'];
export type Visibility = NonNullable<CreateEventBody['visibility']>;

export const CATEGORIES: Record<Category, string> = {
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

export interface EventForm {
  title: string;
  description: string;
  category: Category | '';
  /** As typed: comma-separated. */
  tags: string;
  timezone: string;
  /** `datetime-local` values, wall time in `timezone`. */
  startsAt: string;
  endsAt: string;
  capacity: string;
  waitlistEnabled: boolean;
  visibility: Visibility;
  where: 'venue' | 'online';
  venueName: string;
  venueAddress: string;
  venueLat: string;
  venueLng: string;
  onlineUrl: string;
}

export function emptyForm(): EventForm {
  return {
    title: '',
    description: '',
    category: '',
    tags: '',
    timezone: browserTimeZone(),
    startsAt: '',
    endsAt: '',
    capacity: '',
    waitlistEnabled: true,
    visibility: 'public',
    where: 'venue',
    venueName: '',
    venueAddress: '',
    venueLat: '',
    venueLng: '',
    onlineUrl: '',
  };
}

export function formOf(event: EventView): EventForm {
  return {
    title: event.title,
    description: event.description,
    category: event.category,
    tags: event.tags.join(', '),
    timezone: event.timezone,
    startsAt: isoToZoned(event.startsAt, event.timezone),
    endsAt: isoToZoned(event.endsAt, event.timezone),
    capacity: String(event.capacity),
    waitlistEnabled: event.waitlistEnabled,
    visibility: event.visibility,
    where: event.onlineUrl && !event.venue ? 'online' : 'venue',
    venueName: event.venue?.name ?? '',
    venueAddress: event.venue?.address ?? '',
    venueLat: event.venue?.lat === undefined ? '' : String(event.venue.lat),
    venueLng: event.venue?.lng === undefined ? '' : String(event.venue.lng),
    onlineUrl: event.onlineUrl ?? '',
  };
}

/** "nestjs, TypeScript ,, nestjs" → ["nestjs", "TypeScript"]: trimmed, no blanks, no repeats. */
export function parseTags(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const raw of text.split(',')) {
    const tag = raw.trim();
    if (tag && !seen.has(tag.toLowerCase())) {
      seen.add(tag.toLowerCase());
      tags.push(tag);
    }
  }
  return tags;
}

/** A number as typed, or the text itself so the API names the field when it is not a number. */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** A wall time as ISO with the zone's offset; what was typed when it cannot be read, for the API to name. */
function instantOf(local: string, timeZone: string): string {
  return zonedToIso(local, timeZone)?.iso ?? local;
}

function venueOf(form: EventForm): NonNullable<CreateEventBody['venue']> {
  return {
    name: form.venueName.trim(),
    address: form.venueAddress.trim(),
    ...(form.venueLat.trim() ? { lat: Number(form.venueLat) } : {}),
    ...(form.venueLng.trim() ? { lng: Number(form.venueLng) } : {}),
  };
}

export function createBody(form: EventForm): CreateEventBody {
  const capacity = numberOf(form.capacity);
  return {
    title: form.title.trim(),
    description: form.description,
    category: form.category as Category,
    tags: parseTags(form.tags),
    timezone: form.timezone,
    startsAt: instantOf(form.startsAt, form.timezone),
    endsAt: instantOf(form.endsAt, form.timezone),
    // Absent when empty, so the API says "capacity is required" rather than something about NaN.
    ...(Number.isNaN(capacity) ? {} : { capacity }),
    waitlistEnabled: form.waitlistEnabled,
    visibility: form.visibility,
    ...(form.where === 'venue' ? { venue: venueOf(form) } : { onlineUrl: form.onlineUrl.trim() }),
  } as CreateEventBody;
}

/** The fields that differ from `initial`; empty when nothing changed. */
export function updateBody(initial: EventForm, form: EventForm): UpdateEventBody {
  const body: UpdateEventBody = {};
  if (form.title.trim() !== initial.title) body.title = form.title.trim();
  if (form.description !== initial.description) body.description = form.description;
  if (form.category !== initial.category) body.category = form.category as Category;
  const tags = parseTags(form.tags);
  if (tags.join('\n') !== parseTags(initial.tags).join('\n')) body.tags = tags;
  // A new zone moves both times (they are wall times there), so they go with it.
  const zoneChanged = form.timezone !== initial.timezone;
  if (zoneChanged) body.timezone = form.timezone;
  if (zoneChanged || form.startsAt !== initial.startsAt) body.startsAt = instantOf(form.startsAt, form.timezone);
  if (zoneChanged || form.endsAt !== initial.endsAt) body.endsAt = instantOf(form.endsAt, form.timezone);
  if (form.capacity.trim() !== initial.capacity) body.capacity = numberOf(form.capacity);
  if (form.waitlistEnabled !== initial.waitlistEnabled) body.waitlistEnabled = form.waitlistEnabled;
  if (form.visibility !== initial.visibility) body.visibility = form.visibility;
  if (form.where === 'venue') {
    const venueChanged =
      initial.where !== 'venue' ||
      form.venueName.trim() !== initial.venueName ||
      form.venueAddress.trim() !== initial.venueAddress ||
      form.venueLat.trim() !== initial.venueLat ||
      form.venueLng.trim() !== initial.venueLng;
    // The API replaces the venue whole (and a venue replaces an online URL).
    if (venueChanged) body.venue = venueOf(form);
  } else if (initial.where !== 'online' || form.onlineUrl.trim() !== initial.onlineUrl) {
    body.onlineUrl = form.onlineUrl.trim();
  }
  return body;
}

export interface FieldError {
  field: string;
  message: string;
}

/**
 * What can be told before asking the API: required fields left empty and numbers that are not
 * numbers, in plain words. Everything else (dates in the past, an end before the start, URL rules)
 * is the API's to say, and it names the field.
 */
export function checkForm(form: EventForm): FieldError[] {
  const errors: FieldError[] = [];
  if (!form.title.trim()) errors.push({ field: 'title', message: 'Give the event a title.' });
  if (!form.category) errors.push({ field: 'category', message: 'Choose a category.' });
  if (!form.startsAt) errors.push({ field: 'startsAt', message: 'Enter when it starts (date and time).' });
  else if (!zonedToIso(form.startsAt, form.timezone))
    errors.push({ field: 'startsAt', message: 'Enter the start as a date and a time.' });
  if (!form.endsAt) errors.push({ field: 'endsAt', message: 'Enter when it ends (date and time).' });
  else if (!zonedToIso(form.endsAt, form.timezone))
    errors.push({ field: 'endsAt', message: 'Enter the end as a date and a time.' });
  else if (form.startsAt && form.endsAt <= form.startsAt)
    errors.push({ field: 'endsAt', message: 'The end must be after the start.' });
  const capacity = form.capacity.trim();
  if (!capacity) errors.push({ field: 'capacity', message: 'Enter how many seats there are.' });
  else if (!/^\d+$/.test(capacity) || Number(capacity) < 1)
    errors.push({ field: 'capacity', message: 'Capacity is a whole number of seats, at least 1.' });
  if (form.where === 'venue') {
    if (!form.venueName.trim()) errors.push({ field: 'venue.name', message: 'Enter the venue’s name.' });
    if (!form.venueAddress.trim()) errors.push({ field: 'venue.address', message: 'Enter the venue’s address.' });
    for (const [field, text, label] of [
      ['venue.lat', form.venueLat, 'Latitude'],
      ['venue.lng', form.venueLng, 'Longitude'],
    ] as const)
      if (text.trim() && Number.isNaN(Number(text)))
        errors.push({ field, message: `${label} is a number in degrees, e.g. 48.8771.` });
  } else if (!form.onlineUrl.trim())
    errors.push({ field: 'onlineUrl', message: 'Enter the address where attendees join.' });
  if (parseTags(form.tags).length > 10) errors.push({ field: 'tags', message: 'Up to 10 tags.' });
  return errors;
}
