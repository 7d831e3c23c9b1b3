import { randomUUID } from 'node:crypto';
import {
  ADMIN,
  attendee,
  confirmed,
  organizerOf,
  outboxMessages,
  person,
  rejection,
  reviewsOnEmulator,
  type ReviewsKit,
} from './reviews-kit';

jest.setTimeout(60_000);

describe('reviews on the Firestore emulator', () => {
  let kit: ReviewsKit;

  beforeAll(() => {
    kit = reviewsOnEmulator();
  });

  afterAll(async () => {
    await kit.db.terminate();
  });

  describe('who may write one', () => {
    it('someone who checked in, with their name and a verified-attendance mark, announced to the organizer', async () => {
      const event = kit.events.add({ startsAt: new Date(Date.now() + 86_400_000).toISOString() });
      const ada = await attendee(kit, event, 'Ada');

      const review = await kit.service.create(event.id, { rating: 5, comment: 'Superb' }, ada);

      expect(review).toMatchObject({ eventId: event.id, authorId: ada.userId, authorName: 'Ada', rating: 5 });
      expect(review).toMatchObject({ status: 'visible', checkedIn: true, version: 1 });
      expect(await kit.store.get(review.id)).toEqual(review);
      const created = (await outboxMessages(kit.db, 'review.created')).filter((m) => m.reviewId === review.id);
      expect(created).toEqual([
        expect.objectContaining({
          organizerId: event.organizerId,
          authorId: ada.userId,
          rating: 5,
          counted: true,
          version: 1,
        }),
      ]);
    });

    it('someone confirmed, once the event started — not before', async () => {
      const upcoming = kit.events.add({ startsAt: new Date(Date.now() + 3_600_000).toISOString() });
      const started = kit.events.add();
      const bob = person('Bob');
      await kit.attendance.apply(confirmed(upcoming, bob));
      await kit.attendance.apply(confirmed(started, bob));

      const early = await rejection(kit.service.create(upcoming.id, { rating: 4, comment: '' }, bob));
      expect(early.code).toBe('EVENT_NOT_STARTED');
      expect(early.details.startsAt).toBe(upcoming.startsAt);
      const review = await kit.service.create(started.id, { rating: 4, comment: '' }, bob);
      expect(review.checkedIn).toBe(false);
    });

    it('nobody who only waited, cancelled before the start, or never registered', async () => {
      const event = kit.events.add();
      const stranger = person();
      const leftEarly = person();
      await kit.attendance.apply({
        ...confirmed(event, leftEarly, randomUUID(), 2),
        status: 'cancelled',
        confirmedUntil: new Date(Date.parse(event.startsAt) - 60_000).toISOString(),
      });
      for (const who of [stranger, leftEarly]) {
        expect((await rejection(kit.service.create(event.id, { rating: 1, comment: '' }, who))).code).toBe(
          'NOT_AN_ATTENDEE',
        );
      }
      expect(await outboxMessages(kit.db, 'review.created')).not.toContainEqual(
        expect.objectContaining({ eventId: event.id }),
      );
    });

    it('never the event’s own organizer', async () => {
      const event = kit.events.add();
      const organizer = organizerOf(event);
      await kit.attendance.apply(confirmed(event, organizer));
      expect((await rejection(kit.service.create(event.id, { rating: 5, comment: '' }, organizer))).code).toBe(
        'FORBIDDEN',
      );
    });

    it('refuses bad input naming the field, writing nothing', async () => {
      const event = kit.events.add();
      const ada = await attendee(kit, event);
      const tooLong = 'é'.repeat(2001);
      for (const [input, field] of [
        [{ rating: 0, comment: '' }, 'rating'],
        [{ rating: 6, comment: '' }, 'rating'],
        [{ rating: 3.5, comment: '' }, 'rating'],
        [{ rating: 3, comment: tooLong }, 'comment'],
      ] as const) {
        const error = await rejection(kit.service.create(event.id, input, ada));
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.errors).toEqual([expect.objectContaining({ field })]);
      }
      expect((await rejection(kit.service.create('../x', { rating: 3, comment: '' }, ada))).code).toBe(
        'VALIDATION_FAILED',
      );
      expect(await kit.service.list(event.id, { sort: 'newest', limit: 10 }, undefined)).toEqual({ items: [] });
    });
  });

  it('keeps one review per person and event when ten first reviews race', async () => {
    const event = kit.events.add();
    const ada = await attendee(kit, event);

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        kit.service.create(event.id, { rating: (i % 5) + 1, comment: `#${i}` }, ada),
      ),
    );

    const written = results.filter((r) => r.status === 'fulfilled');
    expect(written).toHaveLength(1);
    const winner = (written[0] as PromiseFulfilledResult<{ id: string }>).value;
    const refusals = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => ({ code: r.reason.code, reviewId: r.reason.details.reviewId }));
    expect(refusals).toEqual(Array.from({ length: 9 }, () => ({ code: 'ALREADY_REVIEWED', reviewId: winner.id })));
    const stored = await kit.db.collection('reviews').where('eventId', '==', event.id).get();
    expect(stored.size).toBe(1);
    const created = (await outboxMessages(kit.db, 'review.created')).filter((m) => m.eventId === event.id);
    expect(created).toHaveLength(1);
  });

  describe('changing one', () => {
    it('the author edits and deletes; each change is announced with the next version', async () => {
      const event = kit.events.add();
      const ada = await attendee(kit, event);
      const review = await kit.service.create(event.id, { rating: 2, comment: 'Meh' }, ada);

      const edited = await kit.service.update(review.id, { rating: 4 }, ada);
      expect(edited).toMatchObject({ rating: 4, comment: 'Meh', version: 2 });
      // The same values again change nothing and announce nothing.
      expect(await kit.service.update(review.id, { rating: 4 }, ada)).toMatchObject({ version: 2 });
      await kit.service.remove(review.id, ada);

      expect(await kit.store.get(review.id)).toBeUndefined();
      const messages = (await outboxMessages(kit.db)).filter((m) => m.reviewId === review.id);
      expect(messages.map((m) => [m.eventType, m.version, m.rating, m.counted])).toEqual([
        ['review.created', 1, 2, true],
        ['review.updated', 2, 4, true],
        ['review.deleted', 3, 4, false],
      ]);
      // Deleted, the author may write a new one.
      await expect(kit.service.create(event.id, { rating: 3, comment: '' }, ada)).resolves.toMatchObject({ rating: 3 });
    });

    it('nobody else edits or deletes it, not even the organizer or an admin', async () => {
      const event = kit.events.add();
      const ada = await attendee(kit, event);
      const review = await kit.service.create(event.id, { rating: 2, comment: 'Meh' }, ada);
      for (const who of [person(), organizerOf(event), ADMIN]) {
        expect((await rejection(kit.service.update(review.id, { rating: 5 }, who))).code).toBe('FORBIDDEN');
        expect((await rejection(kit.service.remove(review.id, who))).code).toBe('FORBIDDEN');
      }
      expect(await kit.store.get(review.id)).toMatchObject({ rating: 2, version: 1 });
    });

    it('only the organizer replies, once, replacing the text', async () => {
      const event = kit.events.add();
      const ada = await attendee(kit, event);
      const review = await kit.service.create(event.id, { rating: 3, comment: 'OK' }, ada);
      for (const who of [ada, person(), ADMIN]) {
        expect((await rejection(kit.service.reply(review.id, 'Thanks', who))).code).toBe('FORBIDDEN');
      }
      const first = await kit.service.reply(review.id, 'Thanks!', organizerOf(event));
      const second = await kit.service.reply(review.id, 'Thanks — see you next year', organizerOf(event));
      expect(second.reply).toEqual({
        text: 'Thanks — see you next year',
        createdAt: first.reply!.createdAt,
        updatedAt: expect.any(String),
      });
      expect((await rejection(kit.service.reply(review.id, '   ', organizerOf(event)))).details.errors).toEqual([
        expect.objectContaining({ field: 'text' }),
      ]);
    });

    it('the organizer or an admin hides it: out of the list, and out of sight for others', async () => {
      const event = kit.events.add();
      const ada = await attendee(kit, event);
      const review = await kit.service.create(event.id, { rating: 1, comment: 'spam spam' }, ada);
      expect((await rejection(kit.service.hide(review.id, 'spam', ada))).code).toBe('FORBIDDEN');

      const hidden = await kit.service.hide(review.id, 'spam', organizerOf(event));
      expect(hidden).toMatchObject({ status: 'hidden', hiddenReason: 'spam', version: 2 });
      // Again (by an admin): unchanged, not announced twice.
      expect(await kit.service.hide(review.id, 'again', ADMIN)).toMatchObject({ hiddenReason: 'spam', version: 2 });

      expect((await kit.service.list(event.id, { sort: 'newest', limit: 10 }, undefined)).items).toEqual([]);
      expect((await rejection(kit.service.get(review.id, person()))).code).toBe('REVIEW_NOT_FOUND');
      expect((await rejection(kit.service.get(review.id, undefined))).code).toBe('REVIEW_NOT_FOUND');
      expect((await rejection(kit.service.update(review.id, { rating: 2 }, person()))).code).toBe('REVIEW_NOT_FOUND');
      await expect(kit.service.get(review.id, ada)).resolves.toMatchObject({ status: 'hidden' });
      await expect(kit.service.get(review.id, ADMIN)).resolves.toMatchObject({ status: 'hidden' });
      const hides = (await outboxMessages(kit.db, 'review.hidden')).filter((m) => m.reviewId === review.id);
      expect(hides).toEqual([expect.objectContaining({ version: 2, counted: false })]);
    });
  });

  it('lists an event’s visible reviews newest or highest first, each once across pages', async () => {
    const event = kit.events.add();
    const written = [];
    for (const rating of [3, 5, 1, 5, 4, 2, 3]) {
      const author = await attendee(kit, event);
      written.push(await kit.service.create(event.id, { rating, comment: `${rating} stars` }, author));
    }
    const hidden = written[2];
    await kit.service.hide(hidden.id, 'off-topic', organizerOf(event));
    const visible = written.filter((r) => r.id !== hidden.id);

    async function walk(sort: 'newest' | 'highest') {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await kit.service.list(event.id, { sort, limit: 2, cursor }, undefined);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    }

    const byNewest = [...visible].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    expect(await walk('newest')).toEqual(byNewest.map((r) => r.id));
    const byHighest = [...visible].sort(
      (a, b) => b.rating - a.rating || b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
    );
    expect(await walk('highest')).toEqual(byHighest.map((r) => r.id));

    const newestCursor = (await kit.service.list(event.id, { sort: 'newest', limit: 1 }, undefined)).nextCursor!;
    const wrongOrder = await rejection(
      kit.service.list(event.id, { sort: 'highest', limit: 1, cursor: newestCursor }, undefined),
    );
    expect(wrongOrder.details.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    expect((await rejection(kit.service.list(randomUUID(), { sort: 'newest', limit: 5 }, undefined))).code).toBe(
      'EVENT_NOT_FOUND',
    );
  });

  it('anonymizes an erased author’s reviews and forgets where they went; twice is harmless', async () => {
    const first = kit.events.add();
    const second = kit.events.add();
    const ada = await attendee(kit, first, 'Ada');
    await kit.attendance.apply(confirmed(second, ada));
    const reviews = [
      await kit.service.create(first.id, { rating: 5, comment: 'Great' }, ada),
      await kit.service.create(second.id, { rating: 4, comment: 'Good' }, ada),
    ];

    expect(await kit.service.forgetAuthor(ada.userId)).toEqual({ anonymized: 2, attendance: 2 });
    expect(await kit.service.forgetAuthor(ada.userId)).toEqual({ anonymized: 0, attendance: 0 });

    for (const review of reviews) {
      const stored = await kit.store.get(review.id);
      expect(stored).toMatchObject({ authorName: 'Former attendee', rating: review.rating, status: 'visible' });
      expect(stored?.authorId).toBeUndefined();
    }
    expect(await kit.attendance.get(first.id, ada.userId)).toBeUndefined();
    const keys = await kit.db.collection('reviewKeys').where('userId', '==', ada.userId).get();
    expect(keys.size).toBe(0);
  });
});
