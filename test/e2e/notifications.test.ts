// What people are told, through the running system: each domain event → the right message to the right
// people on the right channels, read back through the API, from Firestore and from the mail catcher.
// The live stream is in notifications-live.test.ts, organizers' webhooks in notifications-webhooks.test.ts.
import type { DocumentData, Firestore } from '@google-cloud/firestore';
import { registerAccount, registerOrganizer, type TestAccount } from '../support/accounts';
import { systemFirestore } from '../support/firestore';
import { api } from '../support/gateway';
import { createPublishedEvent, expectProblem, registered } from '../support/registration-fixtures';
import { checkedInAttendee, reviewAfterCheckIn } from '../support/review-fixtures';
import {
  about,
  awaitNotifications,
  emailsTo,
  hasInvite,
  inviteOf,
  notificationsOf,
  notificationsOfKind,
  settle,
  theEmail,
  theNotification,
  toTheSecond,
} from './notifications-kit';

// Every test waits for messages to travel (Pub/Sub, the email sender) and for duplicates not to come.
jest.setTimeout(120_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const HOUR = 3600 * 1000;

let db: Firestore;
let organizer: TestAccount;
beforeAll(async () => {
  db = systemFirestore();
  organizer = await registerOrganizer();
});
afterAll(() => db.terminate());

/** The recipient's notification documents as the service stored them. */
async function storedFor(account: TestAccount, kind: string): Promise<DocumentData[]> {
  const snapshot = await db.collection('notifications').where('recipientId', '==', account.id).get();
  return snapshot.docs.map((doc): DocumentData => ({ id: doc.id, ...doc.data() })).filter((doc) => doc.kind === kind);
}

/** An event of one seat with a waitlist: the first to register gets the seat, the others wait. */
function oneSeatEvent(): Promise<any> {
  return createPublishedEvent(organizer, { capacity: 1, waitlistEnabled: true });
}

describe('signing up', () => {
  it('welcomes the new person once, in the app and by email', async () => {
    const ada = await registerAccount({ displayName: 'Ada Lovelace' });

    const welcome = await theNotification(ada, 'welcome');
    expect(welcome).toEqual({
      id: expect.stringMatching(UUID),
      kind: 'welcome',
      category: 'account',
      title: 'Welcome to Convene, Ada Lovelace',
      body: expect.any(String),
      link: '/events',
      createdAt: expect.stringMatching(ISO),
      readAt: null,
      position: expect.any(String),
    });
    const stored = await storedFor(ada, 'welcome');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: welcome.id, recipientId: ada.id, category: 'account', readAt: null });

    const email = await theEmail(ada, about('Welcome to Convene'), 'the welcome');
    expect(email.to.map((to) => to.address)).toEqual([ada.email]);
    expect(hasInvite(email)).toBe(false);
    expect(await notificationsOf(ada)).toHaveLength(1);
  });

  it('keeps the inbox: unread count, one read, then all read', async () => {
    const grace = await registerAccount({ displayName: 'Grace Hopper' });
    const event = await createPublishedEvent(organizer);
    await awaitNotifications(grace, 'welcome');
    await registered(event.id, grace);
    await awaitNotifications(grace, 'registration.confirmed', event.id);
    await settle();

    const unread = await api('/v1/me/notifications/unread-count', { token: grace.accessToken });
    expect(unread.status).toBe(200);
    expect(unread.body).toEqual({ unread: 2 });
    const [newest, oldest] = await notificationsOf(grace);
    expect([newest.kind, oldest.kind]).toEqual(['registration.confirmed', 'welcome']);

    const read = await api(`/v1/me/notifications/${oldest.id}/read`, { method: 'POST', token: grace.accessToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ ...oldest, readAt: expect.stringMatching(ISO) });
    // Reading it again changes nothing.
    const again = await api(`/v1/me/notifications/${oldest.id}/read`, { method: 'POST', token: grace.accessToken });
    expect(again.body.readAt).toBe(read.body.readAt);
    expect((await api('/v1/me/notifications/unread-count', { token: grace.accessToken })).body).toEqual({ unread: 1 });
    expect((await notificationsOf(grace, 'unread=true')).map((n) => n.id)).toEqual([newest.id]);

    const all = await api('/v1/me/notifications/read-all', { method: 'POST', token: grace.accessToken });
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ marked: 1 });
    expect((await api('/v1/me/notifications/unread-count', { token: grace.accessToken })).body).toEqual({ unread: 0 });
    expect(await notificationsOf(grace, 'unread=true')).toEqual([]);
    const stored = await db.collection('notifications').where('recipientId', '==', grace.id).get();
    expect(stored.docs.every((doc) => doc.get('readAt') !== null)).toBe(true);
  });

  it('pages the inbox newest first, each notification once', async () => {
    const linus = await registerAccount();
    const events = await Promise.all([1, 2, 3].map(() => createPublishedEvent(organizer)));
    await awaitNotifications(linus, 'welcome');
    for (const event of events) await registered(event.id, linus);
    for (const event of events) await awaitNotifications(linus, 'registration.confirmed', event.id);

    const seen: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await api(`/v1/me/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        token: linus.accessToken,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((n) => n.id)).toEqual((await notificationsOf(linus)).map((n) => n.id));
    expect(new Set(seen.map((n) => n.id)).size).toBe(4);
    expect(seen.map((n) => n.createdAt)).toEqual([...seen.map((n) => n.createdAt)].sort().reverse());

    const badCursor = await api('/v1/me/notifications?cursor=not-a-cursor', { token: linus.accessToken });
    expectProblem(badCursor, 400, 'VALIDATION_FAILED');
    expect(badCursor.body.errors.map((e: any) => e.field)).toEqual(['cursor']);
  });
});

describe('registrations', () => {
  it('tells a confirmed attendee in the app and by email with a calendar invite at the event’s time', async () => {
    const event = await createPublishedEvent(organizer);
    const ada = await registerAccount({ displayName: 'Ada Lovelace' });
    const registration = await registered(event.id, ada);
    expect(registration.status).toBe('confirmed');

    const confirmed = await theNotification(ada, 'registration.confirmed', event.id);
    expect(confirmed).toMatchObject({
      category: 'registrations',
      title: `You’re in: ${event.title}`,
      eventId: event.id,
      link: `/events/${event.id}`,
      readAt: null,
    });
    const email = await theEmail(ada, about('You’re in', event.title), 'the confirmation');
    const invite = await inviteOf(email);
    expect(invite).toMatchObject({ method: 'REQUEST', summary: event.title, status: 'CONFIRMED' });
    expect(invite.start.toISOString()).toBe(toTheSecond(event.startsAt));
    expect(invite.end.toISOString()).toBe(toTheSecond(event.endsAt));
    // The organizer is not told of each registration (their webhooks are).
    expect(await notificationsOfKind(organizer, 'registration.confirmed', event.id)).toEqual([]);
  });

  it('tells waitlisted people their place, then the first in line of their seat when someone cancels', async () => {
    const event = await oneSeatEvent();
    const [holder, first, second] = await Promise.all([
      registerAccount({ displayName: 'Seat Holder' }),
      registerAccount({ displayName: 'First In Line' }),
      registerAccount({ displayName: 'Second In Line' }),
    ]);
    const seat = await registered(event.id, holder);
    expect(seat.status).toBe('confirmed');
    expect((await registered(event.id, first)).waitlistPosition).toBe(1);
    expect((await registered(event.id, second)).waitlistPosition).toBe(2);

    const firstWaiting = await theNotification(first, 'registration.waitlisted', event.id);
    expect(firstWaiting.body).toContain('You are number 1 in line.');
    const secondWaiting = await theNotification(second, 'registration.waitlisted', event.id);
    expect(secondWaiting.body).toContain('You are number 2 in line.');
    const waitlistEmail = await theEmail(first, about('waitlist', event.title), 'the waitlist');
    expect(waitlistEmail.text).toContain('You are number 1 in line.');
    expect(hasInvite(waitlistEmail)).toBe(false);
    await theNotification(holder, 'registration.confirmed', event.id);

    const cancelled = await api(`/v1/registrations/${seat.id}`, { method: 'DELETE', token: holder.accessToken });
    expect(cancelled.status).toBe(200);

    const promoted = await theNotification(first, 'registration.promoted', event.id);
    expect(promoted).toMatchObject({ category: 'registrations', eventId: event.id });
    const promotedEmail = await theEmail(first, about('seat', event.title), 'the promotion');
    expect(promotedEmail.subject).not.toContain('waitlist');
    const invite = await inviteOf(promotedEmail);
    expect(invite.method).toBe('REQUEST');
    expect(invite.start.toISOString()).toBe(toTheSecond(event.startsAt));

    const gone = await theNotification(holder, 'registration.cancelled', event.id);
    expect(gone.title).toBe(`Registration cancelled: ${event.title}`);
    const goneEmail = await theEmail(holder, about('ancel', event.title), 'the cancellation');
    expect(await inviteOf(goneEmail)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED' });

    // The second in line still waits and heard nothing more; nobody was promoted twice.
    expect((await notificationsOf(second)).map((n) => n.kind)).toEqual(['registration.waitlisted', 'welcome']);
    expect(await notificationsOfKind(holder, 'registration.promoted', event.id)).toEqual([]);
  });
});

describe('changes to an event', () => {
  it('tells confirmed and waitlisted people of a new time (not of a new description), with an updated invite', async () => {
    const event = await oneSeatEvent();
    const [seated, waiting, bystander] = await Promise.all([registerAccount(), registerAccount(), registerAccount()]);
    await registered(event.id, seated);
    await registered(event.id, waiting);
    await theNotification(waiting, 'registration.waitlisted', event.id);
    await theEmail(seated, about('You’re in', event.title), 'the confirmation');

    const described = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { description: 'Now with pizza.' },
      token: organizer.accessToken,
    });
    expect(described.status).toBe(200);
    const startsAt = new Date(Date.parse(event.startsAt) + 2 * HOUR).toISOString();
    const endsAt = new Date(Date.parse(event.endsAt) + 2 * HOUR).toISOString();
    const moved = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { startsAt, endsAt },
      token: organizer.accessToken,
    });
    expect(moved.status).toBe(200);

    for (const person of [seated, waiting]) {
      const updated = await theNotification(person, 'event.updated', event.id);
      expect(updated.category).toBe('event-updates');
      expect(updated.title).toBe(`${event.title}: new time`);
      await theEmail(person, about('Changed', event.title), 'the change');
    }
    // The seat holder's calendar entry moves with the event; the waiting person holds no seat to move.
    expect(hasInvite((await emailsTo(waiting, about('Changed', event.title)))[0]!)).toBe(false);
    const invite = await inviteOf((await emailsTo(seated, about('Changed', event.title)))[0]!);
    expect(invite.method).toBe('REQUEST');
    expect(invite.start.toISOString()).toBe(toTheSecond(startsAt));
    expect(invite.end.toISOString()).toBe(toTheSecond(endsAt));
    // Only the time change was worth telling; someone not registered hears nothing.
    expect(await notificationsOfKind(bystander, 'event.updated')).toEqual([]);
    expect(await emailsTo(bystander, about(event.title))).toEqual([]);
  });

  it('tells everyone registered or waiting that the event is cancelled, once, with a calendar cancellation', async () => {
    const event = await oneSeatEvent();
    const [seated, waiting] = await Promise.all([registerAccount(), registerAccount()]);
    await registered(event.id, seated);
    await registered(event.id, waiting);
    await theNotification(waiting, 'registration.waitlisted', event.id);

    const cancelled = await api(`/v1/events/${event.id}/cancel`, {
      method: 'POST',
      json: { reason: 'The venue flooded.' },
      token: organizer.accessToken,
    });
    expect(cancelled.status).toBe(200);

    for (const person of [seated, waiting]) {
      const notice = await theNotification(person, 'event.cancelled', event.id);
      expect(notice).toMatchObject({ category: 'event-updates', title: `Cancelled: ${event.title}` });
      expect(notice.body).toContain('The venue flooded.');
      const email = await theEmail(person, about('Cancelled', event.title), 'the event’s cancellation');
      expect(email.text).toContain('The venue flooded.');
      expect(await inviteOf(email)).toMatchObject({ method: 'CANCEL', status: 'CANCELLED' });
      // Their registration ended with the event: told once, in the event's words, not twice.
      expect(await notificationsOfKind(person, 'registration.cancelled', event.id)).toEqual([]);
      expect(await emailsTo(person, about('Registration cancelled'))).toEqual([]);
    }
  });
});

describe('reviews', () => {
  it('tells the organizer of a new review of their event', async () => {
    const reviewedBy = await registerOrganizer();
    const event = await createPublishedEvent(reviewedBy);
    const { account: author } = await checkedInAttendee(event.id, reviewedBy, 'Margaret Hamilton');
    const review = await reviewAfterCheckIn(event.id, author, { rating: 4, comment: 'Great talks.' });
    expect(review.status).toBe(201);

    const notice = await theNotification(reviewedBy, 'review.created', event.id);
    expect(notice).toMatchObject({
      category: 'reviews',
      title: `New 4-star review of ${event.title}`,
      body: 'Margaret Hamilton: “Great talks.”',
      link: `/events/${event.id}#reviews`,
    });
    await theEmail(reviewedBy, about('review', event.title), 'the review');
    expect(await notificationsOfKind(author, 'review.created')).toEqual([]);
  });
});

describe('preferences', () => {
  it('answers every category, all on, until the person changes them', async () => {
    const ada = await registerAccount();
    const reply = await api('/v1/me/notification-preferences', { token: ada.accessToken });
    expect(reply.status).toBe(200);
    expect(reply.body.updatedAt).toBeNull();
    expect(Object.values(reply.body.preferences)).not.toHaveLength(0);
    for (const switches of Object.values(reply.body.preferences))
      expect(switches).toEqual({ inApp: true, email: true });
  });

  it('switches registration emails off and they stay off, while the app still tells and other emails still come', async () => {
    const event = await oneSeatEvent();
    const ada = await registerAccount();
    await theEmail(ada, about('Welcome'), 'the welcome');

    const off = await api('/v1/me/notification-preferences', {
      method: 'PUT',
      json: { preferences: { registrations: { email: false } } },
      token: ada.accessToken,
    });
    expect(off.status).toBe(200);
    expect(off.body.preferences.registrations).toEqual({ inApp: true, email: false });
    expect(off.body.preferences['event-updates']).toEqual({ inApp: true, email: true });
    expect(off.body.updatedAt).toMatch(ISO);
    const read = await api('/v1/me/notification-preferences', { token: ada.accessToken });
    expect(read.body).toEqual(off.body);

    const seat = await registered(event.id, ada);
    await theNotification(ada, 'registration.confirmed', event.id);
    // A change of time is another category: its email comes, after the confirmation was decided.
    const startsAt = new Date(Date.parse(event.startsAt) + HOUR).toISOString();
    const endsAt = new Date(Date.parse(event.endsAt) + HOUR).toISOString();
    const moved = await api(`/v1/events/${event.id}`, {
      method: 'PATCH',
      json: { startsAt, endsAt },
      token: organizer.accessToken,
    });
    expect(moved.status).toBe(200);
    await theEmail(ada, about('Changed', event.title), 'the change');

    await api(`/v1/registrations/${seat.id}`, { method: 'DELETE', token: ada.accessToken });
    await theNotification(ada, 'registration.cancelled', event.id);
    await settle();

    // Welcome and the change: no email about the registration, neither the seat nor its cancellation.
    const subjects = (await emailsTo(ada, () => true)).map((email) => email.subject);
    expect(subjects).toHaveLength(2);
    expect(subjects).toEqual(
      expect.arrayContaining([expect.stringContaining('Welcome'), expect.stringContaining('Changed')]),
    );
    expect(
      (await api('/v1/me/notification-preferences', { token: ada.accessToken })).body.preferences.registrations,
    ).toEqual({
      inApp: true,
      email: false,
    });
  });

  it('switches a category off in the app: nothing stored for it, the email still comes', async () => {
    const event = await createPublishedEvent(organizer);
    const grace = await registerAccount();
    await awaitNotifications(grace, 'welcome');
    const off = await api('/v1/me/notification-preferences', {
      method: 'PUT',
      json: { preferences: { registrations: { inApp: false } } },
      token: grace.accessToken,
    });
    expect(off.status).toBe(200);

    await registered(event.id, grace);
    await theEmail(grace, about('You’re in', event.title), 'the confirmation');
    await settle();
    expect(await notificationsOfKind(grace, 'registration.confirmed')).toEqual([]);
    expect(await storedFor(grace, 'registration.confirmed')).toEqual([]);
  });

  it('refuses an unknown category or channel naming it, and changes nothing', async () => {
    const linus = await registerAccount();
    for (const [preferences, field] of [
      [{ parties: { email: false } }, 'preferences.parties'],
      [{ registrations: { sms: false } }, 'preferences.registrations.sms'],
      [{ registrations: { email: false, push: true } }, 'preferences.registrations.push'],
    ] as const) {
      const reply = await api('/v1/me/notification-preferences', {
        method: 'PUT',
        json: { preferences },
        token: linus.accessToken,
      });
      expectProblem(reply, 400, 'VALIDATION_FAILED');
      expect(reply.body.errors.map((e: any) => e.field)).toContain(field);
    }
    const now = await api('/v1/me/notification-preferences', { token: linus.accessToken });
    expect(now.body.updatedAt).toBeNull();
    expect(now.body.preferences.registrations).toEqual({ inApp: true, email: true });
  });
});

describe('who may see and change what', () => {
  it('answers 404 for someone else’s notification, which stays unread', async () => {
    const [owner, other] = await Promise.all([registerAccount(), registerAccount()]);
    const [welcome] = await awaitNotifications(owner, 'welcome');

    const read = await api(`/v1/me/notifications/${welcome.id}/read`, { method: 'POST', token: other.accessToken });
    expectProblem(read, 404);
    expect((await storedFor(owner, 'welcome'))[0]!.readAt).toBeNull();
    expect(await notificationsOf(other)).not.toContainEqual(expect.objectContaining({ id: welcome.id }));
  });

  it('lets only organizers create webhooks, and hides one organizer’s endpoints from another', async () => {
    const attendee = await registerAccount();
    // A public address literal: accepted without a DNS lookup, and nothing is sent to it here.
    const body = { url: 'https://93.184.215.14/convene', eventTypes: ['review.created'] };
    expectProblem(await api('/v1/webhooks', { json: body, token: attendee.accessToken }), 403, 'FORBIDDEN');
    expect((await api('/v1/webhooks', { token: attendee.accessToken })).body).toEqual({ items: [] });

    const owner = await registerOrganizer();
    const created = await api('/v1/webhooks', { json: body, token: owner.accessToken });
    expect(created.status).toBe(201);
    const id = created.body.id;

    const rival = await registerOrganizer();
    expectProblem(await api(`/v1/webhooks/${id}`, { token: rival.accessToken }), 404, 'WEBHOOK_NOT_FOUND');
    expectProblem(await api(`/v1/webhooks/${id}/deliveries`, { token: rival.accessToken }), 404, 'WEBHOOK_NOT_FOUND');
    expectProblem(
      await api(`/v1/webhooks/${id}`, { method: 'DELETE', token: rival.accessToken }),
      404,
      'WEBHOOK_NOT_FOUND',
    );
    expect((await api('/v1/webhooks', { token: rival.accessToken })).body).toEqual({ items: [] });
    expect((await api(`/v1/webhooks/${id}`, { token: owner.accessToken })).status).toBe(200);
  });
});
