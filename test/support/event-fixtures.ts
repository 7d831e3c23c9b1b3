import { randomUUID } from 'node:crypto';

const DAY = 24 * 3600 * 1000;

/** A valid create-event body; override any field. `title` is unique so tests can find what they wrote. */
export function newEventBody(overrides: Record<string, unknown> = {}): Record<string, any> {
  const startsAt = new Date(Date.now() + 30 * DAY);
  return {
    title: `e2e ${randomUUID()}`,
    description: 'An event created by the e2e suite.',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3 * 3600 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    venue: { name: 'Station F', address: '5 Parvis Alan Turing, 75013 Paris', lat: 48.83, lng: 2.37 },
    category: 'meetup',
    tags: ['nestjs'],
    capacity: 50,
    ...overrides,
  };
}
