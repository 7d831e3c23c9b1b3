import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { plainToInstance } from 'class-transformer';
import { Clock, loadConfig } from '@convene/common';
import {
  EventCancelledV1,
  EventPublishedV1,
  EventUpdatedV1,
  RegistrationCancelledV1,
  RegistrationConfirmedV1,
  RegistrationWaitlistedV2,
  UserRegisteredV1,
  type Envelope,
} from '@convene/contracts';
import { AudienceStore } from '../../../apps/notifications/src/audience/audience.store';
import { Dispatcher } from '../../../apps/notifications/src/dispatch/dispatcher';
import { NotificationTriggers, type Delivery } from '../../../apps/notifications/src/dispatch/triggers';
import { FanoutStore } from '../../../apps/notifications/src/fanout/fanout.store';
import { InboxStore } from '../../../apps/notifications/src/inbox/inbox.store';
import { LiveNotifications } from '../../../apps/notifications/src/inbox/live-notifications';
import { PreferencesStore } from '../../../apps/notifications/src/preferences/preferences.store';
import { ReminderScheduler } from '../../../apps/notifications/src/reminders/reminder-scheduler';
import { NotificationsConfig } from '../../../apps/notifications/src/notifications.config';
import { NotificationsAppModule } from '../../../apps/notifications/src/notifications.module';

jest.setTimeout(120_000);

const PROJECT = `notify-${randomUUID().slice(0, 8)}`;

/** A clock the reminder tests move forward. */
class MovableClock extends Clock {
  offsetMs = 0;
  override now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

describe('notifications: who is told what, once', () => {
  let app: TestingModule;
  let db: Firestore;
  let triggers: NotificationTriggers;
  const clock = new MovableClock();

  beforeAll(async () => {
    const config = loadConfig(NotificationsConfig, {
      ...process.env,
      GCP_PROJECT_ID: PROJECT,
      FANOUT_PAGE_SIZE: '40',
      FANOUT_LEASE_MS: '1000',
      FANOUT_POLL_MS: '200',
      REMINDER_MODE: 'external',
      LOG_LEVEL: 'warn',
    });
    const moduleRef = await Test.createTestingModule({ imports: [NotificationsAppModule.forRoot(config)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .compile();
    app = await moduleRef.init();
    db = app.get(Firestore);
    triggers = app.get(NotificationTriggers);
  });

  afterAll(async () => {
    await app?.close();
  });

  function delivery(eventType: string, eventId = randomUUID()): Delivery {
    const envelope: Envelope = {
      eventId,
      eventType,
      schemaVersion: '1',
      occurredAt: new Date().toISOString(),
      correlationId: 'test',
      source: 'test',
    };
    return { envelope, mayRetry: false };
  }

  /** The same message handled three times at once, as Pub/Sub may redeliver it. */
  async function thrice(handle: (d: Delivery) => Promise<void>, eventType: string): Promise<void> {
    const once = delivery(eventType);
    await Promise.all([handle(once), handle(once), handle(once)]);
  }

  async function person(name = 'Ada'): Promise<string> {
    const userId = randomUUID();
    const message = plainToInstance(UserRegisteredV1, {
      userId,
      email: `${name.toLowerCase()}-${userId.slice(0, 8)}@example.test`,
      displayName: name,
      registeredAt: new Date().toISOString(),
    });
    await triggers.userRegistered(message, delivery('user.registered'));
    return userId;
  }

  async function publishedEvent(startsInMs = 7 * 86_400_000) {
    const organizerId = await person('Olga');
    const startsAt = new Date(Date.now() + startsInMs).toISOString();
    const message = plainToInstance(EventPublishedV1, {
      id: randomUUID(),
      organizerId,
      title: 'NestJS Paris',
      startsAt,
      endsAt: new Date(Date.parse(startsAt) + 3_600_000).toISOString(),
      timezone: 'Europe/Paris',
      capacity: 100,
      visibility: 'public',
      venue: { name: 'Station F', address: 'Paris' },
      publishedAt: new Date().toISOString(),
    });
    await triggers.eventPublished(message, delivery('event.published'));
    return message;
  }

  /** What the person was told (of `kind`, or anything but the welcome every test person gets). */
  async function told(userId: string, kind?: string) {
    const snapshot = await db.collection('notifications').where('recipientId', '==', userId).get();
    return snapshot.docs.map((d) => d.data()).filter((n) => (kind ? n.kind === kind : n.kind !== 'welcome'));
  }

  async function emailed(userId: string, kind?: string) {
    const snapshot = await db.collection('emailOutbox').where('recipientId', '==', userId).get();
    return snapshot.docs.map((d) => d.data()).filter((n) => (kind ? n.kind === kind : n.kind !== 'welcome'));
  }

  let version = 0;
  function registration(eventId: string, userId: string) {
    return { registrationId: randomUUID(), eventId, userId, version: ++version };
  }

  it('welcomes a new account in-app and by email, once', async () => {
    const userId = randomUUID();
    const message = plainToInstance(UserRegisteredV1, {
      userId,
      email: `new-${userId.slice(0, 8)}@example.test`,
      displayName: 'Grace',
      registeredAt: new Date().toISOString(),
    });
    await thrice((d) => triggers.userRegistered(message, d), 'user.registered');
    expect(await told(userId, 'welcome')).toEqual([expect.objectContaining({ title: 'Welcome to Convene, Grace' })]);
    expect(await emailed(userId, 'welcome')).toHaveLength(1);
  });

  it('tells an attendee their confirmed seat (email with an invite) and their place in line, once each', async () => {
    const event = await publishedEvent();
    const ada = await person('Ada');
    const bob = await person('Bob');
    const confirmed = plainToInstance(RegistrationConfirmedV1, {
      ...registration(event.id, ada),
      confirmedAt: new Date().toISOString(),
    });
    const waitlisted = plainToInstance(RegistrationWaitlistedV2, {
      ...registration(event.id, bob),
      waitlistedAt: new Date().toISOString(),
      position: 3,
    });
    await thrice((d) => triggers.registrationConfirmed(confirmed, d), 'registration.confirmed');
    await thrice((d) => triggers.registrationWaitlisted(waitlisted, d), 'registration.waitlisted');

    expect(await told(ada)).toEqual([expect.objectContaining({ kind: 'registration.confirmed', eventId: event.id })]);
    const [mail] = await emailed(ada);
    expect(mail).toMatchObject({ kind: 'registration.confirmed', calendar: { method: 'REQUEST' } });
    expect(mail.calendar.ics).toContain(`DTSTART:${event.startsAt.replace(/[-:]/g, '').replace(/\.\d+/, '')}`);
    expect(await told(bob)).toEqual([
      expect.objectContaining({ kind: 'registration.waitlisted', body: expect.stringContaining('number 3 in line') }),
    ]);
    expect(await emailed(bob)).toEqual([expect.objectContaining({ calendar: null })]);
  });

  it('ignores a message older than what it knows (a late "confirmed" after the cancellation)', async () => {
    const event = await publishedEvent();
    const ada = await person();
    const ids = registration(event.id, ada);
    const cancelled = plainToInstance(RegistrationCancelledV1, {
      ...ids,
      version: 2,
      previousStatus: 'confirmed',
      reason: 'attendee',
      cancelledAt: new Date().toISOString(),
    });
    await triggers.registrationCancelled(cancelled, delivery('registration.cancelled'));
    const late = plainToInstance(RegistrationConfirmedV1, {
      ...ids,
      version: 1,
      confirmedAt: new Date().toISOString(),
    });
    await triggers.registrationConfirmed(late, delivery('registration.confirmed'));
    expect((await told(ada)).map((n) => n.kind)).toEqual(['registration.cancelled']);
    expect((await emailed(ada))[0].calendar.method).toBe('CANCEL');
  });

  it('obeys preferences: email off for a category stays off, in-app goes on', async () => {
    const event = await publishedEvent();
    const ada = await person();
    await app.get(PreferencesStore).update(ada, [{ category: 'registrations', channel: 'email', enabled: false }]);
    for (let i = 0; i < 2; i++) {
      const message = plainToInstance(RegistrationConfirmedV1, {
        ...registration(event.id, ada),
        confirmedAt: new Date().toISOString(),
      });
      await triggers.registrationConfirmed(message, delivery('registration.confirmed'));
    }
    expect(await told(ada, 'registration.confirmed')).toHaveLength(2);
    expect(await emailed(ada, 'registration.confirmed')).toHaveLength(0);
  });

  it('fans an event’s change out to seat holders and the waitlist, resuming after a crash without telling anyone twice', async () => {
    const event = await publishedEvent();
    const audience = app.get(AudienceStore);
    const holders: string[] = [];
    const waiting: string[] = [];
    for (let i = 0; i < 130; i++) {
      const userId = await person(`P${i}`);
      (i % 5 === 0 ? waiting : holders).push(userId);
      await audience.apply({
        ...registration(event.id, userId),
        status: i % 5 === 0 ? 'waitlisted' : 'confirmed',
      });
    }
    // The first worker dies on its third page: its job keeps its cursor and, after the lease, another
    // worker takes it over.
    const dispatcher = app.get(Dispatcher);
    const tell = dispatcher.tell.bind(dispatcher);
    let pages = 0;
    const crashing = jest.spyOn(dispatcher, 'tell').mockImplementation(async (...args) => {
      if (++pages === 3) throw new Error('process killed');
      return tell(...args);
    });

    const message = plainToInstance(EventUpdatedV1, {
      id: event.id,
      organizerId: event.organizerId,
      changes: ['startsAt', 'endsAt'],
      title: event.title,
      startsAt: new Date(Date.parse(event.startsAt) + 86_400_000).toISOString(),
      endsAt: new Date(Date.parse(event.endsAt) + 86_400_000).toISOString(),
      timezone: event.timezone,
      venue: event.venue,
      updatedAt: new Date().toISOString(),
    });
    await thrice((d) => triggers.eventUpdated(message, d), 'event.updated');

    const jobs = app.get(FanoutStore);
    const waitForJobs = async () => {
      for (;;) {
        const updates = (await db.collection('fanouts').where('eventId', '==', event.id).get()).docs;
        if (updates.length === 2 && updates.every((j) => j.get('status') === 'done')) return updates;
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const done = await waitForJobs();
    crashing.mockRestore();
    expect(pages).toBeGreaterThan(3);
    expect(done.map((j) => j.get('told') as number).sort((a, b) => a - b)).toEqual([26, 104]);
    expect(await jobs.get(done[0].id)).toBeDefined();

    const updates = await db
      .collection('notifications')
      .where('eventId', '==', event.id)
      .where('kind', '==', 'event.updated')
      .get();
    const recipients = updates.docs.map((d) => d.get('recipientId') as string).sort();
    expect(recipients).toEqual([...holders, ...waiting].sort());
    const mails = await db
      .collection('emailOutbox')
      .where('eventId', '==', event.id)
      .where('kind', '==', 'event.updated')
      .get();
    expect(mails.size).toBe(130);
    const withInvite = mails.docs.filter((d) => d.get('calendar') !== null).map((d) => d.get('recipientId') as string);
    expect(withInvite.sort()).toEqual([...holders].sort());
  });

  it('tells everyone of a cancelled event, even those whose registrations already ended because of it', async () => {
    const event = await publishedEvent();
    const [ada, bob, cy] = [await person('Ada'), await person('Bob'), await person('Cy')];
    const audience = app.get(AudienceStore);
    await audience.apply({ ...registration(event.id, ada), status: 'confirmed' });
    await audience.apply({ ...registration(event.id, bob), status: 'event-cancelled' });
    await audience.apply({ ...registration(event.id, cy), status: 'cancelled' });
    const byEvent = plainToInstance(RegistrationCancelledV1, {
      ...registration(event.id, bob),
      previousStatus: 'confirmed',
      reason: 'event-cancelled',
      cancelledAt: new Date().toISOString(),
    });
    await triggers.registrationCancelled(byEvent, delivery('registration.cancelled'));
    const message = plainToInstance(EventCancelledV1, {
      id: event.id,
      organizerId: event.organizerId,
      title: event.title,
      startsAt: event.startsAt,
      reason: 'Venue flooded',
      cancelledAt: new Date().toISOString(),
    });
    await thrice((d) => triggers.eventCancelled(message, d), 'event.cancelled');
    for (;;) {
      const job = (await db.collection('fanouts').where('eventId', '==', event.id).get()).docs[0];
      if (job?.get('status') === 'done') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect((await told(ada)).map((n) => n.kind)).toEqual(['event.cancelled']);
    expect((await told(bob)).map((n) => n.kind)).toEqual(['event.cancelled']);
    expect(await told(cy)).toEqual([]);
  });

  it('reminds confirmed attendees a day and an hour before, each once, and again after a reschedule', async () => {
    const event = await publishedEvent(23 * 3_600_000);
    const ada = await person();
    const waiting = await person();
    const audience = app.get(AudienceStore);
    await audience.apply({ ...registration(event.id, ada), status: 'confirmed' });
    await audience.apply({ ...registration(event.id, waiting), status: 'waitlisted' });
    const scheduler = app.get(ReminderScheduler);
    // The background worker may be the one running a job: wait until every job of the event is done.
    const settle = async () => {
      for (;;) {
        const jobs = await db.collection('fanouts').where('eventId', '==', event.id).get();
        if (jobs.docs.every((job) => job.get('status') === 'done')) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    await Promise.all([scheduler.runOnce(), scheduler.runOnce(), scheduler.runOnce()]);
    await settle();
    clock.offsetMs = 22.5 * 3_600_000; // half an hour before the start
    await Promise.all([scheduler.runOnce(), scheduler.runOnce()]);
    await settle();
    expect((await told(ada)).map((n) => n.kind).sort()).toEqual(['reminder.1h', 'reminder.24h']);
    expect(await told(waiting)).toEqual([]);

    clock.offsetMs = 0;
    const later = new Date(Date.parse(event.startsAt) + 2 * 3_600_000).toISOString();
    await triggers.eventUpdated(
      plainToInstance(EventUpdatedV1, {
        id: event.id,
        organizerId: event.organizerId,
        changes: ['startsAt'],
        title: event.title,
        startsAt: later,
        endsAt: new Date(Date.parse(later) + 3_600_000).toISOString(),
        timezone: event.timezone,
        venue: event.venue,
        updatedAt: new Date().toISOString(),
      }),
      delivery('event.updated'),
    );
    clock.offsetMs = 2 * 3_600_000; // the new start is a day away again
    await scheduler.runOnce();
    await settle();
    clock.offsetMs = 0;
    const reminders = (await told(ada)).filter((n) => String(n.kind).startsWith('reminder'));
    expect(reminders).toHaveLength(3);
  });

  it('streams new notifications live, and resumes after a position with exactly the missed ones', async () => {
    const event = await publishedEvent();
    const ada = await person();
    const live = app.get(LiveNotifications);
    const first: string[] = [];
    const subscription = live.watch(ada).subscribe((n) => first.push(n.kind));
    await new Promise((r) => setTimeout(r, 500));
    const confirm = async () =>
      triggers.registrationConfirmed(
        plainToInstance(RegistrationConfirmedV1, {
          ...registration(event.id, ada),
          confirmedAt: new Date().toISOString(),
        }),
        delivery('registration.confirmed'),
      );
    await confirm();
    for (let i = 0; i < 50 && first.length < 1; i++) await new Promise((r) => setTimeout(r, 100));
    subscription.unsubscribe();
    expect(first).toEqual(['registration.confirmed']);

    // While disconnected: two more. Resuming from the newest one seen gets exactly those.
    const [newest] = await app.get(InboxStore).list(ada, { unreadOnly: false, limit: 1 });
    const positions: string[] = [];
    const seenBefore: string[] = [];
    await confirm();
    await confirm();
    const resumed = live.watch(ada, { createdAt: newest.createdAt, id: newest.id }).subscribe((n) => {
      positions.push(n.id);
      seenBefore.push(n.kind);
    });
    for (let i = 0; i < 50 && positions.length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    resumed.unsubscribe();
    expect(seenBefore).toEqual(['registration.confirmed', 'registration.confirmed']);
    expect(new Set(positions).size).toBe(2);
  });
});
