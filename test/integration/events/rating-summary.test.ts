import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { type DynamicModule, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createFirestore } from '@convene/firestore';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { PubSubServer } from '@convene/pubsub';
import { FirestoreRatingProjectionRepository } from '../../../apps/events/src/ratings/firestore-rating-projection.repository';
import { InMemoryRatingProjectionRepository } from '../../../apps/events/src/ratings/in-memory-rating-projection.repository';
import { RatingProjectionRepository } from '../../../apps/events/src/ratings/rating-projection.repository';
import type { RatingTotals, ReviewRating } from '../../../apps/events/src/ratings/rating-summary';
import { RatingsMessagesController } from '../../../apps/events/src/ratings/ratings.messages.controller';
import { RatingsProjection } from '../../../apps/events/src/ratings/ratings-projection.service';
import {
  contractMessage,
  deliver,
  randomInt,
  reviewHistory,
  seededRandom,
  seededUuid,
  shuffled,
} from '../../../apps/events/src/ratings/testing/review-history';
import { emulatorHost, pubsubTestBed, waitFor } from '../pubsub/pubsub-test-kit';

jest.setTimeout(180_000);

/** Runs of the property test per adapter; each is a fresh random history over two events. */
const RUNS = Number(process.env.RATINGS_RUNS ?? 100);
/** Replay a failure with RATINGS_SEED=<the printed seed> (and RATINGS_RUNS=1). */
const BASE_SEED = Number(process.env.RATINGS_SEED ?? Math.floor(Math.random() * 2 ** 31));

const NONE: RatingTotals = { count: 0, sum: 0, histogram: [0, 0, 0, 0, 0] };

/** Delivers the messages in the given order, in groups of 1..`maxParallel` handled at the same time. */
async function deliverInGroups<T>(
  items: readonly T[],
  random: () => number,
  maxParallel: number,
  handle: (item: T) => Promise<void>,
): Promise<void> {
  for (let i = 0; i < items.length;) {
    const size = randomInt(random, 1, maxParallel);
    await Promise.all(items.slice(i, i + size).map(handle));
    i += size;
  }
}

describeRepositoryContract<RatingProjectionRepository>(
  'RatingProjectionRepository',
  {
    fake: () => new InMemoryRatingProjectionRepository(),
    firestore: (db) => new FirestoreRatingProjectionRepository(db),
  },
  (repository) => {
    it(`ends with the summary of the visible reviews, whatever the order, duplicates and concurrency (${RUNS} random runs)`, async () => {
      const controller = new RatingsMessagesController(new RatingsProjection(repository()));
      for (let run = 0; run < RUNS; run++) {
        const seed = BASE_SEED + run;
        const random = seededRandom(seed);
        const eventIds = [seededUuid(random), seededUuid(random)];
        const history = reviewHistory(random, {
          eventIds,
          reviews: randomInt(random, 1, 6),
          operations: randomInt(random, 1, 25),
        });
        const duplicates = history.messages.filter(() => random() < 0.3);
        const deliveries = shuffled([...history.messages, ...duplicates], random);
        try {
          await deliverInGroups(deliveries, random, 6, (message) => deliver(controller, message));
          expect(await repository().totals(eventIds)).toEqual(history.expected);
        } catch (error) {
          const replay = `RATINGS_SEED=${seed} RATINGS_RUNS=1`;
          console.error(`rating-summary property failed for seed ${seed} (replay with ${replay})`);
          throw error;
        }
      }
    });

    it('counts every review when many reviews of one event arrive at once', async () => {
      const eventId = randomUUID();
      const reviews = Array.from({ length: 60 }, (_, i) => ({
        eventId,
        reviewId: randomUUID(),
        rating: (i % 5) + 1,
        counted: true,
        version: 1,
      }));
      await Promise.all(reviews.map((review) => repository().apply(review)));
      expect((await repository().totals([eventId])).get(eventId)).toEqual({
        count: 60,
        sum: 12 * (1 + 2 + 3 + 4 + 5),
        histogram: [12, 12, 12, 12, 12],
      });

      // Then each is changed at once: every fifth review hidden, the others moved to 5 stars.
      const changed = reviews.map((review, i) => ({ ...review, version: 2, rating: 5, counted: i % 5 !== 0 }));
      await Promise.all(changed.map((review) => repository().apply(review)));
      expect((await repository().totals([eventId])).get(eventId)).toEqual({
        count: 48,
        sum: 48 * 5,
        histogram: [0, 0, 0, 0, 48],
      });
    });

    it('converges when deliveries of one review are applied at the same time (as from two replicas)', async () => {
      const eventId = randomUUID();
      const created: ReviewRating = { eventId, reviewId: randomUUID(), rating: 2, counted: true, version: 1 };
      const updated = { ...created, rating: 5, version: 2 };
      await Promise.all([created, updated, updated, created].map((review) => repository().apply(review)));
      expect((await repository().totals([eventId])).get(eventId)).toEqual({
        count: 1,
        sum: 5,
        histogram: [0, 0, 0, 0, 1],
      });
    });

    it('says whether a message changed the projection, and keeps a deleted review from coming back', async () => {
      const eventId = randomUUID();
      const created: ReviewRating = { eventId, reviewId: randomUUID(), rating: 4, counted: true, version: 1 };
      const deleted = { ...created, counted: false, version: 2 };
      expect(await repository().apply(deleted)).toBe(true);
      expect(await repository().apply(created)).toBe(false); // older, arriving late
      expect(await repository().apply(deleted)).toBe(false); // redelivered
      expect((await repository().totals([eventId])).get(eventId)).toEqual(NONE);
    });

    it('reads several events at once, zero for one without reviews', async () => {
      const [reviewed, quiet] = [randomUUID(), randomUUID()];
      await repository().apply({ eventId: reviewed, reviewId: randomUUID(), rating: 3, counted: true, version: 1 });
      const totals = await repository().totals([reviewed, quiet]);
      expect(totals.get(reviewed)).toEqual({ count: 1, sum: 3, histogram: [0, 0, 1, 0, 0] });
      expect(totals.get(quiet)).toEqual(NONE);
      expect(await repository().totals([])).toEqual(new Map());
    });
  },
);

/** The events service's consuming side of reviews' messages, on real Pub/Sub and Firestore emulators. */
@Module({})
class RatingsConsumerModule {
  static on(db: Firestore): DynamicModule {
    return {
      module: RatingsConsumerModule,
      controllers: [RatingsMessagesController],
      providers: [
        RatingsProjection,
        { provide: Firestore, useValue: db },
        { provide: RatingProjectionRepository, useClass: FirestoreRatingProjectionRepository },
      ],
    };
  }
}

describe('rating summary from review messages over Pub/Sub', () => {
  const bed = pubsubTestBed('ratings');
  let db: Firestore;
  let consumer: INestMicroservice;

  beforeAll(async () => {
    db = createFirestore({ projectId: bed.projectId, emulatorHost: emulatorHost('FIRESTORE_EMULATOR_HOST') });
    const strategy = new PubSubServer({
      pubsub: bed.pubsub(),
      service: 'events',
      topology: bed.topology(),
      reconnectBackoff: { initialMs: 200, maxMs: 2_000 },
      drainTimeoutMs: 2_000,
    });
    consumer = await NestFactory.createMicroservice(RatingsConsumerModule.on(db), { strategy, logger: ['error'] });
    await consumer.listen();
  });

  afterAll(async () => {
    await consumer?.close();
    await db?.terminate();
  });

  it('converges on the visible reviews from messages published shuffled and twice', async () => {
    const eventId = randomUUID();
    // A history that ends with visible reviews and took some out on the way, so convergence shows.
    let seed = BASE_SEED;
    let random = seededRandom(seed);
    let history = reviewHistory(random, { eventIds: [eventId], reviews: 5, operations: 20 });
    while (
      history.expected.get(eventId)!.count < 2 ||
      !history.messages.some((m) => m.change === 'deleted' || m.change === 'hidden')
    ) {
      random = seededRandom(++seed);
      history = reviewHistory(random, { eventIds: [eventId], reviews: 5, operations: 20 });
    }
    const ratings = new FirestoreRatingProjectionRepository(db);
    const expected = history.expected.get(eventId);

    // A publisher's retry reuses the envelope's eventId; a different id is a second publish of the same state.
    const published = history.messages.map((message) => ({ message: contractMessage(message), id: randomUUID() }));
    for (const { message, id } of shuffled([...published, ...published], random)) {
      await bed.publisher().publish(message, { eventId: id });
    }

    try {
      await waitFor('the rating summary to converge', async () => {
        const totals = (await ratings.totals([eventId])).get(eventId);
        return JSON.stringify(totals) === JSON.stringify(expected);
      });
    } catch (error) {
      console.error(`rating summary over Pub/Sub did not converge for seed ${seed}`);
      throw error;
    }
    // Redeliveries that arrive later change nothing.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await ratings.totals([eventId])).get(eventId)).toEqual(expected);
  });
});
