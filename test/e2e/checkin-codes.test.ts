import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { randomUUID } from 'node:crypto';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api } from '../support/gateway';
import { createPublishedEvent, expectProblem, grantStaff, registered } from '../support/registration-fixtures';

// Each test signs several accounts up (Argon2) and makes a dozen calls: more than Jest's 5 s on a busy machine.
jest.setTimeout(60_000);

const CODE = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

let db: Firestore;
let organizer: TestAccount;
beforeAll(async () => {
  db = systemFirestore();
  organizer = await registerOrganizer();
});
afterAll(() => db.terminate());

async function ticketOf(registration: { id: string }, account: TestAccount): Promise<any> {
  const response = await api(`/v1/registrations/${registration.id}/ticket`, { token: account.accessToken });
  if (response.status !== 200) throw new Error(`ticket → ${response.status} ${response.text}`);
  return response.body;
}

function checkIn(eventId: string, by: TestAccount, body: Record<string, unknown>) {
  return api(`/v1/events/${eventId}/checkins`, { json: body, token: by.accessToken });
}

/** As door staff might type it: lower case, spaces instead of the dash. */
function typedLoosely(code: string): string {
  return ` ${code.toLowerCase().replace('-', ' ')} `;
}

/** A code of the same form that is not `code` (its last character changed). */
function anotherCode(code: string): string {
  return code.slice(0, -1) + (code.endsWith('A') ? 'B' : 'A');
}

describe('typed check-in codes: POST /v1/events/{id}/checkins with `code`', () => {
  it('shows each ticket’s code, and checks its holder in by it once: 201, the first 201 again for its nonce, then 409', async () => {
    const event = await createPublishedEvent(organizer);
    const staff = await registerAccount({ displayName: 'Door Staff' });
    await grantStaff(organizer, event.id, staff.id);
    const grace = await registerAccount({ displayName: 'Grace Hopper' });
    const ada = await registerAccount({ displayName: 'Ada Lovelace' });
    const registration = await registered(event.id, grace);
    const other = await registered(event.id, ada);

    const ticket = await ticketOf(registration, grace);
    expect(ticket.code).toMatch(CODE);
    expect((await ticketOf(registration, grace)).code).toBe(ticket.code);
    expect((await ticketOf(other, ada)).code).not.toBe(ticket.code);

    const nonce = randomUUID();
    const first = await checkIn(event.id, staff, { code: typedLoosely(ticket.code), nonce });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({
      registrationId: registration.id,
      eventId: event.id,
      holderName: 'Grace Hopper',
      checkedInAt: expect.any(String),
      checkedInBy: staff.id,
    });
    const retry = await checkIn(event.id, staff, { code: ticket.code, nonce });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const again = await checkIn(event.id, organizer, { code: ticket.code });
    expectProblem(again, 409, 'ALREADY_CHECKED_IN');
    expect(JSON.stringify(again.body)).toContain(first.body.checkedInAt);
    // The code and the QR code are one ticket: a scan now is a second check-in too.
    expectProblem(await checkIn(event.id, staff, { ticket: ticket.token }), 409, 'ALREADY_CHECKED_IN');

    const attendees = await api(`/v1/events/${event.id}/attendees`, { token: organizer.accessToken });
    const byId = new Map(attendees.body.items.map((a: any) => [a.registrationId, a]));
    expect((byId.get(registration.id) as any).checkedInAt).toBe(first.body.checkedInAt);
    expect((byId.get(other.id) as any).checkedInAt).toBeUndefined();
  });

  it('refuses an unknown code and a code of another event with 422 TICKET_INVALID, checking nobody in', async () => {
    const event = await createPublishedEvent(organizer);
    const otherEvent = await createPublishedEvent(organizer);
    const grace = await registerAccount();
    const here = await registered(event.id, grace);
    const elsewhere = await registered(otherEvent.id, grace);
    const { code } = await ticketOf(elsewhere, grace);
    const { code: ownCode } = await ticketOf(here, grace);

    const wrongEvent = await checkIn(event.id, organizer, { code });
    expectProblem(wrongEvent, 422, 'TICKET_INVALID');
    expect(wrongEvent.body.reason).toBe('unknown-code');
    const unknown = await checkIn(event.id, organizer, { code: anotherCode(ownCode) });
    expectProblem(unknown, 422, 'TICKET_INVALID');
    expect(unknown.body.reason).toBe('unknown-code');

    for (const registrationId of [here.id, elsewhere.id]) {
      const read = await api(`/v1/registrations/${registrationId}`, { token: grace.accessToken });
      expect(read.body.checkedInAt).toBeUndefined();
    }
  });

  it('refuses the code of a cancelled or a waitlisted registration with 422 TICKET_INVALID', async () => {
    const event = await createPublishedEvent(organizer, { capacity: 1, waitlistEnabled: true });
    const grace = await registerAccount();
    const ada = await registerAccount();
    const seated = await registered(event.id, grace);
    const waiting = await registered(event.id, ada);
    expect(waiting.status).toBe('waitlisted');
    // A waitlisted registration has no ticket to read its code from: it is read where it is stored.
    const waitingCode = (await db.collection('registrations').doc(waiting.id).get()).get('checkInCode') as string;
    expect(waitingCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);

    const waitlisted = await checkIn(event.id, organizer, { code: waitingCode });
    expectProblem(waitlisted, 422, 'TICKET_INVALID');
    expect(waitlisted.body.reason).toBe('not-confirmed');

    const { code } = await ticketOf(seated, grace);
    await api(`/v1/registrations/${seated.id}`, { method: 'DELETE', token: grace.accessToken });
    const cancelled = await checkIn(event.id, organizer, { code });
    expectProblem(cancelled, 422, 'TICKET_INVALID');
    expect(cancelled.body.reason).toBe('cancelled');
  });

  it('lets only the organizer and staff of the event use a code (403 for its holder and other organizers)', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount();
    const { code } = await ticketOf(await registered(event.id, grace), grace);
    const otherOrganizer = await registerOrganizer();

    expectProblem(await checkIn(event.id, grace, { code }), 403, 'FORBIDDEN');
    expectProblem(await checkIn(event.id, otherOrganizer, { code }), 403, 'FORBIDDEN');
    expect((await api(`/v1/events/${event.id}/checkins`, { json: { code } })).status).toBe(401);
    expect((await checkIn(event.id, organizer, { code })).status).toBe(201);
  });

  it('refuses both a ticket and a code, neither, or a malformed code with 400 naming the field', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount();
    const registration = await registered(event.id, grace);
    const { token, code } = await ticketOf(registration, grace);

    for (const [body, field] of [
      [{ ticket: token, code }, 'code'],
      [{}, 'ticket'],
      [{ code: 'ABCD-123' }, 'code'],
      [{ code: 'ABCU-1234' }, 'code'],
      [{ code: 12345678 }, 'code'],
    ] as const) {
      const refused = await checkIn(event.id, organizer, body);
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const read = await api(`/v1/registrations/${registration.id}`, { token: grace.accessToken });
    expect(read.body.checkedInAt).toBeUndefined();
  });

  it('gives a registration made before codes existed a code on its first ticket read, which then checks it in', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount();
    const registration = await registered(event.id, grace);
    // What a registration stored before this change looks like: no code at all.
    await db.collection('registrations').doc(registration.id).update({ checkInCode: FieldValue.delete() });

    const { code } = await ticketOf(registration, grace);
    expect(code).toMatch(CODE);
    expect((await ticketOf(registration, grace)).code).toBe(code);

    const checkedIn = await checkIn(event.id, organizer, { code });
    expect(checkedIn.status).toBe(201);
    expect(checkedIn.body.registrationId).toBe(registration.id);
  });
});
