import { concernsAttendees, describeChanges, Notices, when, where } from './notice-builder';
import type { EventFacts } from './notice';

const event: EventFacts = {
  id: '9b2f6a8e-4c1d-4e7a-9f3b-2a1c5d6e7f80',
  organizerId: 'org',
  title: 'NestJS Paris',
  startsAt: '2030-02-01T17:00:00.000Z',
  endsAt: '2030-02-01T20:00:00.000Z',
  timezone: 'Europe/Paris',
  venue: { name: 'Station F', address: '5 Parvis Alan Turing, Paris' },
  status: 'published',
  updatedAt: '2030-01-02T00:00:00.000Z',
};

describe('notices', () => {
  it('says when in the event’s own time zone, and where', () => {
    expect(when(event)).toBe('Fri, 1 Feb 2030, 18:00 (Europe/Paris)');
    expect(where(event)).toBe('at Station F, 5 Parvis Alan Turing, Paris');
    expect(where({ onlineUrl: 'https://meet.example/x' })).toBe('online (https://meet.example/x)');
  });

  it('tells a waitlisted person their place, when known', () => {
    expect(Notices.waitlisted('s', event, 3).body).toContain('You are number 3 in line.');
    expect(Notices.waitlisted('s', event, undefined).body).toContain('You are in line.');
  });

  it('only a change of time or place concerns attendees, in words', () => {
    expect(concernsAttendees(['description'])).toBe(false);
    expect(concernsAttendees(['title', 'startsAt'])).toBe(true);
    expect(describeChanges(['startsAt', 'endsAt', 'venue'])).toBe('time and place');
    expect(Notices.eventUpdated('s', event, ['venue']).title).toBe('NestJS Paris: new place');
  });

  it('quotes a review’s comment, shortened', () => {
    const notice = Notices.reviewCreated('s', event, 'Ada', 5, 'x'.repeat(300));
    expect(notice.body.length).toBeLessThan(170);
    expect(notice).toMatchObject({ kind: 'review.created', category: 'reviews', details: { rating: 5 } });
  });
});
