// BOLA/BFLA: ids in URLs never grant access. A registration and its ticket are its attendee's (the
// event's organizer may read and cancel it); check-in is the organizer's or staff's; the attendee list
// the organizer's. Each refusal is also checked to have changed nothing.
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { api } from '../support/gateway';
import {
  createPublishedEvent,
  expectProblem,
  getBytes,
  grantStaff,
  registered,
} from '../support/registration-fixtures';

let organizer: TestAccount;
let otherOrganizer: TestAccount;
let stranger: TestAccount;
beforeAll(async () => {
  [organizer, otherOrganizer, stranger] = await Promise.all([
    registerOrganizer(),
    registerOrganizer(),
    registerAccount({ displayName: 'Mallory' }),
  ]);
});

describe('someone’s registration', () => {
  let owner: TestAccount;
  let registration: any;
  beforeAll(async () => {
    const event = await createPublishedEvent(organizer);
    owner = await registerAccount({ displayName: 'Grace Hopper' });
    registration = await registered(event.id, owner);
  });

  const path = () => `/v1/registrations/${registration.id}`;

  it('is 404 to anybody else, attendee or organizer of other events, as if it did not exist', async () => {
    for (const intruder of [stranger, otherOrganizer]) {
      expectProblem(await api(path(), { token: intruder.accessToken }), 404);
      expectProblem(await api(`${path()}/ticket`, { token: intruder.accessToken }), 404);
      const png = await getBytes(`${path()}/ticket`, { token: intruder.accessToken, accept: 'image/png' });
      expect(png.status).toBe(404);
      expect(png.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expectProblem(await api(path(), { method: 'DELETE', token: intruder.accessToken }), 404);
    }
    const still = await api(path(), { token: owner.accessToken });
    expect(still.body).toMatchObject({ id: registration.id, status: 'confirmed' });
    expect(still.body).not.toHaveProperty('cancelledAt');
  });

  it('never shows in anybody else’s list', async () => {
    const theirs = await api('/v1/me/registrations', { token: stranger.accessToken });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.map((item: any) => item.id)).not.toContain(registration.id);
  });

  it('is 401 without a token', async () => {
    expectProblem(await api(path()), 401, 'UNAUTHENTICATED');
    expectProblem(await api(`${path()}/ticket`), 401, 'UNAUTHENTICATED');
    expectProblem(await api(path(), { method: 'DELETE' }), 401, 'UNAUTHENTICATED');
    expectProblem(await api('/v1/me/registrations'), 401, 'UNAUTHENTICATED');
  });

  it('is readable by the event’s organizer', async () => {
    const read = await api(path(), { token: organizer.accessToken });
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(registration.id);
  });
});

describe('check-in and the attendee list', () => {
  let event: any;
  let attendee: TestAccount;
  let ticket: string;
  beforeAll(async () => {
    event = await createPublishedEvent(organizer);
    attendee = await registerAccount({ displayName: 'Grace Hopper' });
    const registration = await registered(event.id, attendee);
    ticket = (await api(`/v1/registrations/${registration.id}/ticket`, { token: attendee.accessToken })).body.token;
  });

  const checkIn = (by?: TestAccount) =>
    api(`/v1/events/${event.id}/checkins`, { json: { ticket }, ...(by ? { token: by.accessToken } : {}) });
  const attendees = (by?: TestAccount, accept?: string) =>
    api(`/v1/events/${event.id}/attendees`, {
      ...(by ? { token: by.accessToken } : {}),
      ...(accept ? { headers: { accept } } : {}),
    });

  it('refuses an attendee, even one holding the ticket, with 403', async () => {
    expectProblem(await checkIn(attendee), 403, 'FORBIDDEN');
    expectProblem(await attendees(attendee), 403, 'FORBIDDEN');
    expectProblem(await attendees(attendee, 'text/csv'), 403, 'FORBIDDEN');
  });

  it('refuses another organizer with 403', async () => {
    expectProblem(await checkIn(otherOrganizer), 403, 'FORBIDDEN');
    expectProblem(await attendees(otherOrganizer), 403, 'FORBIDDEN');
    expectProblem(await attendees(otherOrganizer, 'text/csv'), 403, 'FORBIDDEN');
  });

  it('refuses anonymous callers with 401', async () => {
    expectProblem(await checkIn(), 401, 'UNAUTHENTICATED');
    expectProblem(await attendees(), 401, 'UNAUTHENTICATED');
  });

  it('lets staff the organizer granted check the ticket in — not yet checked in by the refused attempts', async () => {
    const staff = await registerAccount({ displayName: 'Door Staff' });
    expectProblem(await checkIn(staff), 403, 'FORBIDDEN');
    await grantStaff(organizer, event.id, staff.id);

    const scanned = await checkIn(staff);

    expect(scanned.status).toBe(201);
    expect(scanned.body).toMatchObject({ eventId: event.id, holderName: 'Grace Hopper', checkedInBy: staff.id });
  });
});
