// The resources the fuzzer and the access matrix aim at: real ones, built through the public API, so a
// request reaches validation and ownership checks instead of stopping at 401 or 404. Two sides, A and
// B, each an organizer with events, attendees, a webhook and notifications: B's people are the
// intruders on A's things.
import type { Firestore } from '@google-cloud/firestore';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminAccount, registerAccount, registerOrganizer, type TestAccount } from '../../support/accounts';
import { api, eventually } from '../../support/gateway';
import { createDraftEvent, createPublishedEvent, grantStaff, registered } from '../../support/registration-fixtures';
import { checkedInAttendee, reviewAfterCheckIn } from '../../support/review-fixtures';

/** Messages travel through Pub/Sub on a shared 2-core machine: a deadline that only turns a hang into a failure. */
const ARRIVAL_TIMEOUT_MS = 30_000;
/**
 * A webhook attempt that failed (a 10 s timeout on a loaded machine) is retried after
 * WEBHOOK_RETRY_BASE_MS (30 s): the world waits for that retry rather than failing.
 */
const DELIVERY_TIMEOUT_MS = 90_000;

export interface Side {
  organizer: TestAccount;
  /** Published, with `attendee` registered (confirmed, not checked in). */
  event: any;
  /** The organizer's unpublished event. */
  draft: any;
  attendee: TestAccount;
  registration: any;
  /** The attendee's signed ticket (compact JWS), never scanned. */
  ticket: string;
  /** Check-in staff of `event`. */
  staff: TestAccount;
  /** The organizer's endpoint, subscribed to registration.confirmed, with one delivery. */
  webhook: any;
  delivery: any;
  /** One of the attendee's notifications, unread. */
  notification: any;
}

export interface World {
  admin: TestAccount;
  a: Side;
  b: Side;
  /** Checked in at A's event, author of `review`. */
  reviewer: TestAccount;
  review: any;
  /** Checked in at A's event, eligible to review it (reviews knows), has not. */
  eligibleReviewer: TestAccount;
  /** Signed in, registered for nothing. */
  newcomer: TestAccount;
  /** An account nothing else uses: its refresh token, password and the account itself may be spent. */
  spare: TestAccount;
  /** Everyone above. */
  accounts: TestAccount[];
  close(): Promise<void>;
}

/** A webhook receiver that accepts every delivery, so deliveries settle as succeeded. */
async function startReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.statusCode = 204;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function ok(what: string, response: Promise<{ status: number; text: string; body: any }>, status = 200) {
  const answer = await response;
  if (answer.status !== status) throw new Error(`${what} → ${answer.status} ${answer.text}`);
  return answer.body;
}

async function buildSide(receiverUrl: string): Promise<Side> {
  const organizer = await registerOrganizer();
  // The endpoint first, so the registration below is delivered to it.
  const webhook = await ok(
    'create webhook',
    api('/v1/webhooks', {
      json: { url: receiverUrl, eventTypes: ['registration.confirmed'], description: 'resilience' },
      token: organizer.accessToken,
    }),
    201,
  );
  const [event, draft, attendee, staff] = await Promise.all([
    createPublishedEvent(organizer),
    createDraftEvent(organizer),
    registerAccount({ displayName: 'Side Attendee' }),
    registerAccount({ displayName: 'Side Staff' }),
  ]);
  const [registration] = await Promise.all([registered(event.id, attendee), grantStaff(organizer, event.id, staff.id)]);
  const ticket = await ok(
    'ticket',
    api(`/v1/registrations/${registration.id}/ticket`, { token: attendee.accessToken }),
  );
  const [delivery, notification] = await Promise.all([
    eventually(
      async () => {
        const page = await ok(
          'deliveries',
          api(`/v1/webhooks/${webhook.id}/deliveries`, { token: organizer.accessToken }),
        );
        return page.items.find((d: any) => d.status === 'succeeded');
      },
      ARRIVAL_TIMEOUT_MS,
      `a succeeded delivery to webhook ${webhook.id}`,
    ),
    eventually(
      async () => {
        const page = await ok('notifications', api('/v1/me/notifications', { token: attendee.accessToken }));
        return page.items.find((n: any) => n.readAt === null || n.readAt === undefined);
      },
      ARRIVAL_TIMEOUT_MS,
      `a notification for ${attendee.email}`,
    ),
  ]);
  return {
    organizer,
    event,
    draft,
    attendee,
    registration,
    ticket: ticket.token,
    staff,
    webhook,
    delivery,
    notification,
  };
}

/**
 * Waits until reviews' attendance projection knows `account` was checked in at the event, without
 * writing anything (posting a review would be the other way to find out, and would create it).
 */
async function awaitCheckedInAttendance(db: Firestore, eventId: string, account: TestAccount): Promise<void> {
  await eventually(
    async () => {
      const attendance = await db.collection('attendance').doc(`${eventId}~${account.id}`).get();
      return attendance.exists && attendance.get('checkedIn') === true ? true : undefined;
    },
    ARRIVAL_TIMEOUT_MS,
    `reviews to learn that ${account.id} was checked in at ${eventId}`,
  );
}

export async function buildWorld(db: Firestore): Promise<World> {
  const receiver = await startReceiver();
  try {
    const [admin, a, b, newcomer, spare] = await Promise.all([
      adminAccount(),
      buildSide(receiver.url),
      buildSide(receiver.url),
      registerAccount({ displayName: 'Newcomer' }),
      registerAccount({ displayName: 'Spare' }),
    ]);
    const [{ account: reviewer }, { account: eligibleReviewer }] = await Promise.all([
      checkedInAttendee(a.event.id, a.organizer, 'Reviewer'),
      checkedInAttendee(a.event.id, a.organizer, 'Eligible Reviewer'),
    ]);
    const [reviewed] = await Promise.all([
      reviewAfterCheckIn(a.event.id, reviewer, { rating: 4, comment: 'Good.' }),
      awaitCheckedInAttendance(db, a.event.id, eligibleReviewer),
    ]);
    if (reviewed.status !== 201) throw new Error(`review → ${reviewed.status} ${reviewed.text}`);
    // The reviewers' seats were delivered to A's webhook too: wait for all of them (A: 3, B: 1), so
    // no delivery lands in the middle of a test that compares the state before and after.
    await Promise.all(
      (
        [
          [a, 3],
          [b, 1],
        ] as const
      ).map(([side, count]) =>
        eventually(
          async () => {
            const page = await ok(
              'deliveries',
              api(`/v1/webhooks/${side.webhook.id}/deliveries`, { token: side.organizer.accessToken }),
            );
            const done = page.items.filter((d: any) => d.status === 'succeeded').length;
            return done >= count ? true : undefined;
          },
          DELIVERY_TIMEOUT_MS,
          `${count} succeeded deliveries to webhook ${side.webhook.id}`,
        ),
      ),
    );
    const accounts = [
      admin,
      ...[a, b].flatMap((side) => [side.organizer, side.attendee, side.staff]),
      reviewer,
      eligibleReviewer,
      newcomer,
      spare,
    ];
    return {
      admin,
      a,
      b,
      reviewer,
      review: reviewed.body,
      eligibleReviewer,
      newcomer,
      spare,
      accounts,
      close: receiver.close,
    };
  } catch (error) {
    await receiver.close();
    throw error;
  }
}
