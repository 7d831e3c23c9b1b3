import ICAL from 'ical.js';
import { calendarInvite, type CalendarInvite, escapeText, foldLine, paramValue, sequenceOf, utcDateTime } from './ics';

const invite: CalendarInvite = {
  method: 'REQUEST',
  uid: '9b2f6a8e-4c1d-4e7a-9f3b-2a1c5d6e7f80@convene',
  sequence: 42,
  stamp: new Date('2030-01-02T03:04:05.678Z'),
  start: new Date('2030-02-01T18:00:00.000Z'),
  end: new Date('2030-02-01T21:30:00.000Z'),
  summary: 'NestJS Paris; meetup, "live" \\ édition',
  description: 'Line one\nLine two, with a comma',
  location: 'Station F, 5 Parvis Alan Turing; Paris',
  url: 'http://localhost:5173/events/9b2f6a8e-4c1d-4e7a-9f3b-2a1c5d6e7f80',
  organizer: { name: 'Convene', email: 'no-reply@convene.test' },
  attendee: { name: 'Ada "the Countess" Lovelace; Esq.', email: 'ada@example.com' },
};

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

describe('calendarInvite', () => {
  it('parses as an iCalendar REQUEST whose event starts and ends at the given instants', () => {
    const { calendar, vevent, event } = parse(calendarInvite(invite));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.uid).toBe(invite.uid);
    expect(event.startDate.toJSDate().toISOString()).toBe('2030-02-01T18:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2030-02-01T21:30:00.000Z');
    expect(event.sequence).toBe(42);
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:no-reply@convene.test');
    const attendee = vevent.getFirstProperty('attendee')!;
    expect(attendee.getFirstValue()).toBe('mailto:ada@example.com');
    expect(attendee.getParameter('partstat')).toBe('ACCEPTED');
  });

  it('gives back user text exactly: commas, semicolons, quotes, backslashes, line breaks, accents', () => {
    const { event, vevent } = parse(calendarInvite(invite));
    expect(event.summary).toBe(invite.summary);
    expect(event.description).toBe(invite.description);
    expect(event.location).toBe(invite.location);
    expect(vevent.getFirstProperty('attendee')!.getParameter('cn')).toBe("Ada 'the Countess' Lovelace; Esq.");
  });

  it('cancels with METHOD:CANCEL and STATUS:CANCELLED for the same UID', () => {
    const { calendar, vevent, event } = parse(calendarInvite({ ...invite, method: 'CANCEL' }));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(event.uid).toBe(invite.uid);
    expect(vevent.getFirstProperty('attendee')!.getParameter('partstat')).toBeUndefined();
  });

  it('ends every line with CRLF, keeps lines within 75 octets, and survives very long values', () => {
    const long = { ...invite, summary: `${'Très long titre — '.repeat(20)}🎉`, description: 'x'.repeat(500) };
    const ics = calendarInvite(long);
    expect(ics.endsWith('\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = ics.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(lines.some((line) => line.startsWith(' '))).toBe(true);
    expect(parse(ics).event.summary).toBe(long.summary);
    expect(parse(ics).event.description).toBe(long.description);
  });

  it('leaves out ATTENDEE without an address and LOCATION without a place', () => {
    const ics = calendarInvite({ ...invite, attendee: undefined, location: undefined });
    expect(ics).not.toContain('ATTENDEE');
    expect(ics).not.toContain('LOCATION');
  });
});

describe('foldLine', () => {
  it('leaves a line of 75 octets alone and folds the 76th onto a continuation line', () => {
    expect(foldLine('a'.repeat(75))).toBe('a'.repeat(75));
    expect(foldLine('a'.repeat(76))).toBe(`${'a'.repeat(75)}\r\n a`);
  });

  it('counts the continuation’s leading space: 74 octets of content per continuation line', () => {
    const folded = foldLine('b'.repeat(75 + 74 + 1));
    expect(folded.split('\r\n')).toEqual(['b'.repeat(75), ` ${'b'.repeat(74)}`, ' b']);
  });

  it('never splits a multi-byte UTF-8 character', () => {
    // 74 ASCII octets, then "é" (2 octets) would make 76: it moves whole to the next line.
    const folded = foldLine(`${'a'.repeat(74)}é`);
    expect(folded).toBe(`${'a'.repeat(74)}\r\n é`);
    const emoji = foldLine('🎉'.repeat(40));
    for (const line of emoji.split('\r\n')) {
      expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
      expect(line.trimStart()).toMatch(/^(🎉)+$/u);
    }
  });
});

describe('escaping', () => {
  it('escapes TEXT per RFC 5545 §3.3.11', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('drops control characters that may not appear in a content line', () => {
    expect(escapeText('bell\u0007 and\u0000 null')).toBe('bell and null');
  });

  it('quotes parameter values and replaces what a quoted-string cannot hold', () => {
    expect(paramValue('Ada: "A"; B,\nC')).toBe(`"Ada: 'A'; B, C"`);
  });
});

describe('utcDateTime and sequenceOf', () => {
  it('writes UTC DATE-TIMEs without separators or fractions', () => {
    expect(utcDateTime(new Date('2030-02-01T18:00:00.999Z'))).toBe('20300201T180000Z');
  });

  it('raises SEQUENCE with every later update and keeps it within 32 bits', () => {
    const first = sequenceOf('2030-01-01T10:00:00.000Z');
    const later = sequenceOf('2030-01-01T10:00:01.000Z');
    expect(later).toBeGreaterThan(first);
    expect(sequenceOf('2087-12-31T23:59:59.000Z')).toBeLessThan(2 ** 31);
    expect(sequenceOf('not a date')).toBe(0);
  });
});
