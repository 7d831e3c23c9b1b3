import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import {
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationPromotedV1,
  RegistrationWaitlistedV1,
} from '@convene/contracts';
import { InMemoryEventsRepository } from '../events/in-memory-events.repository';
import { HasSeatsRefresher } from './has-seats-refresher';
import { InMemorySeatProjectionRepository } from './in-memory-seat-projection.repository';
import { SeatsMessagesController } from './seats.messages.controller';
import { SeatsProjection } from './seats-projection.service';

const EVENT_ID = randomUUID();
const AT = '2030-01-01T12:00:00.000Z';

interface Delivery {
  deliver(controller: SeatsMessagesController): Promise<void>;
}

/** One published message: its handler and payload (a redelivery hands over the same payload). */
function delivery<M extends object>(
  handler: (c: SeatsMessagesController, message: M) => Promise<void>,
  message: M,
): Delivery {
  return {
    deliver: (controller) => handler(controller, message),
  };
}

function registration(userId: string) {
  return { registrationId: randomUUID(), eventId: EVENT_ID, userId };
}

/**
 * Four registrations' lives, as registrations announces them: in the end two hold a seat (one of them
 * promoted from the waitlist), one waits, one cancelled.
 */
function history(): Delivery[] {
  const ann = registration('ann');
  const bob = registration('bob');
  const cid = registration('cid');
  const dan = registration('dan');
  const confirmed = (r: object, version: number) =>
    delivery((c, m) => c.onConfirmed(m), plainToInstance(RegistrationConfirmedV1, { ...r, version, confirmedAt: AT }));
  const waitlisted = (r: object, version: number) =>
    delivery(
      (c, m) => c.onWaitlisted(m),
      plainToInstance(RegistrationWaitlistedV1, { ...r, version, waitlistedAt: AT }),
    );
  const promoted = (r: object, version: number) =>
    delivery((c, m) => c.onPromoted(m), plainToInstance(RegistrationPromotedV1, { ...r, version, promotedAt: AT }));
  const cancelled = (r: object, version: number, previousStatus: 'confirmed' | 'waitlisted') =>
    delivery(
      (c, m) => c.onCancelled(m),
      plainToInstance(RegistrationCancelledV1, { ...r, version, previousStatus, reason: 'attendee', cancelledAt: AT }),
    );
  return [
    confirmed(ann, 1),
    confirmed(bob, 1),
    waitlisted(cid, 1),
    cancelled(ann, 2, 'confirmed'),
    promoted(cid, 2),
    waitlisted(dan, 1),
  ];
}

/** A deterministic shuffle (mulberry32), so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('seats projection', () => {
  function projection() {
    const seats = new InMemorySeatProjectionRepository();
    const refresher = new HasSeatsRefresher(new InMemoryEventsRepository(), seats, { delayMs: 1000 });
    const schedule = jest.spyOn(refresher, 'schedule').mockImplementation(() => undefined);
    return { seats, schedule, controller: new SeatsMessagesController(new SeatsProjection(seats, refresher)) };
  }

  it('counts a promotion as a seat taken and a cancellation as one freed', async () => {
    const { seats, controller } = projection();
    for (const message of history()) await message.deliver(controller);
    expect(await seats.counts(EVENT_ID)).toEqual({ confirmed: 2, waitlisted: 1 });
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])(
    'converges on the same counts whatever the order, with every message delivered twice (seed %i)',
    async (seed) => {
      const { seats, controller } = projection();
      const messages = history();
      for (const message of shuffled([...messages, ...messages], seed)) await message.deliver(controller);
      expect(await seats.counts(EVENT_ID)).toEqual({ confirmed: 2, waitlisted: 1 });
    },
  );

  it('converges when every message arrives in reverse order', async () => {
    const { seats, controller } = projection();
    for (const message of history().reverse()) await message.deliver(controller);
    expect(await seats.counts(EVENT_ID)).toEqual({ confirmed: 2, waitlisted: 1 });
  });

  it("schedules the event's hasSeats refresh for every delivery, duplicates included", async () => {
    const { schedule, controller } = projection();
    const [first] = history();
    await first.deliver(controller);
    await first.deliver(controller);
    expect(schedule.mock.calls).toEqual([[EVENT_ID], [EVENT_ID]]);
  });
});
