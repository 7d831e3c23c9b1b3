import type { AttendeeMessage, AttendeePageMessage } from '@convene/contracts';
import { attendeeCsvChunks } from './attendees-csv';

function attendee(n: number, overrides: Partial<AttendeeMessage> = {}): AttendeeMessage {
  return {
    registrationId: `r-${n}`,
    userId: `u-${n}`,
    holderName: `Person ${n}`,
    status: 'confirmed',
    registeredAt: `2027-01-0${n}T10:00:00.000Z`,
    ...overrides,
  };
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('attendeeCsvChunks', () => {
  it('writes the header, then every attendee of every page in order, fetching the next page by cursor', async () => {
    const pages: Record<string, AttendeePageMessage> = {
      c1: { items: [attendee(3, { checkedInAt: '2027-02-01T18:00:00.000Z' })], nextCursor: 'c2' },
      c2: { items: [attendee(4, { status: 'waitlisted', waitlistPosition: 1 })] },
    };
    const asked: string[] = [];
    const text = await collect(
      attendeeCsvChunks({ items: [attendee(1), attendee(2)], nextCursor: 'c1' }, async (cursor) => {
        asked.push(cursor);
        return pages[cursor]!;
      }),
    );

    expect(asked).toEqual(['c1', 'c2']);
    expect(text.split('\r\n')).toEqual([
      'registrationId,userId,holderName,status,registeredAt,checkedInAt',
      'r-1,u-1,Person 1,confirmed,2027-01-01T10:00:00.000Z,',
      'r-2,u-2,Person 2,confirmed,2027-01-02T10:00:00.000Z,',
      'r-3,u-3,Person 3,confirmed,2027-01-03T10:00:00.000Z,2027-02-01T18:00:00.000Z',
      'r-4,u-4,Person 4,waitlisted,2027-01-04T10:00:00.000Z,',
      '',
    ]);
  });

  it('is only the header for an event with nobody registered', async () => {
    const text = await collect(attendeeCsvChunks({ items: [] }, () => Promise.reject(new Error('no next page'))));
    expect(text).toBe('registrationId,userId,holderName,status,registeredAt,checkedInAt\r\n');
  });

  it('quotes and neutralizes what attendees typed in their name', async () => {
    const text = await collect(
      attendeeCsvChunks({ items: [attendee(1, { holderName: '=cmd|"/c calc"!A1, Ada' })] }, () =>
        Promise.reject(new Error('no next page')),
      ),
    );
    expect(text.split('\r\n')[1]).toBe(`r-1,u-1,"'=cmd|""/c calc""!A1, Ada",confirmed,2027-01-01T10:00:00.000Z,`);
  });

  it('fails when a later page fails, after what it already gave', async () => {
    const chunks = attendeeCsvChunks({ items: [attendee(1)], nextCursor: 'c1' }, () =>
      Promise.reject(new Error('service unavailable')),
    );
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of chunks) seen.push(chunk);
      })(),
    ).rejects.toThrow('service unavailable');
    expect(seen).toHaveLength(2);
  });

  it('asks for the pages one at a time, as they are read', async () => {
    let fetched = 0;
    const chunks = attendeeCsvChunks({ items: [attendee(1)], nextCursor: 'c1' }, async () => {
      fetched += 1;
      return { items: [attendee(2)] };
    });
    await chunks.next(); // header
    await chunks.next(); // first page
    expect(fetched).toBe(0);
    await chunks.next();
    expect(fetched).toBe(1);
  });
});
