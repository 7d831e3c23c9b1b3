import { randomUUID } from 'node:crypto';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { newEventBody } from '../support/event-fixtures';
import { api } from '../support/gateway';

const DAY = 24 * 3600 * 1000;

async function createPublished(organizer: TestAccount, overrides: Record<string, unknown> = {}): Promise<any> {
  const created = await api('/v1/events', { json: newEventBody(overrides), token: organizer.accessToken });
  if (created.status !== 201) throw new Error(`create → ${created.status} ${created.text}`);
  const published = await api(`/v1/events/${created.body.id}/publish`, {
    method: 'POST',
    token: organizer.accessToken,
  });
  if (published.status !== 200) throw new Error(`publish → ${published.status} ${published.text}`);
  return published.body;
}

/** Runs `task` for 0..count-1 with at most `width` in flight. */
async function inBatches<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    const batch = Array.from({ length: Math.min(width, count - start) }, (_, k) => task(start + k));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

describe('GET /v1/events', () => {
  it('walks 250 events with limit 20: each exactly once, in start order (many share a start time)', async () => {
    const organizer = await registerOrganizer();
    const base = Date.now() + 40 * DAY;
    // 50 distinct start times, 5 events each: ties must still paginate exactly.
    const created = await inBatches(250, 10, (i) => {
      const startsAt = new Date(base + Math.floor(i / 5) * 3600_000);
      return createPublished(organizer, {
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3600_000).toISOString(),
      });
    });

    const seen: any[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({ organizer: organizer.id, limit: '20', ...(cursor ? { cursor } : {}) });
      const page = await api(`/v1/events?${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(20);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor && pages < 20);

    expect(pages).toBe(13);
    expect(seen).toHaveLength(250);
    expect(new Set(seen.map((e) => e.id)).size).toBe(250);
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set(created.map((e) => e.id)));
    const keys = seen.map((e) => `${e.startsAt}|${e.id}`);
    expect([...keys].sort()).toEqual(keys);
  }, 120_000);

  it('filters by word, category and dates, and lists only published public events', async () => {
    const organizer = await registerOrganizer();
    const word = `zq${randomUUID().slice(0, 8)}`;
    const concert = await createPublished(organizer, { title: `Open-air ${word} night`, category: 'concert' });
    const later = await createPublished(organizer, {
      title: 'Later',
      tags: [word],
      startsAt: new Date(Date.now() + 90 * DAY).toISOString(),
      endsAt: new Date(Date.now() + 90 * DAY + 3600_000).toISOString(),
    });
    await createPublished(organizer, { title: `Hidden ${word}`, visibility: 'unlisted' });
    await api('/v1/events', { json: newEventBody({ title: `Draft ${word}` }), token: organizer.accessToken });

    const ids = async (query: Record<string, string>) =>
      (await api(`/v1/events?${new URLSearchParams({ organizer: organizer.id, ...query })}`)).body.items.map(
        (e: any) => e.id,
      );
    expect(await ids({ q: word.toUpperCase() })).toEqual([concert.id, later.id]);
    expect(await ids({ q: word, category: 'concert' })).toEqual([concert.id]);
    expect(await ids({ q: word, from: new Date(Date.now() + 60 * DAY).toISOString() })).toEqual([later.id]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['category=rave', 'category'],
    ['from=yesterday', 'from'],
    ['organizer=not-a-uuid', 'organizer'],
    ['q=two%20words', 'q'],
    ['cursor=forged', 'cursor'],
    ['sort=price', 'sort'],
  ])('refuses ?%s with 400 naming %s', async (query, field) => {
    const response = await api(`/v1/events?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});

describe('POST /v1/events/{id}/cancel', () => {
  it('cancels for good, with its reason, and takes the event out of the listing', async () => {
    const organizer = await registerOrganizer();
    const event = await createPublished(organizer);
    const cancelled = await api(`/v1/events/${event.id}/cancel`, {
      json: { reason: '  The venue flooded.  ' },
      token: organizer.accessToken,
    });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellationReason: 'The venue flooded.' });

    const again = await api(`/v1/events/${event.id}/cancel`, {
      json: { reason: 'again' },
      token: organizer.accessToken,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EVENT_ALREADY_CANCELLED');
    const listed = await api(`/v1/events?organizer=${organizer.id}`);
    expect(listed.body.items).toEqual([]);
    expect((await api(`/v1/events/${event.id}`)).body.status).toBe('cancelled');
  });

  it('refuses anyone but its organizer, and a missing reason', async () => {
    const organizer = await registerOrganizer();
    const event = await createPublished(organizer);
    const attendee = await registerAccount();
    const rival = await registerOrganizer();
    expect((await api(`/v1/events/${event.id}/cancel`, { json: { reason: 'x' } })).status).toBe(401);
    expect(
      (await api(`/v1/events/${event.id}/cancel`, { json: { reason: 'x' }, token: attendee.accessToken })).status,
    ).toBe(403);
    expect(
      (await api(`/v1/events/${event.id}/cancel`, { json: { reason: 'x' }, token: rival.accessToken })).status,
    ).toBe(403);
    const noReason = await api(`/v1/events/${event.id}/cancel`, { json: {}, token: organizer.accessToken });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'reason' })]));
    expect((await api(`/v1/events/${event.id}`)).body.status).toBe('published');
  });
});

describe('GET /v1/me/events', () => {
  it("lists the organizer's own events in every state, and nobody else's", async () => {
    const organizer = await registerOrganizer();
    const published = await createPublished(organizer);
    const draft = await api('/v1/events', { json: newEventBody(), token: organizer.accessToken });
    const cancelled = await createPublished(organizer);
    await api(`/v1/events/${cancelled.id}/cancel`, { json: { reason: 'Rain' }, token: organizer.accessToken });
    await createPublished(await registerOrganizer());

    const page = await api('/v1/me/events?limit=10', { token: organizer.accessToken });
    expect(page.status).toBe(200);
    const statuses = Object.fromEntries(page.body.items.map((e: any) => [e.id, e.status]));
    expect(statuses).toEqual({ [published.id]: 'published', [draft.body.id]: 'draft', [cancelled.id]: 'cancelled' });

    const attendee = await registerAccount();
    expect((await api('/v1/me/events', { token: attendee.accessToken })).body.items).toEqual([]);
    expect((await api('/v1/me/events')).status).toBe(401);
    expect((await api('/v1/me/events?limit=500', { token: organizer.accessToken })).status).toBe(400);
  });
});

describe('PATCH /v1/events/{id}', () => {
  it('changes the given fields only, as its organizer', async () => {
    const organizer = await registerOrganizer();
    const event = await createPublished(organizer, { description: 'Keep me', waitlistEnabled: false, tags: ['a'] });
    const patched = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { title: 'Renamed', tags: ['b', 'c'] },
      token: organizer.accessToken,
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      title: 'Renamed',
      tags: ['b', 'c'],
      description: 'Keep me',
      waitlistEnabled: false,
      capacity: event.capacity,
      venue: event.venue,
    });
    const online = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { onlineUrl: 'https://meet.example.com/renamed' },
      token: organizer.accessToken,
    });
    expect(online.body).toMatchObject({ onlineUrl: 'https://meet.example.com/renamed' });
    expect(online.body).not.toHaveProperty('venue');
    expect((await api(`/v1/events/${event.id}`)).body.title).toBe('Renamed');
  });

  it('refuses bad values, unknown fields and anyone else', async () => {
    const organizer = await registerOrganizer();
    const event = await createPublished(organizer);
    const patch = (json: unknown, token?: string) => api(`/v1/events/${event.id}`, { method: 'PATCH', json, token });
    for (const [json, field] of [
      [{ capacity: 0 }, 'capacity'],
      [{ organizerId: 'me' }, 'organizerId'],
      [{ startsAt: 'soon' }, 'startsAt'],
      [{ endsAt: '2020-01-01T00:00:00Z' }, 'endsAt'],
      [{ timezone: 'Mars/Base' }, 'timezone'],
      [{ title: '' }, 'title'],
    ] as const) {
      const response = await patch(json, organizer.accessToken);
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    expect((await patch({ title: 'x' })).status).toBe(401);
    expect((await patch({ title: 'x' }, (await registerAccount()).accessToken)).status).toBe(403);
    expect((await patch({ title: 'x' }, (await registerOrganizer()).accessToken)).status).toBe(403);
    expect((await api(`/v1/events/${event.id}`)).body.title).toBe(event.title);
  });
});
