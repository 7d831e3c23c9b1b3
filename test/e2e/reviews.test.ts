// Reviews as attendees, organizers and admins use them through the gateway. Refusals are in
// reviews-refusals.test.ts.
import type { Firestore } from '@google-cloud/firestore';
import { randomUUID } from 'node:crypto';
import { adminAccount, registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api } from '../support/gateway';
import { createPublishedEvent, expectProblem, registered } from '../support/registration-fixtures';
import {
  awaitConfirmedAttendance,
  checkedInAttendee,
  expectEventRating,
  listedReviews,
  postReview,
  reviewAfterCheckIn,
  startEvent,
} from '../support/review-fixtures';

// Each test waits for reviews to learn of registrations and check-ins (asynchronous), a few seconds.
jest.setTimeout(60_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let db: Firestore;
let organizer: TestAccount;
beforeAll(async () => {
  db = systemFirestore();
  organizer = await registerOrganizer();
});
afterAll(() => db.terminate());

/** An event that started, with `count` confirmed attendees reviews knows about. */
async function startedEventWith(count: number): Promise<{ event: any; attendees: TestAccount[] }> {
  const event = await createPublishedEvent(organizer);
  const attendees = await Promise.all(
    Array.from({ length: count }, (_, i) => registerAccount({ displayName: `Attendee ${i + 1}` })),
  );
  for (const attendee of attendees) await registered(event.id, attendee);
  for (const attendee of attendees) await awaitConfirmedAttendance(event.id, attendee);
  await startEvent(db, event.id);
  return { event, attendees };
}

/** Writes a review that must be accepted now. */
async function reviewed(eventId: string, author: TestAccount, body: Record<string, unknown>): Promise<any> {
  const response = await postReview(eventId, author, body);
  if (response.status !== 201) throw new Error(`review → ${response.status} ${response.text}`);
  return response.body;
}

function read(reviewId: string, as?: TestAccount) {
  return api(`/v1/reviews/${reviewId}`, { token: as?.accessToken });
}

describe('writing a review', () => {
  it('is open to a checked-in attendee before the event starts: 201 with Location, readable by anyone, listed', async () => {
    const event = await createPublishedEvent(organizer);
    const { account: grace } = await checkedInAttendee(event.id, organizer, 'Grace Hopper');

    const created = await reviewAfterCheckIn(event.id, grace, { rating: 5, comment: 'Loved the lightning talks.' });

    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      eventId: event.id,
      authorId: grace.id,
      authorName: 'Grace Hopper',
      rating: 5,
      comment: 'Loved the lightning talks.',
      status: 'visible',
      checkedIn: true,
      createdAt: expect.stringMatching(ISO),
      updatedAt: created.body.createdAt,
    });
    expect(created.headers.get('location')).toBe(`/v1/reviews/${created.body.id}`);

    const anonymous = await read(created.body.id);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual(created.body);
    expect(await listedReviews(event.id)).toEqual([created.body]);
  });

  it('is open to a confirmed attendee once the event has started; the comment defaults to ""; retries are safe', async () => {
    const { event, attendees } = await startedEventWith(1);

    const key = randomUUID();
    const send = () =>
      api(`/v1/events/${event.id}/reviews`, {
        json: { rating: 3 },
        token: attendees[0]!.accessToken,
        headers: { 'idempotency-key': key },
      });

    const created = await send();

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ authorId: attendees[0]!.id, rating: 3, comment: '', checkedIn: false });
    expect(created.body).not.toHaveProperty('reply');
    expect(created.body).not.toHaveProperty('hiddenAt');
    // A retry of the same request (e.g. after a lost response) gets the first answer, not 409.
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(retry.text).toBe(created.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await listedReviews(event.id)).toEqual([created.body]);
  });
});

describe('listing an event’s reviews', () => {
  let event: any;
  let byAge: any[];
  beforeAll(async () => {
    const started = await startedEventWith(5);
    event = started.event;
    byAge = [];
    // One after the other, so each is newer than the one before.
    for (const [i, rating] of [3, 5, 1, 4, 2].entries()) {
      byAge.push(await reviewed(event.id, started.attendees[i]!, { rating, comment: `Review ${i + 1}` }));
    }
  });

  it('lists newest first by default, and by most stars with sort=highest', async () => {
    const newest = await api(`/v1/events/${event.id}/reviews`);
    expect(newest.status).toBe(200);
    expect(newest.body).toEqual({ items: [...byAge].reverse() });

    const highest = await api(`/v1/events/${event.id}/reviews?sort=highest`);
    expect(highest.body.items.map((review: any) => review.rating)).toEqual([5, 4, 3, 2, 1]);
    expect(highest.body).not.toHaveProperty('nextCursor');
  });

  it.each(['newest', 'highest'])('walks the pages of %s with limit=2: each review exactly once', async (sort) => {
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ sort, limit: '2', ...(cursor ? { cursor } : {}) });
      const page = await api(`/v1/events/${event.id}/reviews?${query}`);
      expect(page.status).toBe(200);
      pages.push(page.body.items.map((review: any) => review.id));
      cursor = page.body.nextCursor;
    } while (cursor && pages.length < 10);

    const all = await api(`/v1/events/${event.id}/reviews?sort=${sort}`);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(all.body.items.map((review: any) => review.id));
    expect(new Set(pages.flat()).size).toBe(5);
  });
});

describe('after writing', () => {
  it('the author changes it; the organizer replies, and replying again replaces the text', async () => {
    const {
      event,
      attendees: [author],
    } = await startedEventWith(1);
    const review = await reviewed(event.id, author!, { rating: 2, comment: 'Too crowded.' });

    const changed = await api(`/v1/reviews/${review.id}`, {
      method: 'PATCH',
      json: { rating: 4 },
      token: author!.accessToken,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...review, rating: 4, updatedAt: expect.stringMatching(ISO) });
    expect(Date.parse(changed.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(review.updatedAt));

    const answered = await api(`/v1/reviews/${review.id}/reply`, {
      method: 'PUT',
      json: { text: 'Sorry about that: a bigger room next time.' },
      token: organizer.accessToken,
    });
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ id: review.id, rating: 4, comment: 'Too crowded.' });
    expect(answered.body.reply).toEqual({
      text: 'Sorry about that: a bigger room next time.',
      createdAt: expect.stringMatching(ISO),
      updatedAt: expect.stringMatching(ISO),
    });

    const again = await api(`/v1/reviews/${review.id}/reply`, {
      method: 'PUT',
      json: { text: 'Bigger room booked.' },
      token: organizer.accessToken,
    });
    expect(again.status).toBe(200);
    expect(again.body.reply).toEqual({
      text: 'Bigger room booked.',
      createdAt: answered.body.reply.createdAt,
      updatedAt: expect.stringMatching(ISO),
    });
    expect((await read(review.id)).body).toEqual(again.body);

    const commented = await api(`/v1/reviews/${review.id}`, {
      method: 'PATCH',
      json: { comment: 'Crowded, but they listened.' },
      token: author!.accessToken,
    });
    expect(commented.body).toMatchObject({ rating: 4, comment: 'Crowded, but they listened.' });
    expect(commented.body.reply.text).toBe('Bigger room booked.');
  });

  it('the author deletes it (204), and may then review the event again', async () => {
    const { event, attendees } = await startedEventWith(1);
    const author = attendees[0]!;
    const review = await reviewed(event.id, author, { rating: 1 });

    const deleted = await api(`/v1/reviews/${review.id}`, { method: 'DELETE', token: author.accessToken });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');

    expectProblem(await read(review.id, author), 404, 'REVIEW_NOT_FOUND');
    expect(await listedReviews(event.id)).toEqual([]);
    const anew = await postReview(event.id, author, { rating: 5, comment: 'Second thoughts: great.' });
    expect(anew.status).toBe(201);
    expect(anew.body.id).not.toBe(review.id);
    expect(await listedReviews(event.id)).toEqual([anew.body]);
  });
});

describe('hiding', () => {
  it('the organizer hides a review: out of the listing, 404 to others, still shown to its author and the organizer', async () => {
    const { event, attendees } = await startedEventWith(2);
    const [author, other] = attendees as [TestAccount, TestAccount];
    const stranger = await registerAccount();
    const review = await reviewed(event.id, author, { rating: 1, comment: 'Rude words.' });
    const kept = await reviewed(event.id, other, { rating: 4 });

    const hidden = await api(`/v1/reviews/${review.id}/hide`, {
      json: { reason: 'Insults another attendee.' },
      token: organizer.accessToken,
    });

    expect(hidden.status).toBe(200);
    expect(hidden.body).toEqual({
      ...review,
      status: 'hidden',
      hiddenAt: expect.stringMatching(ISO),
      hiddenReason: 'Insults another attendee.',
      updatedAt: expect.stringMatching(ISO),
    });
    expect(await listedReviews(event.id)).toEqual([kept]);
    expect(await listedReviews(event.id, 'sort=highest')).toEqual([kept]);
    expectProblem(await read(review.id), 404, 'REVIEW_NOT_FOUND');
    expectProblem(await read(review.id, stranger), 404, 'REVIEW_NOT_FOUND');
    expectProblem(await read(review.id, other), 404, 'REVIEW_NOT_FOUND');
    const asAuthor = await read(review.id, author);
    expect(asAuthor.status).toBe(200);
    expect(asAuthor.body).toEqual(hidden.body);
    expect((await read(review.id, organizer)).body).toEqual(hidden.body);

    const twice = await api(`/v1/reviews/${review.id}/hide`, {
      json: { reason: 'Another reason.' },
      token: organizer.accessToken,
    });
    expect(twice.status).toBe(200);
    expect(twice.body).toEqual(hidden.body);
  });

  it('an admin hides a review of any event', async () => {
    const admin = await adminAccount();
    const { event, attendees } = await startedEventWith(1);
    const review = await reviewed(event.id, attendees[0]!, { rating: 2, comment: 'Spam spam spam.' });

    const hidden = await api(`/v1/reviews/${review.id}/hide`, { json: { reason: 'Spam.' }, token: admin.accessToken });

    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ id: review.id, status: 'hidden', hiddenReason: 'Spam.' });
    expect(await listedReviews(event.id)).toEqual([]);
    expect((await read(review.id, admin)).body).toEqual(hidden.body);
    expectProblem(await read(review.id), 404, 'REVIEW_NOT_FOUND');
  });
});

describe('the event’s rating', () => {
  it('follows the visible reviews: written, changed, hidden and deleted', async () => {
    const { event, attendees } = await startedEventWith(3);
    const [ada, grace, linus] = attendees as [TestAccount, TestAccount, TestAccount];
    await expectEventRating(event.id, { count: 0, average: null, histogram: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } });

    const adaReview = await reviewed(event.id, ada, { rating: 5 });
    const graceReview = await reviewed(event.id, grace, { rating: 4 });
    const linusReview = await reviewed(event.id, linus, { rating: 2 });
    await expectEventRating(event.id, { count: 3, average: 3.67, histogram: { 1: 0, 2: 1, 3: 0, 4: 1, 5: 1 } });

    await api(`/v1/reviews/${linusReview.id}/hide`, { json: { reason: 'Off topic.' }, token: organizer.accessToken });
    await expectEventRating(event.id, { count: 2, average: 4.5, histogram: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } });

    await api(`/v1/reviews/${graceReview.id}`, { method: 'PATCH', json: { rating: 1 }, token: grace.accessToken });
    await expectEventRating(event.id, { count: 2, average: 3, histogram: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 1 } });

    await api(`/v1/reviews/${adaReview.id}`, { method: 'DELETE', token: ada.accessToken });
    await expectEventRating(event.id, { count: 1, average: 1, histogram: { 1: 1, 2: 0, 3: 0, 4: 0, 5: 0 } });
  });
});
