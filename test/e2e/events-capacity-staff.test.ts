import { randomUUID } from 'node:crypto';
import { adminAccount, registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { newEventBody } from '../support/event-fixtures';
import { api, eventually, type ApiResponse } from '../support/gateway';

let organizer: TestAccount;
beforeAll(async () => {
  organizer = await registerOrganizer();
});

function expectProblem(response: ApiResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status, code });
}

async function createDraft(owner: TestAccount, overrides: Record<string, unknown> = {}): Promise<any> {
  const created = await api('/v1/events', { json: newEventBody(overrides), token: owner.accessToken });
  if (created.status !== 201) throw new Error(`create → ${created.status} ${created.text}`);
  return created.body;
}

async function createPublished(owner: TestAccount, overrides: Record<string, unknown> = {}): Promise<any> {
  const draft = await createDraft(owner, overrides);
  const published = await api(`/v1/events/${draft.id}/publish`, { method: 'POST', token: owner.accessToken });
  if (published.status !== 200) throw new Error(`publish → ${published.status} ${published.text}`);
  return published.body;
}

/** Registers `attendee` through the registrations service; answers the registration. */
async function register(eventId: string, attendee: TestAccount): Promise<any> {
  const response = await api(`/v1/events/${eventId}/registrations`, { method: 'POST', token: attendee.accessToken });
  if (response.status !== 201) throw new Error(`register → ${response.status} ${response.text}`);
  return response.body;
}

function staffPath(eventId: string, userId: string): string {
  return `/v1/events/${eventId}/staff/${userId}`;
}

describe('check-in staff: PUT and DELETE /v1/events/{id}/staff/{userId}', () => {
  it('grants and removes staff idempotently, answering the event', async () => {
    const event = await createPublished(organizer);
    const staff = await registerAccount();

    const granted = await api(staffPath(event.id, staff.id), { method: 'PUT', token: organizer.accessToken });
    expect(granted.status).toBe(200);
    expect(granted.body).toMatchObject({ id: event.id, staff: [staff.id] });
    const again = await api(staffPath(event.id, staff.id), { method: 'PUT', token: organizer.accessToken });
    expect(again.status).toBe(200);
    expect(again.body.staff).toEqual([staff.id]);

    const removed = await api(staffPath(event.id, staff.id), { method: 'DELETE', token: organizer.accessToken });
    expect(removed.status).toBe(200);
    expect(removed.body).not.toHaveProperty('staff');
    const removedAgain = await api(staffPath(event.id, staff.id), { method: 'DELETE', token: organizer.accessToken });
    expect(removedAgain.status).toBe(200);
    const read = await api(`/v1/events/${event.id}`, { token: organizer.accessToken });
    expect(read.body).not.toHaveProperty('staff');
  });

  it('lets an admin grant staff on anyone’s event', async () => {
    const event = await createPublished(organizer);
    const staff = await registerAccount();
    const admin = await adminAccount();
    const granted = await api(staffPath(event.id, staff.id), { method: 'PUT', token: admin.accessToken });
    expect(granted.status).toBe(200);
    expect(granted.body.staff).toEqual([staff.id]);
  });

  it('refuses other organizers (403, or 404 for a draft), attendees (403) and anonymous callers (401)', async () => {
    const published = await createPublished(organizer);
    const draft = await createDraft(organizer);
    const other = await registerOrganizer();
    const attendee = await registerAccount();
    const target = randomUUID();

    expectProblem(
      await api(staffPath(published.id, target), { method: 'PUT', token: other.accessToken }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await api(staffPath(published.id, target), { method: 'DELETE', token: other.accessToken }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await api(staffPath(draft.id, target), { method: 'PUT', token: other.accessToken }),
      404,
      'EVENT_NOT_FOUND',
    );
    expect((await api(staffPath(published.id, target), { method: 'PUT', token: attendee.accessToken })).status).toBe(
      403,
    );
    expect((await api(staffPath(published.id, target), { method: 'PUT' })).status).toBe(401);
    expectProblem(
      await api(staffPath(randomUUID(), target), { method: 'PUT', token: organizer.accessToken }),
      404,
      'EVENT_NOT_FOUND',
    );
  });

  it('answers 404 USER_NOT_FOUND for an id no account holds, leaving the staff as they were', async () => {
    const event = await createPublished(organizer);
    expectProblem(
      await api(staffPath(event.id, randomUUID()), { method: 'PUT', token: organizer.accessToken }),
      404,
      'USER_NOT_FOUND',
    );
    expect((await api(`/v1/events/${event.id}`, { token: organizer.accessToken })).body.staff ?? []).toEqual([]);
  });

  it('answers 400 naming the parameter for a malformed userId or id', async () => {
    const event = await createPublished(organizer);
    const badUser = await api(staffPath(event.id, 'not-a-uuid'), { method: 'PUT', token: organizer.accessToken });
    expectProblem(badUser, 400, 'VALIDATION_FAILED');
    expect(badUser.body.errors).toEqual([expect.objectContaining({ field: 'userId' })]);
    const badEvent = await api(staffPath('nope', randomUUID()), { method: 'DELETE', token: organizer.accessToken });
    expectProblem(badEvent, 400, 'VALIDATION_FAILED');
    expect(badEvent.body.errors).toEqual([expect.objectContaining({ field: 'id' })]);
  });

  it('refuses staff changes on a cancelled event (409)', async () => {
    const event = await createPublished(organizer);
    await api(`/v1/events/${event.id}/cancel`, { json: { reason: 'Storm' }, token: organizer.accessToken });
    const helper = await registerAccount();
    expectProblem(
      await api(staffPath(event.id, helper.id), { method: 'PUT', token: organizer.accessToken }),
      409,
      'EVENT_ALREADY_CANCELLED',
    );
  });

  it('shows the staff list to the organizer, admins and the staff member only', async () => {
    const event = await createPublished(organizer);
    const staff = await registerAccount();
    await api(staffPath(event.id, staff.id), { method: 'PUT', token: organizer.accessToken });

    for (const viewer of [organizer, staff, await adminAccount()]) {
      const read = await api(`/v1/events/${event.id}`, { token: viewer.accessToken });
      expect(read.body.staff).toEqual([staff.id]);
    }
    const mine = await api('/v1/me/events?limit=100', { token: organizer.accessToken });
    expect(mine.body.items.find((e: any) => e.id === event.id).staff).toEqual([staff.id]);

    for (const token of [(await registerAccount()).accessToken, (await registerOrganizer()).accessToken, undefined]) {
      const read = await api(`/v1/events/${event.id}`, { token });
      expect(read.status).toBe(200);
      expect(read.body).not.toHaveProperty('staff');
    }
    const listed = await api(`/v1/events?organizer=${organizer.id}&limit=100`);
    expect(listed.body.items.find((e: any) => e.id === event.id)).not.toHaveProperty('staff');
  });
});

describe('PATCH /v1/events/{id} with capacity', () => {
  it('stores a draft’s new capacity', async () => {
    const draft = await createDraft(organizer, { capacity: 50 });
    const updated = await api(`/v1/events/${draft.id}`, {
      method: 'PATCH',
      json: { capacity: 75 },
      token: organizer.accessToken,
    });
    expect(updated.status).toBe(200);
    expect(updated.body.capacity).toBe(75);
    expect((await api(`/v1/events/${draft.id}`, { token: organizer.accessToken })).body.capacity).toBe(75);
  });

  it.each<[string, unknown]>([
    ['0', 0],
    ['above 1,000,000', 1_000_001],
    ['fractional', 2.5],
    ['a string', '10'],
  ])('refuses a capacity that is %s with 400 naming capacity, changing nothing', async (_case, capacity) => {
    const draft = await createDraft(organizer, { capacity: 50 });
    const response = await api(`/v1/events/${draft.id}`, {
      method: 'PATCH',
      json: { capacity, title: 'Not applied' },
      token: organizer.accessToken,
    });
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors.length).toBeGreaterThan(0);
    expect(response.body.errors).toEqual(
      response.body.errors.map(() => expect.objectContaining({ field: 'capacity' })),
    );
    const read = await api(`/v1/events/${draft.id}`, { token: organizer.accessToken });
    expect(read.body).toMatchObject({ capacity: 50, title: draft.title });
  });

  it('refuses another organizer’s capacity change (403) without touching registrations', async () => {
    const event = await createPublished(organizer, { capacity: 5 });
    const other = await registerOrganizer();
    expectProblem(
      await api(`/v1/events/${event.id}`, { method: 'PATCH', json: { capacity: 500 }, token: other.accessToken }),
      403,
      'FORBIDDEN',
    );
    expect((await api(`/v1/events/${event.id}`)).body.capacity).toBe(5);
  });

  it('refuses a published event’s capacity below the confirmed count (409 with that count), changing nothing', async () => {
    const event = await createPublished(organizer, { capacity: 3 });
    await register(event.id, await registerAccount());
    await register(event.id, await registerAccount());

    const refused = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { capacity: 1, title: 'Smaller room' },
      token: organizer.accessToken,
    });

    expectProblem(refused, 409, 'CAPACITY_BELOW_CONFIRMED');
    expect(refused.body.confirmed).toBe(2);
    const read = await api(`/v1/events/${event.id}`, { token: organizer.accessToken });
    expect(read.body).toMatchObject({ capacity: 3, title: event.title });
  });

  it('lowers a published event’s capacity to the confirmed count: it leaves the hasSeats listing, and returns on a raise', async () => {
    const event = await createPublished(organizer, { capacity: 3 });
    await register(event.id, await registerAccount());
    await register(event.id, await registerAccount());
    const withSeats = async () =>
      (await api(`/v1/events?organizer=${organizer.id}&hasSeats=true&limit=100`)).body.items.map((e: any) => e.id);
    await eventually(
      async () => ((await withSeats()).includes(event.id) ? true : undefined),
      15_000,
      'listed with seats',
    );

    const lowered = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { capacity: 2 },
      token: organizer.accessToken,
    });
    expect(lowered.status).toBe(200);
    expect(lowered.body.capacity).toBe(2);
    await eventually(
      async () => ((await withSeats()).includes(event.id) ? undefined : true),
      15_000,
      'the full event to leave the hasSeats listing',
    );
    const full = await eventually(async () => {
      const read = await api(`/v1/events/${event.id}`);
      return read.body.confirmedCount === 2 ? read.body : undefined;
    });
    expect(full).toMatchObject({ capacity: 2, confirmedCount: 2, waitlistedCount: 0, seatsLeft: 0 });

    const raised = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { capacity: 4 },
      token: organizer.accessToken,
    });
    expect(raised.status).toBe(200);
    await eventually(async () => ((await withSeats()).includes(event.id) ? true : undefined), 15_000, 'listed again');
  });

  it('lets the waitlist in on a raise, and the counts follow', async () => {
    const event = await createPublished(organizer, { capacity: 1 });
    await register(event.id, await registerAccount());
    const waiting = await register(event.id, await registerAccount());
    expect(waiting.status).toBe('waitlisted');
    await eventually(async () => {
      const read = await api(`/v1/events/${event.id}`);
      return read.body.waitlistedCount === 1 ? true : undefined;
    });

    const raised = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { capacity: 2 },
      token: organizer.accessToken,
    });
    expect(raised.status).toBe(200);

    const counts = await eventually(async () => {
      const mine = await api('/v1/me/events?limit=100', { token: organizer.accessToken });
      const listed = mine.body.items.find((e: any) => e.id === event.id);
      return listed?.confirmedCount === 2 ? listed : undefined;
    });
    expect(counts).toMatchObject({ capacity: 2, confirmedCount: 2, waitlistedCount: 0, seatsLeft: 0 });
  });
});

describe('seat counts and the hasSeats filter', () => {
  it('refuses a hasSeats that is not true or false with 400 naming it', async () => {
    const response = await api('/v1/events?hasSeats=yes');
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'hasSeats' })]);
  });

  it('shows a published event’s seat counts to anyone', async () => {
    const event = await createPublished(organizer, { capacity: 7 });
    const read = await api(`/v1/events/${event.id}`);
    expect(read.body).toMatchObject({ capacity: 7, confirmedCount: 0, waitlistedCount: 0, seatsLeft: 7 });
  });
});
