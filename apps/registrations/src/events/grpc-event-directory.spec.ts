import { Clock } from '@convene/common';
import type { EventMessage, EventsServiceClient } from '@convene/contracts';
import { defer, delay, of } from 'rxjs';
import { GrpcEventDirectory } from './grpc-event-directory';

function eventsAnswering(status: EventMessage['status']) {
  let calls = 0;
  const client = {
    getEvent: () =>
      defer(() => {
        calls += 1;
        return of({
          id: 'e1',
          organizerId: 'o1',
          staffIds: ['s1'],
          status,
          title: 'Rush',
          startsAt: '2031-01-01T10:00:00.000Z',
          endsAt: '2031-01-01T12:00:00.000Z',
          waitlistEnabled: true,
          capacity: 10,
          capacityVersion: 0,
        } as unknown as EventMessage).pipe(delay(20));
      }),
  } as unknown as EventsServiceClient;
  return { client, calls: () => calls };
}

describe('GrpcEventDirectory', () => {
  it('asks events once for a crowd that finds a published event uncached, then serves the cache', async () => {
    const events = eventsAnswering('published');
    const directory = new GrpcEventDirectory(events.client, { cacheMs: 1000, deadlineMs: 1000 }, new Clock());

    const answers = await Promise.all(Array.from({ length: 50 }, () => directory.get('e1', undefined)));
    await directory.get('e1', undefined);

    expect(events.calls()).toBe(1);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set(['published']));
    expect(answers[0].staffIds).toEqual([]); // staff only through getFresh (authorization)
  });

  it('never shares or caches a draft: each viewer is answered for themself', async () => {
    const events = eventsAnswering('draft');
    const directory = new GrpcEventDirectory(events.client, { cacheMs: 1000, deadlineMs: 1000 }, new Clock());

    await Promise.all(Array.from({ length: 3 }, () => directory.get('e1', { userId: 'o1', roles: ['organizer'] })));

    expect(events.calls()).toBe(3); // the first asks; the other two see a draft and ask for themselves
  });
});
