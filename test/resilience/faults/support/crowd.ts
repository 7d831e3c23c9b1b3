// The people and events a fault test drives load with, made through the public API (test/support).
import { pool } from '../../../../bench/lib/system.mts';
import { registerAccount, type TestAccount } from '../../../support/accounts';
import { api } from '../../../support/gateway';
import { createPublishedEvent } from '../../../support/registration-fixtures';

export { pool };

/**
 * `count` fresh accounts, a few at a time (sign-up hashes a password: CPU-bound). With `quietEmail`,
 * each turns off email for registrations, so a rush of registrations does not become a rush of emails
 * that the test does not look at (in-app notifications stay on).
 */
export async function signUpCrowd(count: number, label: string, options: { quietEmail?: boolean } = {}) {
  return pool(
    Array.from({ length: count }, (_, i) => i),
    6,
    async (i): Promise<TestAccount> => {
      const account = await registerAccount({ displayName: `${label} ${i}` });
      if (options.quietEmail) {
        const set = await api('/v1/me/notification-preferences', {
          method: 'PUT',
          json: { preferences: { registrations: { email: false } } },
          token: account.accessToken,
        });
        if (set.status !== 200) throw new Error(`preferences → ${set.status} ${set.text}`);
      }
      return account;
    },
  );
}

/** `count` published events of `organizer`, each with `capacity` seats (waitlist on). */
export async function publishedEvents(organizer: TestAccount, count: number, capacity: number): Promise<string[]> {
  const events = await pool(
    Array.from({ length: count }, (_, i) => i),
    4,
    (i) => createPublishedEvent(organizer, { title: `fault test ${i}`, capacity, waitlistEnabled: true }),
  );
  return events.map((event) => event.id as string);
}

/** Sends `POST /v1/events/{id}/registrations`; a network failure is answered as status 0. */
export async function tryRegister(
  eventId: string,
  attendee: TestAccount,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; text: string; headers?: Headers }> {
  try {
    const response = await api(`/v1/events/${eventId}/registrations`, {
      method: 'POST',
      token: attendee.accessToken,
      headers,
    });
    return response;
  } catch (error) {
    return { status: 0, body: undefined, text: (error as Error).message };
  }
}
