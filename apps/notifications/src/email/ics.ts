/**
 * iCalendar (RFC 5545) invites for iTIP (RFC 5546): REQUEST adds or updates an event in the
 * attendee's calendar, CANCEL removes it. Written by hand rather than with a library: the output is
 * one VEVENT with a dozen properties, and what matters — escaping, folding at 75 octets without
 * splitting a UTF-8 character, CRLF, SEQUENCE — is exactly what the tests pin down.
 */

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarInvite {
  method: CalendarMethod;
  /** Stable per Convene event, so every invite and cancellation for it names the same calendar entry. */
  uid: string;
  /** Higher supersedes lower; with equal SEQUENCE the later DTSTAMP wins (RFC 5546 §2.1.5). */
  sequence: number;
  stamp: Date;
  start: Date;
  end: Date;
  summary: string;
  description?: string;
  location?: string;
  url?: string;
  organizer: CalendarPerson;
  attendee?: CalendarPerson;
}

const CRLF = '\r\n';
/** RFC 5545 §3.1: lines longer than 75 octets (excluding CRLF) are folded. */
const MAX_LINE_OCTETS = 75;
/** SEQUENCE counts seconds from here: small enough for clients that keep it in 32 bits until 2088. */
const SEQUENCE_EPOCH_MS = Date.UTC(2020, 0, 1);
const MAX_SEQUENCE = 2 ** 31 - 1;

export function calendarInvite(invite: CalendarInvite): string {
  const cancelled = invite.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Convene//Notifications//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${invite.method}`,
    'BEGIN:VEVENT',
    `UID:${escapeText(invite.uid)}`,
    `SEQUENCE:${Math.max(0, Math.min(MAX_SEQUENCE, Math.floor(invite.sequence)))}`,
    `DTSTAMP:${utcDateTime(invite.stamp)}`,
    `DTSTART:${utcDateTime(invite.start)}`,
    `DTEND:${utcDateTime(invite.end)}`,
    `SUMMARY:${escapeText(invite.summary)}`,
    ...(invite.description ? [`DESCRIPTION:${escapeText(invite.description)}`] : []),
    ...(invite.location ? [`LOCATION:${escapeText(invite.location)}`] : []),
    ...(invite.url ? [`URL:${stripControls(invite.url)}`] : []),
    `STATUS:${cancelled ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    `ORGANIZER;CN=${paramValue(invite.organizer.name)}:mailto:${stripControls(invite.organizer.email)}`,
    ...(invite.attendee
      ? [
          // They registered on Convene, so a REQUEST brings an accepted seat, not a question.
          `ATTENDEE;CN=${paramValue(invite.attendee.name)};ROLE=REQ-PARTICIPANT;` +
            `${cancelled ? '' : 'PARTSTAT=ACCEPTED;'}RSVP=FALSE:mailto:${stripControls(invite.attendee.email)}`,
        ]
      : []),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

/** A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (char) => `\\${char}`)
    .replace(/\n/g, '\\n')
    .replace(CONTROLS, '');
}

/**
 * A parameter value (CN=…), always quoted: a quoted-string may hold `:`, `;` and `,` but no DQUOTE
 * and no control characters, so those go.
 */
export function paramValue(value: string): string {
  return `"${value
    .replace(/"/g, "'")
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROLS, '')}"`;
}

/**
 * Folds a content line into lines of at most 75 octets, each continuation starting with one space
 * (which counts). Splits between code points only, so no UTF-8 sequence is cut in two.
 */
export function foldLine(line: string): string {
  const lines: string[] = [];
  let current = '';
  let octets = 0;
  let limit = MAX_LINE_OCTETS;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > limit) {
      lines.push(current);
      current = '';
      octets = 0;
      limit = MAX_LINE_OCTETS - 1;
    }
    current += char;
    octets += size;
  }
  lines.push(current);
  return lines.join(`${CRLF} `);
}

/** `20300201T180000Z`: a DATE-TIME in UTC, so the invite needs no VTIMEZONE. */
export function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * The SEQUENCE of an event last changed at `updatedAt`: every update of the event raises it, so an
 * invite sent after a change supersedes the ones before whatever order they arrive in.
 */
export function sequenceOf(updatedAt: string): number {
  const ms = Date.parse(updatedAt);
  if (Number.isNaN(ms)) return 0;
  return Math.max(0, Math.min(MAX_SEQUENCE, Math.floor((ms - SEQUENCE_EPOCH_MS) / 1000)));
}

// Control characters other than HTAB are not allowed in content lines (RFC 5545 §3.1).
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

function stripControls(value: string): string {
  return value.replace(CONTROLS, '');
}
