import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { newEventBody } from '../support/event-fixtures';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api, eventually, postDeclaringSize } from '../support/gateway';

let db: Firestore;
let organizer: TestAccount;
beforeAll(async () => {
  db = systemFirestore();
  organizer = await registerOrganizer();
});
afterAll(() => db.terminate());

async function storedEventsTitled(title: string): Promise<number> {
  const snapshot = await db.collection('events').where('title', '==', title).count().get();
  return snapshot.data().count;
}

function expectProblem(response: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code, title: expect.any(String), detail: expect.any(String) });
}

describe('POST /v1/events then GET /v1/events/{id}', () => {
  it('creates a draft, stores it, and reads it back', async () => {
    const body = newEventBody({ tags: ['nestjs', 'paris'] });
    const created = await api('/v1/events', { json: body, token: organizer.accessToken });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'draft',
      title: body.title,
      capacity: 50,
      waitlistEnabled: true,
      visibility: 'public',
      tags: ['nestjs', 'paris'],
      venue: body.venue,
      startsAt: new Date(body.startsAt).toISOString(),
    });
    expect(created.body).not.toHaveProperty('onlineUrl');
    expect(created.body.rating).toEqual({ count: 0, average: null, histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });
    expect(created.headers.get('location')).toBe(`/v1/events/${created.body.id}`);

    const read = await api(`/v1/events/${created.body.id}`, { token: organizer.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(created.body.organizerId).toBe(organizer.id);
    expect(await storedEventsTitled(body.title)).toBe(1);
  });

  it('carries the caller’s correlation id to the response', async () => {
    const correlationId = `e2e-${randomUUID()}`;
    const response = await api('/v1/events', {
      json: newEventBody(),
      headers: { 'x-correlation-id': correlationId },
      token: organizer.accessToken,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
  });

  it('answers 404 problem+json for an unknown id and 400 naming `id` for a malformed one', async () => {
    expectProblem(await api(`/v1/events/${randomUUID()}`), 404, 'EVENT_NOT_FOUND');
    const malformed = await api('/v1/events/not-a-uuid');
    expectProblem(malformed, 400, 'VALIDATION_FAILED');
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });
});

describe('POST /v1/events refuses bad input with 400 problem+json naming the field, and writes nothing', () => {
  const cases: Array<[string, (body: Record<string, any>) => void, string]> = [
    ['a missing title', (b) => delete b.title, 'title'],
    ['a missing capacity', (b) => delete b.capacity, 'capacity'],
    ['capacity as a string', (b) => (b.capacity = '50'), 'capacity'],
    ['capacity 0', (b) => (b.capacity = 0), 'capacity'],
    ['capacity above 1,000,000', (b) => (b.capacity = 1_000_001), 'capacity'],
    ['a fractional capacity', (b) => (b.capacity = 2.5), 'capacity'],
    ['a title of 201 characters', (b) => (b.title = `${b.title}${'x'.repeat(201)}`), 'title'],
    ['a start without offset', (b) => (b.startsAt = '2031-05-01T19:00:00'), 'startsAt'],
    ['a start that is not a date', (b) => (b.startsAt = 'next tuesday'), 'startsAt'],
    ['an unknown category', (b) => (b.category = 'rave'), 'category'],
    ['eleven tags', (b) => (b.tags = Array.from({ length: 11 }, (_, i) => `t${i}`)), 'tags'],
    ['a venue without name', (b) => delete b.venue.name, 'venue.name'],
    ['a latitude of 91', (b) => (b.venue.lat = 91), 'venue.lat'],
    ['an online URL that is not a URL', (b) => (delete b.venue, (b.onlineUrl = 'zoom meeting')), 'onlineUrl'],
    ['an unknown field', (b) => (b.organizerId = 'someone-else'), 'organizerId'],
    ['an unknown nested field', (b) => (b.venue.capacity = 10), 'venue.capacity'],
    ['waitlistEnabled as a string', (b) => (b.waitlistEnabled = 'yes'), 'waitlistEnabled'],
    // Rules that relate fields are the events service's: the refusal crosses gRPC and keeps its field.
    ['an end before the start', (b) => (b.endsAt = new Date(Date.parse(b.startsAt) - 60_000).toISOString()), 'endsAt'],
    ['a start in the past', (b) => (b.startsAt = '2020-01-01T10:00:00Z'), 'startsAt'],
    ['an unknown time zone', (b) => (b.timezone = 'Mars/Olympus_Mons'), 'timezone'],
    ['both a venue and an online URL', (b) => (b.onlineUrl = 'https://meet.example.com/x'), 'venue'],
    ['neither a venue nor an online URL', (b) => delete b.venue, 'venue'],
  ];

  it.each(cases)('%s', async (_name, mutate, field) => {
    const body = newEventBody();
    mutate(body);
    const response = await api('/v1/events', { json: body, token: organizer.accessToken });

    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect(response.body.detail).toContain(field);
    const title = typeof body.title === 'string' ? body.title : undefined;
    if (title) expect(await storedEventsTitled(title)).toBe(0);
  });

  it('refuses malformed JSON with 400 and a non-JSON content type with 415', async () => {
    const malformed = await api('/v1/events', {
      body: '{"title": ',
      headers: { 'content-type': 'application/json' },
      token: organizer.accessToken,
    });
    expectProblem(malformed, 400, 'MALFORMED_REQUEST');
    const wrongType = await api('/v1/events', {
      body: 'title=x',
      headers: { 'content-type': 'text/plain' },
      token: organizer.accessToken,
    });
    expectProblem(wrongType, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('refuses a body over the size limit with 413', async () => {
    const response = await postDeclaringSize('/v1/events', 2 * 1024 * 1024, organizer.accessToken);
    expect(response.status).toBe(413);
    expect(response.contentType).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
  });
});

describe('who may create, see and publish events', () => {
  it('needs a signed-in organizer to create an event', async () => {
    const anonymous = await api('/v1/events', { json: newEventBody() });
    expect(anonymous.status).toBe(401);
    const attendee = await registerAccount();
    const refused = await api('/v1/events', { json: newEventBody(), token: attendee.accessToken });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
  });

  it('hides a draft from everyone but its organizer, and lets only them publish it', async () => {
    const draft = await api('/v1/events', { json: newEventBody(), token: organizer.accessToken });
    const other = await registerOrganizer();
    expect((await api(`/v1/events/${draft.body.id}`)).status).toBe(404);
    expect((await api(`/v1/events/${draft.body.id}`, { token: other.accessToken })).status).toBe(404);
    const stolen = await api(`/v1/events/${draft.body.id}/publish`, { method: 'POST', token: other.accessToken });
    expect(stolen.status).toBe(404);

    await api(`/v1/events/${draft.body.id}/publish`, { method: 'POST', token: organizer.accessToken });
    expect((await api(`/v1/events/${draft.body.id}`)).body.status).toBe('published');
  });
});

describe('publishing an event', () => {
  it('publishes the draft and the notifications service records event.published exactly once', async () => {
    const created = await api('/v1/events', { json: newEventBody(), token: organizer.accessToken });
    const id = created.body.id;

    const published = await api(`/v1/events/${id}/publish`, { method: 'POST', token: organizer.accessToken });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ id, status: 'published', publishedAt: expect.any(String) });

    const recorded = await eventually(
      async () => {
        const snapshot = await db.collection('notifications').where('eventId', '==', id).get();
        return snapshot.empty ? undefined : snapshot.docs.map((doc) => doc.data());
      },
      20_000,
      'the notifications service to record event.published',
    );
    expect(recorded).toHaveLength(1);
    // Told to the organizer, named by the message that carried it.
    expect(recorded[0]).toMatchObject({
      kind: 'event.published',
      eventId: id,
      recipientId: created.body.organizerId,
      sourceId: expect.any(String),
    });

    // The outbox record that carried it was marked sent.
    const outbox = await db.collection('outbox/events/messages').doc(recorded[0].sourceId).get();
    expect(outbox.data()).toMatchObject({ eventType: 'event.published', status: 'sent' });
  });

  it('refuses to publish twice (409) or an unknown event (404)', async () => {
    const created = await api('/v1/events', { json: newEventBody(), token: organizer.accessToken });
    expect(
      (await api(`/v1/events/${created.body.id}/publish`, { method: 'POST', token: organizer.accessToken })).status,
    ).toBe(200);
    expectProblem(
      await api(`/v1/events/${created.body.id}/publish`, { method: 'POST', token: organizer.accessToken }),
      409,
      'EVENT_NOT_DRAFT',
    );
    expectProblem(
      await api(`/v1/events/${randomUUID()}/publish`, { method: 'POST', token: organizer.accessToken }),
      404,
      'EVENT_NOT_FOUND',
    );
  });
});
