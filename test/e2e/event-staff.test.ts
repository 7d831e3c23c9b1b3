import { randomUUID } from 'node:crypto';
import { adminAccount, registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { api } from '../support/gateway';
import { createDraftEvent, createPublishedEvent, expectProblem, registered } from '../support/registration-fixtures';

// Each test signs several accounts up (Argon2) and makes a dozen calls: more than Jest's 5 s on a busy machine.
jest.setTimeout(60_000);

let organizer: TestAccount;
beforeAll(async () => {
  organizer = await registerOrganizer();
});

function addByEmail(eventId: string, by: TestAccount | undefined, body: Record<string, unknown>) {
  return api(`/v1/events/${eventId}/staff`, { json: body, ...(by ? { token: by.accessToken } : {}) });
}

function listStaff(eventId: string, by: TestAccount) {
  return api(`/v1/events/${eventId}/staff`, { token: by.accessToken });
}

const memberOf = (account: TestAccount) => ({
  userId: account.id,
  displayName: account.displayName,
  email: account.email,
});

describe('check-in staff by email: POST and GET /v1/events/{id}/staff', () => {
  it('adds the account with that email (as typed at sign-in: any case, spaces) and answers the staff member', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount({ displayName: 'Grace Hopper' });

    const added = await addByEmail(event.id, organizer, { email: `  ${grace.email.toUpperCase()} ` });
    expect(added.status).toBe(200);
    expect(added.body).toEqual(memberOf(grace));

    const again = await addByEmail(event.id, organizer, { email: grace.email });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(memberOf(grace));
    const read = await api(`/v1/events/${event.id}`, { token: organizer.accessToken });
    expect(read.body.staff).toEqual([grace.id]);
  });

  it('lists the staff with their names and emails, in the order added, to the organizer, an admin and the staff', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount({ displayName: 'Grace Hopper' });
    const ada = await registerAccount({ displayName: 'Ada Lovelace' });
    await addByEmail(event.id, organizer, { email: grace.email });
    await addByEmail(event.id, organizer, { email: ada.email });
    const admin = await adminAccount();

    for (const viewer of [organizer, admin, grace, ada]) {
      const listed = await listStaff(event.id, viewer);
      expect(listed.status).toBe(200);
      expect(listed.headers.get('cache-control')).toBe('no-store');
      expect(listed.body).toEqual({ items: [memberOf(grace), memberOf(ada)] });
    }

    // Staff removed (by the existing route) leave the list.
    await api(`/v1/events/${event.id}/staff/${grace.id}`, { method: 'DELETE', token: organizer.accessToken });
    expect((await listStaff(event.id, organizer)).body).toEqual({ items: [memberOf(ada)] });
    expect((await listStaff(event.id, grace)).status).toBe(403);
  });

  it('answers an event without staff with an empty list', async () => {
    const event = await createPublishedEvent(organizer);
    expect((await listStaff(event.id, organizer)).body).toEqual({ items: [] });
  });

  it('lets staff added by email check people in', async () => {
    const event = await createPublishedEvent(organizer);
    const door = await registerAccount({ displayName: 'Door' });
    const guest = await registerAccount();
    const registration = await registered(event.id, guest);
    const { code } = (await api(`/v1/registrations/${registration.id}/ticket`, { token: guest.accessToken })).body;

    expectProblem(
      await api(`/v1/events/${event.id}/checkins`, { json: { code }, token: door.accessToken }),
      403,
      'FORBIDDEN',
    );
    await addByEmail(event.id, organizer, { email: door.email });
    const checkedIn = await api(`/v1/events/${event.id}/checkins`, { json: { code }, token: door.accessToken });
    expect(checkedIn.status).toBe(201);
    expect(checkedIn.body.checkedInBy).toBe(door.id);
  });

  it('refuses other organizers (403, 404 for a draft), attendees (403) and anonymous callers (401), adding nobody', async () => {
    const published = await createPublishedEvent(organizer);
    const draft = await createDraftEvent(organizer);
    const other = await registerOrganizer();
    const attendee = await registerAccount();
    const target = await registerAccount();

    expectProblem(await addByEmail(published.id, other, { email: target.email }), 403, 'FORBIDDEN');
    expectProblem(await addByEmail(published.id, attendee, { email: target.email }), 403, 'FORBIDDEN');
    expectProblem(await addByEmail(draft.id, other, { email: target.email }), 404, 'EVENT_NOT_FOUND');
    expect((await addByEmail(published.id, undefined, { email: target.email })).status).toBe(401);
    expect((await listStaff(published.id, organizer)).body).toEqual({ items: [] });
  });

  it('does not show the staff list to attendees or other organizers (403), nor a draft’s (404)', async () => {
    const published = await createPublishedEvent(organizer);
    const draft = await createDraftEvent(organizer);
    const attendee = await registerAccount();
    await registered(published.id, attendee);
    const other = await registerOrganizer();
    await addByEmail(published.id, organizer, { email: (await registerAccount()).email });

    expectProblem(await listStaff(published.id, attendee), 403, 'FORBIDDEN');
    expectProblem(await listStaff(published.id, other), 403, 'FORBIDDEN');
    expectProblem(await listStaff(draft.id, other), 404, 'EVENT_NOT_FOUND');
    expectProblem(await listStaff(randomUUID(), organizer), 404, 'EVENT_NOT_FOUND');
    expect((await api(`/v1/events/${published.id}/staff`)).status).toBe(401);
  });

  it('answers 404 USER_NOT_FOUND for an email no account has, and 400 naming email for an invalid one', async () => {
    const event = await createPublishedEvent(organizer);

    expectProblem(
      await addByEmail(event.id, organizer, { email: `nobody-${randomUUID()}@example.com` }),
      404,
      'USER_NOT_FOUND',
    );
    for (const body of [{ email: 'not-an-email' }, {}, { email: 42 }]) {
      const refused = await addByEmail(event.id, organizer, body);
      expectProblem(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain('email');
    }
    expect((await listStaff(event.id, organizer)).body).toEqual({ items: [] });
  });

  it('follows the PUT route’s rules: 409 once the event is cancelled', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount();
    await api(`/v1/events/${event.id}/cancel`, { json: { reason: 'Storm' }, token: organizer.accessToken });

    expectProblem(await addByEmail(event.id, organizer, { email: grace.email }), 409, 'EVENT_ALREADY_CANCELLED');
  });
});
