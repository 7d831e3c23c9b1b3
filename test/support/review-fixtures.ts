// Helpers for the review e2e tests. Who may review comes from the reviews service's own projection of
// registrations' messages, so it lags a registration or a check-in by a moment: these helpers poll
// until the projection has caught up, and let the test assert the answer that follows exactly.
import { Timestamp, type Firestore } from '@google-cloud/firestore';
import { isDeepStrictEqual } from 'node:util';
import { registerAccount, type TestAccount } from './accounts';
import { api, eventually, type ApiResponse } from './gateway';
import { registered } from './registration-fixtures';

const HOUR = 3600 * 1000;
const PROJECTION_TIMEOUT_MS = 20_000;

/** POST /v1/events/{id}/reviews as `author`; the raw response. */
export function postReview(eventId: string, author: TestAccount, body: unknown = { rating: 5 }): Promise<ApiResponse> {
  return api(`/v1/events/${eventId}/reviews`, { method: 'POST', json: body, token: author.accessToken });
}

function codeOf(response: ApiResponse): string | undefined {
  return typeof response.body === 'object' && response.body !== null ? response.body.code : undefined;
}

/**
 * Posts a review until the answer is no longer one the projection's lag explains (`waitingFor`: the
 * codes of the states the author passes through on the way), and answers that first other response.
 * A refusal never writes, so only the final attempt can have written anything.
 */
export async function reviewOnceProjected(
  eventId: string,
  author: TestAccount,
  body: unknown,
  waitingFor: readonly string[],
): Promise<ApiResponse> {
  let last: ApiResponse | undefined;
  try {
    return await eventually(
      async () => {
        last = await postReview(eventId, author, body);
        return waitingFor.includes(codeOf(last) ?? '') ? undefined : last;
      },
      PROJECTION_TIMEOUT_MS,
      `a review by ${author.id} past ${waitingFor.join('/')}`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last answer ${last?.status} ${last?.text}`, { cause: error });
  }
}

/** A checked-in attendee may review once reviews learned of the check-in (until then 403, then 422). */
export function reviewAfterCheckIn(eventId: string, author: TestAccount, body: unknown = { rating: 5 }) {
  return reviewOnceProjected(eventId, author, body, ['NOT_AN_ATTENDEE', 'EVENT_NOT_STARTED']);
}

/**
 * Waits until reviews knows `attendee` holds a confirmed seat of the (not yet started) event: their
 * review is then refused with 422 EVENT_NOT_STARTED rather than 403 NOT_AN_ATTENDEE. Writes nothing.
 */
export async function awaitConfirmedAttendance(eventId: string, attendee: TestAccount): Promise<void> {
  const answer = await reviewOnceProjected(eventId, attendee, { rating: 5 }, ['NOT_AN_ATTENDEE']);
  if (codeOf(answer) !== 'EVENT_NOT_STARTED') {
    throw new Error(`expected 422 EVENT_NOT_STARTED once confirmed, got ${answer.status} ${answer.text}`);
  }
}

/** A fresh account, registered (confirmed) for the event and checked in at the door by `doorKeeper`. */
export async function checkedInAttendee(
  eventId: string,
  doorKeeper: TestAccount,
  displayName = 'E2E Attendee',
): Promise<{ account: TestAccount; registration: any }> {
  const account = await registerAccount({ displayName });
  const registration = await registered(eventId, account);
  if (registration.status !== 'confirmed') throw new Error(`expected a seat, got ${registration.status}`);
  const ticket = await api(`/v1/registrations/${registration.id}/ticket`, { token: account.accessToken });
  if (ticket.status !== 200) throw new Error(`ticket → ${ticket.status} ${ticket.text}`);
  const checkIn = await api(`/v1/events/${eventId}/checkins`, {
    json: { ticket: ticket.body.token },
    token: doorKeeper.accessToken,
  });
  if (checkIn.status !== 201) throw new Error(`check-in → ${checkIn.status} ${checkIn.text}`);
  return { account, registration };
}

/**
 * Makes the event "started" at `startsAt` (by default an hour ago; it ends in two hours), where the
 * events service stores it: the API accepts only future events. Reviews asks events for the event on every review, but events
 * serves published events from a short read cache (EVENTS_READ_CACHE_MS): wait until it answers the
 * new start, so a review that follows is judged against it.
 */
export async function startEvent(
  db: Firestore,
  eventId: string,
  startsAt = new Date(Date.now() - HOUR),
): Promise<void> {
  if (startsAt.getTime() > Date.now()) throw new Error(`${startsAt.toISOString()} is not in the past`);
  await db
    .collection('events')
    .doc(eventId)
    .update({
      startsAt: Timestamp.fromDate(startsAt),
      endsAt: Timestamp.fromDate(new Date(Date.now() + 2 * HOUR)),
    });
  await eventually(
    async () => {
      const event = await api(`/v1/events/${eventId}`);
      return event.status === 200 && Date.parse(event.body.startsAt) === startsAt.getTime() ? true : undefined;
    },
    PROJECTION_TIMEOUT_MS,
    `events to answer the new start of ${eventId}`,
  );
}

/** Every review of the event's public listing, walking the pages. */
export async function listedReviews(eventId: string, query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const params = new URLSearchParams(query);
    if (cursor) params.set('cursor', cursor);
    const page = await api(`/v1/events/${eventId}/reviews?${params}`);
    if (page.status !== 200) throw new Error(`list reviews → ${page.status} ${page.text}`);
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return items;
}

/**
 * The event's `rating` once it equals `expected` (the summary is a projection of review messages):
 * tolerant of the delay only; on timeout the assertion shows what the event last said.
 */
export async function expectEventRating(eventId: string, expected: unknown): Promise<void> {
  let last: unknown;
  try {
    await eventually(
      async () => {
        const event = await api(`/v1/events/${eventId}`);
        last = event.status === 200 ? event.body.rating : event.body;
        return isDeepStrictEqual(last, expected) ? true : undefined;
      },
      PROJECTION_TIMEOUT_MS,
      `the rating of ${eventId}`,
    );
  } catch {
    // Fall through to the assertion, which shows the difference.
  }
  expect(last).toEqual(expected);
}
