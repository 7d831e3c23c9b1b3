// Every way a review request is refused, and that a refusal changes nothing. Only attendees review
// (checked in, or confirmed once the event started), once each; only the author edits or deletes; only
// the organizer replies; the organizer or an admin hides. Ids in URLs never grant anything.
import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api } from '../support/gateway';
import { createDraftEvent, createPublishedEvent, expectProblem, registered } from '../support/registration-fixtures';
import {
  awaitConfirmedAttendance,
  listedReviews,
  postReview,
  reviewOnceProjected,
  startEvent,
} from '../support/review-fixtures';

// Each test waits for reviews to learn of registrations (asynchronous), a few seconds.
jest.setTimeout(60_000);

let db: Firestore;
let organizer: TestAccount;
let otherOrganizer: TestAccount;
let stranger: TestAccount;
beforeAll(async () => {
  db = systemFirestore();
  [organizer, otherOrganizer, stranger] = await Promise.all([
    registerOrganizer(),
    registerOrganizer(),
    registerAccount({ displayName: 'Mallory' }),
  ]);
});
afterAll(() => db.terminate());

function attendee(displayName = 'E2E Attendee'): Promise<TestAccount> {
  return registerAccount({ displayName });
}

/** A published event with one confirmed attendee reviews knows about; `started` moves its start into the past. */
async function eventWithAttendee(options: { started: boolean; capacity?: number }) {
  const event = await createPublishedEvent(organizer, { capacity: options.capacity ?? 50, waitlistEnabled: true });
  const seated = await attendee('Grace Hopper');
  const registration = await registered(event.id, seated);
  await awaitConfirmedAttendance(event.id, seated);
  if (options.started) await startEvent(db, event.id);
  return { event, seated, registration };
}

describe('who may write a review', () => {
  it('nobody without a token: 401', async () => {
    const event = await createPublishedEvent(organizer);
    const response = await api(`/v1/events/${event.id}/reviews`, { json: { rating: 5 } });
    expectProblem(response, 401, 'UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('a confirmed attendee before the start (not checked in): 422 EVENT_NOT_STARTED; once it started: 201', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await attendee();
    await registered(event.id, grace);

    const early = await reviewOnceProjected(event.id, grace, { rating: 4 }, ['NOT_AN_ATTENDEE']);

    expectProblem(early, 422, 'EVENT_NOT_STARTED');
    expect(await listedReviews(event.id)).toEqual([]);
    await startEvent(db, event.id);
    const started = await postReview(event.id, grace, { rating: 4 });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ authorId: grace.id, rating: 4, checkedIn: false });
  });

  it('not someone who never registered, nor someone only waitlisted: 403 NOT_AN_ATTENDEE', async () => {
    const { event, seated } = await eventWithAttendee({ started: false, capacity: 1 });
    const waitlisted = await attendee();
    expect(await registered(event.id, waitlisted)).toMatchObject({ status: 'waitlisted' });
    await startEvent(db, event.id);
    // The seated attendee's review shows reviews knows the event and its attendees.
    expect((await postReview(event.id, seated, { rating: 5 })).status).toBe(201);

    expectProblem(await postReview(event.id, waitlisted, { rating: 1 }), 403, 'NOT_AN_ATTENDEE');
    expectProblem(await postReview(event.id, stranger, { rating: 1 }), 403, 'NOT_AN_ATTENDEE');
    expect((await listedReviews(event.id)).map((review) => review.authorId)).toEqual([seated.id]);
  });

  it('not someone who cancelled before the start: 403 NOT_AN_ATTENDEE, also once it started', async () => {
    const { event, seated, registration } = await eventWithAttendee({ started: false });
    const cancelled = await api(`/v1/registrations/${registration.id}`, {
      method: 'DELETE',
      token: seated.accessToken,
    });
    expect(cancelled.status).toBe(200);

    // 422 while reviews still knows the seat; then the cancellation reaches it.
    const afterCancelling = await reviewOnceProjected(event.id, seated, { rating: 5 }, ['EVENT_NOT_STARTED']);
    expectProblem(afterCancelling, 403, 'NOT_AN_ATTENDEE');
    // The event starts just after the seat was given up (and before now): a start moved before the
    // cancellation would make it a cancellation after the start, which keeps the right to review.
    await startEvent(db, event.id, new Date(Date.parse(cancelled.body.cancelledAt) + 1));
    expectProblem(await postReview(event.id, seated, { rating: 5 }), 403, 'NOT_AN_ATTENDEE');
    expect(await listedReviews(event.id)).toEqual([]);
  });

  it('someone who gave their seat up after the start: 201', async () => {
    const { event, seated, registration } = await eventWithAttendee({ started: false });
    const cancelled = await api(`/v1/registrations/${registration.id}`, {
      method: 'DELETE',
      token: seated.accessToken,
    });
    expect(cancelled.status).toBe(200);
    // Until reviews learned of the cancellation (the seat's end is what counts), as above.
    expectProblem(await reviewOnceProjected(event.id, seated, { rating: 5 }, ['EVENT_NOT_STARTED']), 403);

    await startEvent(db, event.id, new Date(Date.parse(cancelled.body.cancelledAt) - 1));

    const review = await postReview(event.id, seated, { rating: 2, comment: 'Had to leave early.' });
    expect(review.status).toBe(201);
    expect(review.body).toMatchObject({ authorId: seated.id, rating: 2, checkedIn: false });
  });

  it('not the organizer of the event: 403', async () => {
    const { event } = await eventWithAttendee({ started: true });
    expectProblem(await postReview(event.id, organizer, { rating: 5 }), 403);
    expect(await listedReviews(event.id)).toEqual([]);
  });

  it('not for an unknown event, nor someone else’s draft: 404 EVENT_NOT_FOUND', async () => {
    const draft = await createDraftEvent(otherOrganizer);
    expectProblem(await postReview(randomUUID(), stranger), 404, 'EVENT_NOT_FOUND');
    expectProblem(await postReview(draft.id, stranger), 404, 'EVENT_NOT_FOUND');
    expectProblem(await api(`/v1/events/${randomUUID()}/reviews`), 404, 'EVENT_NOT_FOUND');
    expectProblem(await api(`/v1/events/${draft.id}/reviews`), 404, 'EVENT_NOT_FOUND');
  });
});

describe('one review per person and event', () => {
  it('answers a second review with 409 ALREADY_REVIEWED naming the first', async () => {
    const { event, seated } = await eventWithAttendee({ started: true });
    const first = await postReview(event.id, seated, { rating: 5, comment: 'First.' });
    expect(first.status).toBe(201);

    const second = await postReview(event.id, seated, { rating: 1, comment: 'Second.' });

    expectProblem(second, 409, 'ALREADY_REVIEWED');
    expect(second.body.reviewId).toBe(first.body.id);
    expect(await listedReviews(event.id)).toEqual([first.body]);
  });

  it('lets exactly one of 10 concurrent first reviews through; the others get 409 naming it', async () => {
    const { event, seated } = await eventWithAttendee({ started: true });

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => postReview(event.id, seated, { rating: (i % 5) + 1, comment: `#${i}` })),
    );

    const created = answers.filter((answer) => answer.status === 201);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const refused of answers.filter((answer) => answer.status !== 201)) {
      expectProblem(refused, 409, 'ALREADY_REVIEWED');
      expect(refused.body.reviewId).toBe(created[0]!.body.id);
    }
    expect(await listedReviews(event.id)).toEqual([created[0]!.body]);
  });
});

describe('someone else’s review', () => {
  let event: any;
  let author: TestAccount;
  let review: any;
  beforeAll(async () => {
    const setup = await eventWithAttendee({ started: true });
    event = setup.event;
    author = setup.seated;
    const created = await postReview(event.id, author, { rating: 4, comment: 'Mine.' });
    if (created.status !== 201) throw new Error(`review → ${created.status} ${created.text}`);
    review = created.body;
  });

  async function expectUnchanged(): Promise<void> {
    const read = await api(`/v1/reviews/${review.id}`, { token: author.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(review);
  }

  it('is not editable or deletable by anyone but its author: 403', async () => {
    for (const intruder of [stranger, organizer, otherOrganizer]) {
      const patched = await api(`/v1/reviews/${review.id}`, {
        method: 'PATCH',
        json: { rating: 1, comment: 'Hacked.' },
        token: intruder.accessToken,
      });
      expectProblem(patched, 403);
      expectProblem(await api(`/v1/reviews/${review.id}`, { method: 'DELETE', token: intruder.accessToken }), 403);
    }
    await expectUnchanged();
  });

  it('gets no reply from anyone but the event’s organizer: 403', async () => {
    for (const intruder of [author, stranger, otherOrganizer]) {
      const replied = await api(`/v1/reviews/${review.id}/reply`, {
        method: 'PUT',
        json: { text: 'Thanks, from me.' },
        token: intruder.accessToken,
      });
      expectProblem(replied, 403);
    }
    await expectUnchanged();
  });

  it('is hidden by nobody but the event’s organizer or an admin: 403', async () => {
    for (const intruder of [author, stranger, otherOrganizer]) {
      const hidden = await api(`/v1/reviews/${review.id}/hide`, {
        json: { reason: 'I do not like it.' },
        token: intruder.accessToken,
      });
      expectProblem(hidden, 403);
    }
    await expectUnchanged();
    expect(await listedReviews(event.id)).toEqual([review]);
  });

  it('needs a token for every change: 401', async () => {
    expectProblem(await api(`/v1/reviews/${review.id}`, { method: 'PATCH', json: { rating: 1 } }), 401);
    expectProblem(await api(`/v1/reviews/${review.id}`, { method: 'DELETE' }), 401);
    expectProblem(await api(`/v1/reviews/${review.id}/reply`, { method: 'PUT', json: { text: 'Hi' } }), 401);
    expectProblem(await api(`/v1/reviews/${review.id}/hide`, { json: { reason: 'Spam' } }), 401);
    await expectUnchanged();
  });
});

describe('an unknown review', () => {
  it('is 404 REVIEW_NOT_FOUND to every operation', async () => {
    const id = randomUUID();
    expectProblem(await api(`/v1/reviews/${id}`), 404, 'REVIEW_NOT_FOUND');
    expectProblem(
      await api(`/v1/reviews/${id}`, { method: 'PATCH', json: { rating: 3 }, token: stranger.accessToken }),
      404,
      'REVIEW_NOT_FOUND',
    );
    expectProblem(
      await api(`/v1/reviews/${id}`, { method: 'DELETE', token: stranger.accessToken }),
      404,
      'REVIEW_NOT_FOUND',
    );
    expectProblem(
      await api(`/v1/reviews/${id}/reply`, { method: 'PUT', json: { text: 'Hi' }, token: organizer.accessToken }),
      404,
      'REVIEW_NOT_FOUND',
    );
    expectProblem(
      await api(`/v1/reviews/${id}/hide`, { json: { reason: 'Spam' }, token: organizer.accessToken }),
      404,
      'REVIEW_NOT_FOUND',
    );
  });

  it('includes a deleted one: a second DELETE is 404', async () => {
    const { event, seated } = await eventWithAttendee({ started: true });
    const review = (await postReview(event.id, seated, { rating: 3 })).body;
    const path = `/v1/reviews/${review.id}`;
    expect((await api(path, { method: 'DELETE', token: seated.accessToken })).status).toBe(204);
    expectProblem(await api(path, { method: 'DELETE', token: seated.accessToken }), 404, 'REVIEW_NOT_FOUND');
  });
});

describe('bad input', () => {
  let event: any;
  let author: TestAccount;
  beforeAll(async () => {
    // An attendee who may review: a refusal below is the input's fault, and would otherwise have written.
    ({ event, seated: author } = await eventWithAttendee({ started: true }));
  });

  function fieldsOf(response: { body: any }): string[] {
    return response.body.errors.map((error: { field: string }) => error.field);
  }

  it.each([
    ['a rating of 0', { rating: 0 }, 'rating'],
    ['a rating of 6', { rating: 6 }, 'rating'],
    ['a rating of 3.5', { rating: 3.5 }, 'rating'],
    ['a rating as a string', { rating: '5' }, 'rating'],
    ['no rating', { comment: 'Fine.' }, 'rating'],
    ['a comment of 2,001 characters', { rating: 5, comment: 'x'.repeat(2001) }, 'comment'],
    ['an unknown field', { rating: 5, authorId: randomUUID() }, 'authorId'],
  ])('refuses a review with %s: 400 naming the field, nothing written', async (_case, body, field) => {
    const response = await postReview(event.id, author, body);
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(response)).toContain(field);
    expect(response.body.detail).toContain(field);
    expect(await listedReviews(event.id)).toEqual([]);
  });

  it('refuses malformed JSON (400) and a malformed event id (400 naming `id`), nothing written', async () => {
    const malformed = await api(`/v1/events/${event.id}/reviews`, {
      method: 'POST',
      body: '{"rating": 5,',
      headers: { 'content-type': 'application/json' },
      token: author.accessToken,
    });
    expectProblem(malformed, 400, 'MALFORMED_REQUEST');
    const badId = await postReview('not-a-uuid', author, { rating: 5 });
    expectProblem(badId, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(badId)).toEqual(['id']);
    expect(await listedReviews(event.id)).toEqual([]);
  });

  it('accepts a comment of exactly 2,000 characters, then refuses bad changes, replies and hides naming the field', async () => {
    const created = await postReview(event.id, author, { rating: 5, comment: 'é'.repeat(2000) });
    expect(created.status).toBe(201);
    const review = created.body;
    const path = `/v1/reviews/${review.id}`;

    for (const [body, field] of [
      [{}, 'body'],
      [{ rating: 0 }, 'rating'],
      [{ rating: '4' }, 'rating'],
      [{ comment: 'x'.repeat(2001) }, 'comment'],
      [{ rating: 4, status: 'hidden' }, 'status'],
    ] as const) {
      const patched = await api(path, { method: 'PATCH', json: body, token: author.accessToken });
      expectProblem(patched, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(patched)).toContain(field);
    }
    for (const [body, field] of [
      [{}, 'text'],
      [{ text: '   ' }, 'text'],
      [{ text: 'x'.repeat(2001) }, 'text'],
    ] as const) {
      const replied = await api(`${path}/reply`, { method: 'PUT', json: body, token: organizer.accessToken });
      expectProblem(replied, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(replied)).toContain(field);
    }
    for (const [body, field] of [
      [{}, 'reason'],
      [{ reason: '' }, 'reason'],
      [{ reason: 'x'.repeat(501) }, 'reason'],
    ] as const) {
      const hidden = await api(`${path}/hide`, { json: body, token: organizer.accessToken });
      expectProblem(hidden, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(hidden)).toContain(field);
    }
    for (const [method, suffix, body] of [
      ['GET', '', undefined],
      ['PATCH', '', { rating: 3 }],
      ['DELETE', '', undefined],
      ['PUT', '/reply', { text: 'Hi' }],
      ['POST', '/hide', { reason: 'Spam' }],
    ] as const) {
      const badId = await api(`/v1/reviews/not-a-uuid${suffix}`, { method, json: body, token: organizer.accessToken });
      expectProblem(badId, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(badId)).toEqual(['id']);
    }

    const read = await api(path);
    expect(read.body).toEqual(review);
    expect(await listedReviews(event.id)).toEqual([review]);
  });

  it.each([
    ['sort=best', 'sort'],
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=2.5', 'limit'],
    ['rating=5', 'rating'],
  ])('refuses the listing query %s: 400 naming the field', async (query, field) => {
    const response = await api(`/v1/events/${event.id}/reviews?${query}`);
    expectProblem(response, 400, 'VALIDATION_FAILED');
    expect(fieldsOf(response)).toContain(field);
  });
});
