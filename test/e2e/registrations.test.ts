import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { compactVerify, createLocalJWKSet } from 'jose';
import { randomUUID } from 'node:crypto';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api, eventually } from '../support/gateway';
import {
  createDraftEvent,
  createPublishedEvent,
  expectProblem,
  getBytes,
  openEventStream,
  registered,
  registerFor,
} from '../support/registration-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const HOUR = 3600 * 1000;

let db: Firestore;
let organizer: TestAccount;
beforeAll(async () => {
  db = systemFirestore();
  organizer = await registerOrganizer();
});
afterAll(() => db.terminate());

function attendee(displayName = 'E2E Attendee'): Promise<TestAccount> {
  return registerAccount({ displayName });
}

/** The availability once the registrations service knows the event (it learns of it asynchronously). */
function availabilityOf(eventId: string, until: (figures: any) => boolean = () => true): Promise<any> {
  return eventually(
    async () => {
      const response = await api(`/v1/events/${eventId}/availability`);
      return response.status === 200 && until(response.body) ? response.body : undefined;
    },
    15_000,
    `availability of ${eventId}`,
  );
}

function ticketOf(registration: { id: string }, account: TestAccount) {
  return api(`/v1/registrations/${registration.id}/ticket`, { token: account.accessToken });
}

function checkIn(eventId: string, by: TestAccount, body: Record<string, unknown>) {
  return api(`/v1/events/${eventId}/checkins`, { json: body, token: by.accessToken });
}

describe('POST /v1/events/{id}/registrations', () => {
  it('confirms a seat: 201 with Location, and the attendee reads it back and finds it among theirs', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 5 });
    const grace = await attendee('Grace Hopper');

    const response = await registerFor(event.id, grace);

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(UUID),
      eventId: event.id,
      userId: grace.id,
      status: 'confirmed',
      holderName: 'Grace Hopper',
      eventTitle: event.title,
      confirmedAt: expect.any(String),
    });
    expect(response.body).not.toHaveProperty('waitlistPosition');
    expect(response.headers.get('location')).toBe(`/v1/registrations/${response.body.id}`);

    const read = await api(`/v1/registrations/${response.body.id}`, { token: grace.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(response.body);
    const upcoming = await api('/v1/me/registrations?when=upcoming', { token: grace.accessToken });
    expect(upcoming.status).toBe(200);
    expect(upcoming.body.items.map((item: any) => item.id)).toEqual([response.body.id]);
    const past = await api('/v1/me/registrations?when=past', { token: grace.accessToken });
    expect(past.body.items).toEqual([]);
  });

  it('answers a second attempt with 409 ALREADY_REGISTERED carrying the existing registration', async () => {
    const event = await createPublishedEvent(organizer);
    const ada = await attendee();
    const first = await registered(event.id, ada);

    const again = await registerFor(event.id, ada);

    expectProblem(again, 409, 'ALREADY_REGISTERED');
    expect(again.body.registration).toEqual(first);
  });

  it('puts people in line, with their positions, once a waitlisted event is full', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 1, waitlistEnabled: true });
    const seated = await registered(event.id, await attendee());
    const second = await registered(event.id, await attendee());
    const third = await registered(event.id, await attendee());

    expect(seated).toMatchObject({ status: 'confirmed' });
    expect(second).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(third).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });
    expect(second).not.toHaveProperty('confirmedAt');
  });

  it('refuses with 409 EVENT_FULL once an event without a waitlist is full', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 1, waitlistEnabled: false });
    await registered(event.id, await attendee());
    const late = await attendee();

    expectProblem(await registerFor(event.id, late), 409, 'EVENT_FULL');
    const mine = await api('/v1/me/registrations', { token: late.accessToken });
    expect(mine.body.items).toEqual([]);
  });

  it('answers 404 for a draft, as for an unknown event, and 400 naming `id` for a malformed one', async () => {
    const draft = await createDraftEvent(organizer);
    const ada = await attendee();

    expectProblem(await registerFor(draft.id, ada), 404, 'EVENT_NOT_FOUND');
    expectProblem(await registerFor(randomUUID(), ada), 404, 'EVENT_NOT_FOUND');
    const malformed = await api('/v1/events/not-a-uuid/registrations', { method: 'POST', token: ada.accessToken });
    expectProblem(malformed, 400, 'VALIDATION_FAILED');
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('refuses with 422 REGISTRATION_CLOSED once the event is cancelled', async () => {
    const event = await createPublishedEvent(organizer);
    const cancelled = await api(`/v1/events/${event.id}/cancel`, {
      json: { reason: 'The venue flooded.' },
      token: organizer.accessToken,
    });
    expect(cancelled.status).toBe(200);

    expectProblem(await registerFor(event.id, await attendee()), 422, 'REGISTRATION_CLOSED');
  });

  it('refuses with 422 REGISTRATION_CLOSED once the event has ended', async () => {
    const event = await createPublishedEvent(organizer);
    // The API accepts only future events: move this one into the past where events stores it, before
    // anyone asked about it (so no cache holds its old times).
    const startsAt = new Date(Date.now() - 5 * HOUR);
    await db
      .collection('events')
      .doc(event.id)
      .update({ startsAt: Timestamp.fromDate(startsAt), endsAt: Timestamp.fromDate(new Date(Date.now() - 2 * HOUR)) });

    expectProblem(await registerFor(event.id, await attendee()), 422, 'REGISTRATION_CLOSED');
  });

  it('answers a retry with the same Idempotency-Key with the first response, and the key on another event with 422', async () => {
    const event = await createPublishedEvent(organizer);
    const otherEvent = await createPublishedEvent(organizer);
    const ada = await attendee();
    const key = randomUUID();

    const first = await registerFor(event.id, ada, { 'idempotency-key': key });
    const retry = await registerFor(event.id, ada, { 'idempotency-key': key });

    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expectProblem(await registerFor(otherEvent.id, ada, { 'idempotency-key': key }), 422, 'IDEMPOTENCY_KEY_REUSED');
    const mine = await api('/v1/me/registrations', { token: ada.accessToken });
    expect(mine.body.items.map((item: any) => item.eventId)).toEqual([event.id]);
  });
});

describe('DELETE /v1/registrations/{id}', () => {
  it('cancels, frees the seat and lets the first in line in; the next one moves up', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 1, waitlistEnabled: true });
    const [a, b, c] = await Promise.all([attendee(), attendee(), attendee()]);
    const seated = await registered(event.id, a);
    const firstInLine = await registered(event.id, b);
    const secondInLine = await registered(event.id, c);

    const cancelled = await api(`/v1/registrations/${seated.id}`, { method: 'DELETE', token: a.accessToken });

    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ id: seated.id, status: 'cancelled', cancelledAt: expect.any(String) });
    const promoted = await eventually(async () => {
      const read = await api(`/v1/registrations/${firstInLine.id}`, { token: b.accessToken });
      return read.body.status === 'confirmed' ? read.body : undefined;
    });
    expect(promoted).not.toHaveProperty('waitlistPosition');
    const next = await api(`/v1/registrations/${secondInLine.id}`, { token: c.accessToken });
    expect(next.body).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await availabilityOf(event.id, (figures) => figures.confirmed === 1 && figures.waitlisted === 1)).toEqual({
      eventId: event.id,
      capacity: 1,
      confirmed: 1,
      waitlisted: 1,
      seatsLeft: 0,
    });
  });
});

describe('tickets', () => {
  it('serves the same ticket as JSON, SVG and PNG, never cacheable', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await attendee('Grace Hopper');
    const registration = await registered(event.id, grace);
    const path = `/v1/registrations/${registration.id}/ticket`;

    const json = await ticketOf(registration, grace);
    expect(json.status).toBe(200);
    expect(json.headers.get('cache-control')).toBe('no-store');
    expect(json.body).toEqual({
      registrationId: registration.id,
      eventId: event.id,
      holderName: 'Grace Hopper',
      token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      qrSvg: expect.stringContaining('<svg'),
      code: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/),
    });

    const svg = await api(path, { token: grace.accessToken, headers: { accept: 'image/svg+xml' } });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.headers.get('cache-control')).toBe('no-store');
    // Each issue is signed anew (ECDSA signatures differ), so the QR differs too; any issued ticket is valid.
    expect(svg.text).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    const png = await getBytes(path, { token: grace.accessToken, accept: 'image/png' });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('cache-control')).toBe('no-store');
    expect(png.bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);

    expectProblem(
      await api(path, { token: grace.accessToken, headers: { accept: 'text/html' } }),
      406,
      'NOT_ACCEPTABLE',
    );
  });

  it('verifies offline with the event’s public ticket keys, and a tampered ticket does not', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await attendee('Grace Hopper');
    const registration = await registered(event.id, grace);
    const { token } = (await ticketOf(registration, grace)).body;

    const keys = await api(`/v1/events/${event.id}/ticket-keys`);
    expect(keys.status).toBe(200);
    expect(keys.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(keys.body.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' })]);
    const jwks = createLocalJWKSet(keys.body);

    const { payload, protectedHeader } = await compactVerify(token, jwks);
    expect(protectedHeader.alg).toBe('ES256');
    const claims = new TextDecoder().decode(payload);
    expect(claims).toContain(registration.id);
    expect(claims).toContain(event.id);
    expect(claims).toContain('Grace Hopper');

    const [header, , signature] = token.split('.');
    const forgedBody = Buffer.from(claims.replace('Grace Hopper', 'Mallory')).toString('base64url');
    await expect(compactVerify(`${header}.${forgedBody}.${signature}`, jwks)).rejects.toThrow();
    const otherEvent = await createPublishedEvent(organizer);
    const otherKeys = (await api(`/v1/events/${otherEvent.id}/ticket-keys`)).body;
    await expect(compactVerify(token, createLocalJWKSet(otherKeys))).rejects.toThrow();
  });
});

describe('POST /v1/events/{id}/checkins', () => {
  it('checks a ticket in once: 201, the same 201 for a retry with its nonce, then 409 with the first time', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await attendee('Grace Hopper');
    const registration = await registered(event.id, grace);
    const { token } = (await ticketOf(registration, grace)).body;
    const nonce = randomUUID();

    const first = await checkIn(event.id, organizer, { ticket: token, nonce });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      registrationId: registration.id,
      eventId: event.id,
      holderName: 'Grace Hopper',
      checkedInAt: expect.any(String),
      checkedInBy: organizer.id,
    });

    const retry = await checkIn(event.id, organizer, { ticket: token, nonce });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);

    const second = await checkIn(event.id, organizer, { ticket: token, nonce: randomUUID() });
    expectProblem(second, 409, 'ALREADY_CHECKED_IN');
    expect(JSON.stringify(second.body)).toContain(first.body.checkedInAt);
    const read = await api(`/v1/registrations/${registration.id}`, { token: grace.accessToken });
    expect(read.body.checkedInAt).toBe(first.body.checkedInAt);
  });

  it('refuses a forged ticket and a ticket of another event with 422 TICKET_INVALID', async () => {
    const event = await createPublishedEvent(organizer);
    const otherEvent = await createPublishedEvent(organizer);
    const grace = await attendee();
    const elsewhere = await registered(otherEvent.id, grace);
    const { token } = (await ticketOf(elsewhere, grace)).body;

    expectProblem(await checkIn(event.id, organizer, { ticket: token }), 422, 'TICKET_INVALID');
    const [header, payload] = token.split('.');
    expectProblem(
      await checkIn(otherEvent.id, organizer, { ticket: `${header}.${payload}.AAAA` }),
      422,
      'TICKET_INVALID',
    );
    expectProblem(await checkIn(otherEvent.id, organizer, { ticket: 'not a ticket' }), 422, 'TICKET_INVALID');
  });

  it('refuses a cancelled registration’s ticket with 422 TICKET_INVALID', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await attendee();
    const registration = await registered(event.id, grace);
    const { token } = (await ticketOf(registration, grace)).body;
    await api(`/v1/registrations/${registration.id}`, { method: 'DELETE', token: grace.accessToken });

    expectProblem(await checkIn(event.id, organizer, { ticket: token }), 422, 'TICKET_INVALID');
  });

  it('refuses a body without a ticket, or with one too long, with 400 naming the field', async () => {
    const event = await createPublishedEvent(organizer);
    for (const [body, field] of [
      [{}, 'ticket'],
      [{ ticket: 'x'.repeat(4097) }, 'ticket'],
      [{ ticket: 'x', nonce: 'n'.repeat(101) }, 'nonce'],
      [{ ticket: 'x', checkedInBy: organizer.id }, 'checkedInBy'],
    ] as const) {
      const refused = await checkIn(event.id, organizer, body);
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
  });
});

describe('GET /v1/events/{id}/attendees', () => {
  let event: any;
  let seated: any[];
  let waiting: any;
  let checkedIn: any;
  beforeAll(async () => {
    event = await createPublishedEvent(organizer, { capacity: 2, waitlistEnabled: true });
    const people = [
      await attendee('Ada'),
      await attendee('=HYPERLINK("http://evil.example")'),
      await attendee('Carol'),
    ];
    seated = [await registered(event.id, people[0]!), await registered(event.id, people[1]!)];
    waiting = await registered(event.id, people[2]!);
    const { token } = (await ticketOf(seated[0], people[0]!)).body;
    checkedIn = (await checkIn(event.id, organizer, { ticket: token })).body;
  });

  function attendeesPath(query = ''): string {
    return `/v1/events/${event.id}/attendees${query}`;
  }

  it('lists everyone by registration time, with cursor pages', async () => {
    const all = await api(attendeesPath(), { token: organizer.accessToken });
    expect(all.status).toBe(200);
    expect(all.body.items.map((item: any) => item.registrationId)).toEqual([seated[0].id, seated[1].id, waiting.id]);
    expect(all.body.items[0]).toEqual({
      registrationId: seated[0].id,
      userId: seated[0].userId,
      holderName: 'Ada',
      status: 'confirmed',
      registeredAt: expect.any(String),
      checkedInAt: checkedIn.checkedInAt,
    });
    expect(all.body).not.toHaveProperty('nextCursor');

    const first = await api(attendeesPath('?limit=2'), { token: organizer.accessToken });
    expect(first.body.items).toHaveLength(2);
    const rest = await api(attendeesPath(`?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`), {
      token: organizer.accessToken,
    });
    expect(rest.body.items.map((item: any) => item.registrationId)).toEqual([waiting.id]);
  });

  it('filters by status and by checked in', async () => {
    const waitlisted = await api(attendeesPath('?status=waitlisted'), { token: organizer.accessToken });
    expect(waitlisted.body.items).toEqual([
      expect.objectContaining({ registrationId: waiting.id, waitlistPosition: 1 }),
    ]);
    const arrived = await api(attendeesPath('?checkedIn=true'), { token: organizer.accessToken });
    expect(arrived.body.items.map((item: any) => item.registrationId)).toEqual([seated[0].id]);
    const expected = await api(attendeesPath('?status=confirmed&checkedIn=false'), { token: organizer.accessToken });
    expect(expected.body.items.map((item: any) => item.registrationId)).toEqual([seated[1].id]);
  });

  it('refuses bad filters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['?status=maybe', 'status'],
      ['?checkedIn=yes', 'checkedIn'],
      ['?limit=0', 'limit'],
      ['?limit=1001', 'limit'],
    ]) {
      const refused = await api(attendeesPath(query), { token: organizer.accessToken });
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('exports every matching attendee as CSV for Accept: text/csv, formulas neutralized', async () => {
    const csv = await api(attendeesPath('?limit=1'), { token: organizer.accessToken, headers: { accept: 'text/csv' } });

    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="[^"]+\.csv"$/);
    const lines = csv.text.split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('registrationId,userId,holderName,status,registeredAt,checkedInAt');
    expect(lines[1]).toMatch(
      new RegExp(`^${seated[0].id},${seated[0].userId},Ada,confirmed,[^,]+,${checkedIn.checkedInAt}$`),
    );
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://evil.example"")",confirmed,`);
    expect(lines[3]).toMatch(new RegExp(`^${waiting.id},.*,Carol,waitlisted,[^,]+,$`));
    expect(lines[4]).toBe('');

    const filtered = await api(attendeesPath('?status=waitlisted'), {
      token: organizer.accessToken,
      headers: { accept: 'text/csv' },
    });
    expect(filtered.text.split('\r\n')).toHaveLength(3);
  });
});

describe('availability', () => {
  it('counts seats taken, people in line and seats left', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 2, waitlistEnabled: true });
    expect(await availabilityOf(event.id)).toEqual({
      eventId: event.id,
      capacity: 2,
      confirmed: 0,
      waitlisted: 0,
      seatsLeft: 2,
    });
    for (let i = 0; i < 3; i++) await registered(event.id, await attendee());

    expect(await availabilityOf(event.id, (figures) => figures.waitlisted === 1)).toEqual({
      eventId: event.id,
      capacity: 2,
      confirmed: 2,
      waitlisted: 1,
      seatsLeft: 0,
    });
    expectProblem(await api(`/v1/events/${randomUUID()}/availability`), 404);
  });

  it('streams the figures at once and pushes the change a registration makes', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 3 });
    await availabilityOf(event.id);
    const stream = await openEventStream(`/v1/events/${event.id}/availability/stream`);
    try {
      expect(stream.response.status).toBe(200);
      expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.response.headers.get('x-correlation-id')).toBeTruthy();
      expect(await stream.next()).toEqual({
        event: 'availability',
        data: { eventId: event.id, capacity: 3, confirmed: 0, waitlisted: 0, seatsLeft: 3 },
      });

      await registered(event.id, await attendee());

      let update = await stream.next();
      while (update && update.data.confirmed === 0) update = await stream.next();
      expect(update).toEqual({
        event: 'availability',
        data: { eventId: event.id, capacity: 3, confirmed: 1, waitlisted: 0, seatsLeft: 2 },
      });
    } finally {
      stream.close();
    }
  });

  it('answers the stream of an unknown event with a 404 problem, not a stream', async () => {
    expectProblem(await api(`/v1/events/${randomUUID()}/availability/stream`), 404);
  });
});
