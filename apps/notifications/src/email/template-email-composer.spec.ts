import ICAL from 'ical.js';
import { Clock } from '@convene/common';
import { Notices } from '../notices/notice-builder';
import { type EventFacts, type Notice, NOTICE_KINDS, type Recipient } from '../notices/notice';
import { TemplateEmailComposer, whenOf } from './template-email-composer';

const event: EventFacts = {
  id: '9b2f6a8e-4c1d-4e7a-9f3b-2a1c5d6e7f80',
  organizerId: 'org-1',
  title: 'NestJS Paris',
  startsAt: '2030-02-01T18:00:00.000Z',
  endsAt: '2030-02-01T21:00:00.000Z',
  timezone: 'Europe/Paris',
  venue: { name: 'Station F', address: '5 Parvis Alan Turing, 75013 Paris' },
  status: 'published',
  updatedAt: '2030-01-15T08:00:00.000Z',
};
const ada: Recipient = { userId: 'user-1', email: 'ada@example.com', displayName: 'Ada' };

class FixedClock extends Clock {
  override now(): Date {
    return new Date('2030-01-20T12:00:00.000Z');
  }
}

const composer = new TemplateEmailComposer(
  { webBaseUrl: 'https://convene.example', from: { name: 'Convene', address: 'no-reply@convene.example' } },
  new FixedClock(),
);

function invite(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { method: calendar.getFirstPropertyValue('method'), vevent, event: new ICAL.Event(vevent) };
}

describe('TemplateEmailComposer', () => {
  it('confirms a seat with a friendly mail, the local time, the venue, a link and a REQUEST invite', () => {
    const email = composer.compose(Notices.confirmed('src-1', event), ada);

    expect(email.subject).toBe('You’re in: NestJS Paris');
    for (const body of [email.text, email.html]) {
      expect(body).toContain('Hi Ada,');
      expect(body).toContain('Friday, 1 February 2030, 19:00');
      expect(body).toContain('(Europe/Paris)');
      expect(body).toContain('Station F, 5 Parvis Alan Turing, 75013 Paris');
      expect(body).toContain(`https://convene.example/events/${event.id}`);
      expect(body).toContain('https://convene.example/settings/notifications');
    }
    expect(email.html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(email.html).toContain('role="presentation"');

    expect(email.calendar?.method).toBe('REQUEST');
    const parsed = invite(email.calendar!.ics);
    expect(parsed.method).toBe('REQUEST');
    expect(parsed.event.uid).toBe(`${event.id}@convene`);
    expect(parsed.event.startDate.toJSDate().toISOString()).toBe(event.startsAt);
    expect(parsed.event.endDate.toJSDate().toISOString()).toBe(event.endsAt);
    expect(parsed.event.summary).toBe('NestJS Paris');
    expect(parsed.event.location).toBe('Station F, 5 Parvis Alan Turing, 75013 Paris');
    expect(parsed.vevent.getFirstPropertyValue('dtstamp')?.toString()).toBe('2030-01-20T12:00:00Z');
    expect(parsed.vevent.getFirstProperty('attendee')!.getFirstValue()).toBe('mailto:ada@example.com');
  });

  it('escapes user input in the HTML and keeps it intact in the text and the invite', () => {
    const hostile = { ...event, title: '<script>alert("x")</script> & Friends' };
    const email = composer.compose(
      Notices.eventCancelled('src-2', hostile, 'Venue flooded <img src=x onerror=alert(1)>'),
      { ...ada, displayName: '<b>Ada</b>' },
    );

    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>Ada</b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Friends');
    expect(email.html).toContain('Venue flooded &lt;img src=x onerror=alert(1)&gt;');
    expect(email.text).toContain('Venue flooded <img src=x onerror=alert(1)>');
    expect(email.subject).toBe('Cancelled: <script>alert("x")</script> & Friends');
    expect(invite(email.calendar!.ics).event.summary).toBe(hostile.title);
  });

  it('puts no line break into the subject, whatever the title holds', () => {
    const email = composer.compose(Notices.confirmed('src-3', { ...event, title: 'Two\r\nBcc: x@evil.test' }), ada);
    expect(email.subject).toBe('You’re in: Two Bcc: x@evil.test');
  });

  it('cancels the calendar entry when the event or the registration is cancelled', () => {
    const cancelled = composer.compose(Notices.eventCancelled('src-4', event, 'Sorry'), ada);
    expect(cancelled.calendar?.method).toBe('CANCEL');
    const parsed = invite(cancelled.calendar!.ics);
    expect(parsed.method).toBe('CANCEL');
    expect(parsed.vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(parsed.event.uid).toBe(`${event.id}@convene`);
    expect(cancelled.text).toContain('The organizer wrote:\n> Sorry');

    for (const reason of ['attendee', 'organizer', 'event-cancelled'] as const) {
      expect(composer.compose(Notices.cancelled('src-5', event, reason, true), ada).calendar?.method).toBe('CANCEL');
    }
    // Someone who only waited never had it in their calendar: no CANCEL.
    expect(composer.compose(Notices.cancelled('src-5', event, 'attendee', false), ada).calendar).toBeUndefined();
    expect(composer.compose(Notices.cancelled('src-5', event, 'organizer', true), ada).text).toContain(
      'The organizer cancelled your registration for NestJS Paris.',
    );
  });

  it('updates the calendar entry with a higher SEQUENCE when the time or place changed', () => {
    const before = invite(composer.compose(Notices.confirmed('src-6', event), ada).calendar!.ics);
    const moved = { ...event, startsAt: '2030-02-02T18:00:00.000Z', updatedAt: '2030-01-16T08:00:00.000Z' };
    const update = composer.compose(Notices.eventUpdated('src-7', moved, ['startsAt']), ada);

    expect(update.subject).toBe('Changed: new time for NestJS Paris');
    expect(update.calendar?.method).toBe('REQUEST');
    const after = invite(update.calendar!.ics);
    expect(after.event.uid).toBe(before.event.uid);
    expect(after.event.sequence).toBeGreaterThan(before.event.sequence);
    expect(after.event.startDate.toJSDate().toISOString()).toBe('2030-02-02T18:00:00.000Z');
  });

  it('sends no invite with a waitlist place, a reminder, or news meant for the organizer', () => {
    const none = [
      Notices.waitlisted('s', event, 3),
      Notices.reminder('s', event, '24h'),
      Notices.reminder('s', event, '1h'),
      Notices.eventPublished('s', event),
      Notices.cancelledByOrganizer('s', event, 'Grace'),
      Notices.reviewCreated('s', event, 'Grace', 4, 'Great talk'),
      Notices.eventUpdated('s', event, ['description']),
    ];
    for (const notice of none) expect(composer.compose(notice, ada).calendar).toBeUndefined();
    expect(composer.compose(Notices.waitlisted('s', event, 3), ada).text).toContain('You are number 3 in line.');
  });

  it('links an online event’s URL, but never a non-web URL', () => {
    const online = { ...event, venue: undefined, onlineUrl: 'https://meet.example/abc' };
    const email = composer.compose(Notices.confirmed('s', online), ada);
    expect(email.html).toContain('<a href="https://meet.example/abc"');
    expect(invite(email.calendar!.ics).event.location).toBe('https://meet.example/abc');

    const sneaky = composer.compose(Notices.confirmed('s', { ...online, onlineUrl: 'javascript:alert(1)' }), ada);
    expect(sneaky.html).not.toContain('href="javascript:');
    expect(sneaky.html).toContain('javascript:alert(1)');
  });

  it('composes every kind of notice: a one-line subject, a text part and an HTML part', () => {
    for (const kind of NOTICE_KINDS) {
      const notice: Notice = {
        sourceId: 's',
        kind,
        category: 'announcements',
        title: `Title of ${kind}`,
        body: 'First paragraph.\n\nSecond paragraph.',
        link: '/somewhere',
        ...(kind === 'welcome' || kind === 'requested' || kind === 'webhook.disabled' ? {} : { event }),
      };
      const email = composer.compose(notice, ada);
      expect(email.subject.length).toBeGreaterThan(0);
      expect(email.subject).not.toMatch(/[\r\n]/);
      expect(email.text).toContain('https://convene.example/somewhere');
      expect(email.html).toContain('href="https://convene.example/somewhere"');
    }
    const requested = composer.compose(
      { sourceId: 's', kind: 'requested', category: 'announcements', title: 'Hello', body: 'One.\n\nTwo.' },
      ada,
    );
    expect(requested.html).toContain('<p style="margin:0 0 16px;">One.</p>');
    expect(requested.html).toContain('<p style="margin:0 0 16px;">Two.</p>');
  });

  it('greets without a name when there is none', () => {
    expect(composer.compose(Notices.welcome('s', ''), { ...ada, displayName: ' ' }).text).toMatch(/^Hello,/);
  });
});

describe('whenOf', () => {
  it('says the time where the event happens, with its zone', () => {
    const newYork = { ...event, timezone: 'America/New_York' };
    expect(whenOf(newYork)).toContain('13:00');
    expect(whenOf(newYork)).toContain('(America/New_York)');
  });

  it('falls back to UTC for a zone it does not know rather than failing the email', () => {
    expect(whenOf({ ...event, timezone: 'Nowhere/Atlantis' })).toContain('18:00');
    expect(whenOf({ ...event, timezone: 'Nowhere/Atlantis' })).toContain('(UTC)');
  });
});
