import { type sendUnaryData } from '@grpc/grpc-js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DomainError } from '@convene/common';
import { AuthGrpc, GrpcMetadataKeys, ReviewsGrpc, type ReviewMessage } from '@convene/contracts';
import { createSigningKey, signAccessToken } from '../auth/testing/test-signing-keys';
import {
  FakeGrpcServices,
  sendRequest,
  startGateway,
  type SendOptions,
  problemFields,
  expectProblem,
} from '../testing/route-test-kit';

/**
 * The real gateway in front of a fake reviews service (real gRPC): routing, validation, identity
 * metadata and the mapping of reviews field by field. Who may do what is the service's rule, tested
 * with the service; the whole system in test/e2e/reviews*.test.ts.
 */
describe('review routes of the gateway', () => {
  const EVENT = '0b8a4c0e-6a8f-4a57-9f0e-3c2a4c1d9e11';
  const REVIEWED_EVENT = '5d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';
  const REVIEW = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
  const ORPHAN_REVIEW = '9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';

  let token: string;
  let app: NestFastifyApplication;
  let baseUrl: string;
  const fakes = new FakeGrpcServices();
  const { calls } = fakes;
  const unary = fakes.unary.bind(fakes);
  const serve = fakes.serve.bind(fakes);
  const send = (method: string, path: string, options?: SendOptions) =>
    sendRequest(baseUrl, token, method, path, options);
  const fieldsOf = problemFields;

  // What the service holds may be more than the API shows (the decoder adds oneof keys too).
  const review: ReviewMessage & Record<string, unknown> = {
    id: REVIEW,
    eventId: EVENT,
    authorId: 'user-1',
    authorName: 'Ada',
    rating: 4,
    comment: 'Good talks.',
    status: 'visible',
    checkedIn: true,
    createdAt: '2027-03-15T10:00:00.000Z',
    updatedAt: '2027-03-15T10:00:00.000Z',
    authorEmail: 'ada@example.com',
  };
  const publicReview = {
    id: REVIEW,
    eventId: EVENT,
    authorId: 'user-1',
    authorName: 'Ada',
    rating: 4,
    comment: 'Good talks.',
    status: 'visible',
    checkedIn: true,
    createdAt: '2027-03-15T10:00:00.000Z',
    updatedAt: '2027-03-15T10:00:00.000Z',
  };
  const reply = { text: 'Thanks!', createdAt: '2027-03-16T10:00:00.000Z', updatedAt: '2027-03-16T10:00:00.000Z' };

  const fakeReviews = {
    createReview: unary('createReview', (request) => {
      if (request.eventId === REVIEWED_EVENT) {
        throw new DomainError('ALREADY_REVIEWED', 'You already reviewed this event', { reviewId: REVIEW });
      }
      return { ...review, rating: request.rating, comment: request.comment };
    }),
    getReview: unary('getReview', (request) => {
      if (request.id === ORPHAN_REVIEW) {
        // The author deleted their account; the review was hidden and answered.
        const { authorId: _authorId, ...rest } = review;
        return {
          ...rest,
          id: ORPHAN_REVIEW,
          authorName: 'Deleted user',
          status: 'hidden',
          hiddenAt: '2027-03-17T10:00:00.000Z',
          hiddenReason: 'Off topic.',
          reply,
        };
      }
      return review;
    }),
    updateReview: unary('updateReview', (request) => ({ ...review, ...request })),
    deleteReview: unary('deleteReview', (request) => ({ id: request.id, eventId: EVENT })),
    listEventReviews: unary('listEventReviews', () => ({ items: [review], nextCursor: 'next-1' })),
    replyToReview: unary('replyToReview', (request) => ({ ...review, reply: { ...reply, text: request.text } })),
    hideReview: unary('hideReview', (request) => ({
      ...review,
      status: 'hidden',
      hiddenAt: '2027-03-17T10:00:00.000Z',
      hiddenReason: request.reason,
    })),
  };

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const key = await createSigningKey('key-1');
    token = await signAccessToken(key, { sub: 'user-1', roles: ['attendee'] });
    // Not recorded in `calls`: the first signed-in request fetches the keys, whichever test it is.
    const authPort = await serve(AuthGrpc, {
      getJwks: (_call: unknown, callback: sendUnaryData<unknown>) => callback(null, { keys: [key.publicJwk] }),
    });
    const reviewsPort = await serve(ReviewsGrpc, fakeReviews);
    ({ app, baseUrl } = await startGateway({
      AUTH_GRPC_URL: `127.0.0.1:${authPort}`,
      REVIEWS_GRPC_URL: `127.0.0.1:${reviewsPort}`,
    }));
  });

  afterAll(async () => {
    await app?.close();
    fakes.close();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  /** A request as the service decoded it, without the decoder's synthetic oneof keys of optional fields. */
  function sent(index: number): Record<string, unknown> {
    return Object.fromEntries(Object.entries(calls[index]!.request).filter(([key]) => !key.startsWith('_')));
  }

  describe('writing a review', () => {
    it('answers 201 with the review and its Location, acting for the verified user; comment defaults to ""', async () => {
      const reply = await send('POST', `/v1/events/${EVENT}/reviews`, { body: { rating: 5 } });
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toBe(`/v1/reviews/${REVIEW}`);
      expect(reply.body).toEqual({ ...publicReview, rating: 5, comment: '' });
      expect(calls).toHaveLength(1);
      expect(calls[0]!.request).toEqual({ eventId: EVENT, rating: 5, comment: '' });
      expect(calls[0]!.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);
    });

    it('passes the comment on as written', async () => {
      const comment = `  ${'é'.repeat(1998)}`;
      const reply = await send('POST', `/v1/events/${EVENT}/reviews`, { body: { rating: 1, comment } });
      expect(reply.status).toBe(201);
      expect(calls[0]!.request).toEqual({ eventId: EVENT, rating: 1, comment });
    });

    it('answers 409 ALREADY_REVIEWED with the existing review’s id', async () => {
      const reply = await send('POST', `/v1/events/${REVIEWED_EVENT}/reviews`, { body: { rating: 3 } });
      expectProblem(reply, 409, 'ALREADY_REVIEWED');
      expect(reply.body.reviewId).toBe(REVIEW);
    });

    it.each([
      ['a rating of 0', { rating: 0 }, 'rating'],
      ['a rating of 6', { rating: 6 }, 'rating'],
      ['a fractional rating', { rating: 3.5 }, 'rating'],
      ['a rating as a string', { rating: '5' }, 'rating'],
      ['a null rating', { rating: null }, 'rating'],
      ['no rating', { comment: 'Nice' }, 'rating'],
      ['a comment over 2,000 characters', { rating: 5, comment: 'x'.repeat(2001) }, 'comment'],
      ['a comment that is not a string', { rating: 5, comment: 42 }, 'comment'],
      ['a null comment', { rating: 5, comment: null }, 'comment'],
      ['an unknown field', { rating: 5, authorId: 'someone-else' }, 'authorId'],
    ])('refuses %s with 400 naming the field, without asking the service', async (_case, body, field) => {
      const reply = await send('POST', `/v1/events/${EVENT}/reviews`, { body });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
      expect(calls).toEqual([]);
    });

    it('refuses malformed JSON, a malformed event id and a missing token', async () => {
      expectProblem(
        await send('POST', `/v1/events/${EVENT}/reviews`, { raw: '{"rating": 5' }),
        400,
        'MALFORMED_REQUEST',
      );
      const malformed = await send('POST', '/v1/events/not-a-uuid/reviews', { body: { rating: 5 } });
      expectProblem(malformed, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(malformed)).toEqual(['id']);
      expectProblem(
        await send('POST', `/v1/events/${EVENT}/reviews`, { body: { rating: 5 }, token: null }),
        401,
        'UNAUTHENTICATED',
      );
      expect(calls).toEqual([]);
    });
  });

  describe('reading', () => {
    it('lists an event’s reviews to anyone, newest first and 20 at a time by default', async () => {
      const reply = await send('GET', `/v1/events/${EVENT}/reviews`, { token: null });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ items: [publicReview], nextCursor: 'next-1' });
      expect(calls[0]!.request).toMatchObject({ eventId: EVENT, sort: 'newest', limit: 20 });
      expect(calls[0]!.metadata.get(GrpcMetadataKeys.userId)).toEqual([]);

      await send('GET', `/v1/events/${EVENT}/reviews?sort=highest&limit=2&cursor=abc`, { token: null });
      expect(calls[1]!.request).toMatchObject({ eventId: EVENT, sort: 'highest', limit: 2, cursor: 'abc' });
    });

    it.each([
      ['sort=oldest', 'sort'],
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['limit=ten', 'limit'],
      ['cursor=', 'cursor'],
      ['authorId=someone', 'authorId'],
    ])('refuses the query %s with 400 naming the field', async (query, field) => {
      const reply = await send('GET', `/v1/events/${EVENT}/reviews?${query}`, { token: null });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toContain(field);
      expect(calls).toEqual([]);
    });

    it('gets a review anonymously, and on behalf of the caller when a token is sent', async () => {
      const anonymous = await send('GET', `/v1/reviews/${REVIEW}`, { token: null });
      expect(anonymous.status).toBe(200);
      expect(anonymous.body).toEqual(publicReview);
      expect(calls[0]!.metadata.get(GrpcMetadataKeys.userId)).toEqual([]);

      const signedIn = await send('GET', `/v1/reviews/${REVIEW}`);
      expect(signedIn.status).toBe(200);
      expect(calls[1]!.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);

      expectProblem(await send('GET', `/v1/reviews/${REVIEW}`, { token: 'not-a-token' }), 401, 'UNAUTHENTICATED');
      expect(calls).toHaveLength(2);
    });

    it('maps a hidden, answered review of a deleted account: authorId null, hiddenAt, hiddenReason, reply', async () => {
      const orphan = await send('GET', `/v1/reviews/${ORPHAN_REVIEW}`);
      expect(orphan.body).toEqual({
        ...publicReview,
        id: ORPHAN_REVIEW,
        authorId: null,
        authorName: 'Deleted user',
        status: 'hidden',
        hiddenAt: '2027-03-17T10:00:00.000Z',
        hiddenReason: 'Off topic.',
        reply,
      });
    });

    it('refuses a malformed review id with 400 naming `id`', async () => {
      const reply = await send('GET', '/v1/reviews/not-a-uuid', { token: null });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toEqual(['id']);
    });
  });

  describe('changing', () => {
    it('passes only the fields given', async () => {
      const reply = await send('PATCH', `/v1/reviews/${REVIEW}`, { body: { comment: 'Even better on reflection.' } });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ ...publicReview, comment: 'Even better on reflection.' });
      expect(sent(0)).toEqual({ id: REVIEW, comment: 'Even better on reflection.' });

      await send('PATCH', `/v1/reviews/${REVIEW}`, { body: { rating: 2 } });
      expect(sent(1)).toEqual({ id: REVIEW, rating: 2 });
    });

    it.each([
      ['an empty body', {}, 'body'],
      ['a rating of 6', { rating: 6 }, 'rating'],
      ['a null rating', { rating: null, comment: 'x' }, 'rating'],
      ['a comment over 2,000 characters', { comment: 'x'.repeat(2001) }, 'comment'],
      ['an unknown field', { rating: 5, status: 'hidden' }, 'status'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const reply = await send('PATCH', `/v1/reviews/${REVIEW}`, { body });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toEqual([field]);
      expect(calls).toEqual([]);
    });

    it('answers DELETE with 204 and no body', async () => {
      const reply = await send('DELETE', `/v1/reviews/${REVIEW}`);
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');
      expect(calls[0]!.request).toEqual({ id: REVIEW });
      expect(calls[0]!.metadata.get(GrpcMetadataKeys.userId)).toEqual(['user-1']);
    });

    it('replies with the text trimmed, and answers the review with its reply', async () => {
      const answered = await send('PUT', `/v1/reviews/${REVIEW}/reply`, { body: { text: '  Thanks for coming!  ' } });
      expect(answered.status).toBe(200);
      expect(answered.body).toEqual({ ...publicReview, reply: { ...reply, text: 'Thanks for coming!' } });
      expect(calls[0]!.request).toEqual({ id: REVIEW, text: 'Thanks for coming!' });
    });

    it('hides with 200 and the hidden review', async () => {
      const reply = await send('POST', `/v1/reviews/${REVIEW}/hide`, { body: { reason: 'Off topic.' } });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        ...publicReview,
        status: 'hidden',
        hiddenAt: '2027-03-17T10:00:00.000Z',
        hiddenReason: 'Off topic.',
      });
      expect(calls[0]!.request).toEqual({ id: REVIEW, reason: 'Off topic.' });
    });

    it.each([
      ['reply', 'PUT', 'reply', {}, 'text'],
      ['reply', 'PUT', 'reply', { text: '   ' }, 'text'],
      ['reply', 'PUT', 'reply', { text: 'x'.repeat(2001) }, 'text'],
      ['hide', 'POST', 'hide', { reason: '' }, 'reason'],
      ['hide', 'POST', 'hide', { reason: 'x'.repeat(501) }, 'reason'],
      ['hide', 'POST', 'hide', { reason: 'spam', status: 'visible' }, 'status'],
    ])('refuses a bad %s body (%s %j) with 400 naming the field', async (_name, method, path, body, field) => {
      const reply = await send(method, `/v1/reviews/${REVIEW}/${path}`, { body });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(fieldsOf(reply)).toEqual([field]);
      expect(calls).toEqual([]);
    });

    it('needs a token for every change', async () => {
      for (const [method, path, body] of [
        ['PATCH', `/v1/reviews/${REVIEW}`, { rating: 1 }],
        ['DELETE', `/v1/reviews/${REVIEW}`, undefined],
        ['PUT', `/v1/reviews/${REVIEW}/reply`, { text: 'Hi' }],
        ['POST', `/v1/reviews/${REVIEW}/hide`, { reason: 'spam' }],
      ] as const) {
        expectProblem(await send(method, path, { body, token: null }), 401, 'UNAUTHENTICATED');
      }
      expect(calls).toEqual([]);
    });
  });
});
