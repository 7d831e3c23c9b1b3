import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import {
  axeViolations,
  describeViolations,
  launchBrowser,
  newVisitor,
  recordProblems,
  screenshot,
  type AxeViolation,
} from './browser-kit';

/**
 * The acceptance path of the web app, in Debian's Chromium against the running system (every service,
 * the emulators, the gateway serving the built app): an organizer signs up and publishes a one-seat
 * event; two attendees register (one confirmed, one waitlisted) while a third, anonymous page watches
 * seats left change live; the first cancels and the second sees the promotion arrive in their
 * notifications; the organizer checks the second in by the typed code (valid, then duplicate); they
 * review the event. Then axe-core on the main pages. Screenshots: .convene/test/screenshots/.
 */
jest.setTimeout(240_000);

const PASSWORD = 'violet-harbor-lantern-42';
const LIVE_MS = 30_000;

let browser: Browser;
const contexts: BrowserContext[] = [];
const problems = new Map<string, string[]>();

async function visitor(name: string, viewport: 'desktop' | 'phone' = 'desktop'): Promise<Page> {
  const context = await newVisitor(browser, viewport);
  contexts.push(context);
  const page = await context.newPage();
  problems.set(name, recordProblems(page));
  return page;
}

/** Waits for a condition read from the page, with a deadline, naming what it waited for. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = LIVE_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const attribute = (locator: Locator, name: string) => locator.getAttribute(name, { timeout: 1000 });

async function signUp(page: Page, displayName: string): Promise<string> {
  const email = `web-${randomUUID().slice(0, 8)}@convene.test`;
  await page.goto('/signup');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  return email;
}

/** "YYYY-MM-DDTHH:mm" for a datetime-local input, `days` from now at `hour` o'clock (the page's zone). */
function localInput(days: number, hour: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(hour)}:00`;
}

beforeAll(async () => {
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
});

describe('the web app, in Chromium, against the running system', () => {
  const title = `Web acceptance night ${randomUUID().slice(0, 6)}`;
  let organizer: Page;
  let ada: Page;
  let bo: Page;
  let watcher: Page;
  let eventId: string;
  let boCode: string;

  it('lets someone sign up, become an organizer, create and publish a one-seat event', async () => {
    organizer = await visitor('organizer');
    await signUp(organizer, 'Olivia Organizer');
    await organizer.goto('/account');
    await organizer.getByRole('button', { name: 'Become an organizer' }).click();
    await organizer.getByRole('link', { name: 'Organize', exact: true }).waitFor();

    await organizer.goto('/organizer/events/new');
    await organizer.getByLabel('Title', { exact: true }).fill(title);
    await organizer.getByLabel('Description').fill('Talks about **Rust** and WebAssembly, then drinks.');
    await organizer.getByLabel('Category').selectOption('meetup');
    await organizer.getByLabel('Starts').fill(localInput(7, 19));
    await organizer.getByLabel('Ends').fill(localInput(7, 22));
    await organizer.getByLabel('At a venue').check();
    await organizer.getByLabel('Venue name').fill('Station F');
    await organizer.getByLabel('Address').fill('5 Parvis Alan Turing, 75013 Paris');
    await organizer.getByLabel('Capacity').fill('1');
    await screenshot(organizer, 'organizer-event-editor');
    await organizer.getByRole('button', { name: 'Create draft' }).click();
    await organizer.waitForURL(/\/organizer\/events\/[0-9a-f-]{36}$/);
    eventId = organizer.url().split('/').pop()!;

    await organizer.getByRole('button', { name: 'Publish' }).click();
    await organizer.getByText('Published: the event is visible').waitFor();
    await screenshot(organizer, 'organizer-dashboard-published');
  });

  it('shows one attendee confirmed and the next waitlisted, with seats left changing live elsewhere', async () => {
    watcher = await visitor('watcher', 'phone');
    await watcher.goto(`/events/${eventId}`);
    const seatsLeft = watcher.getByTestId('seats-left');
    await until(
      '1 seat left on the watching page',
      async () => (await attribute(seatsLeft, 'data-seats-left')) === '1',
    );

    ada = await visitor('ada');
    await signUp(ada, 'Ada Attendee');
    await ada.goto(`/events/${eventId}`);
    await ada.getByRole('button', { name: 'Register', exact: true }).click();
    await ada.getByTestId('registration-confirmed').waitFor();
    await screenshot(ada, 'attendee-event-confirmed');

    // The watching page was not reloaded: the availability stream moved it.
    await until(
      '0 seats left on the watching page',
      async () => (await attribute(seatsLeft, 'data-seats-left')) === '0',
    );
    await screenshot(watcher, 'visitor-event-full-phone');

    bo = await visitor('bo', 'phone');
    await signUp(bo, 'Bo Waitlist');
    await bo.goto(`/events/${eventId}`);
    await bo.getByRole('button', { name: 'Register', exact: true }).click();
    await until('Bo first on the waitlist', async () =>
      /#1\b/.test((await bo.getByTestId('waitlist-position').textContent({ timeout: 1000 })) ?? ''),
    );
    await screenshot(bo, 'attendee-event-waitlisted-phone');
  });

  it('promotes the waitlisted attendee when the confirmed one cancels, and tells them live', async () => {
    const bell = bo.getByTestId('notification-bell');
    const unread = async () => Number(/(\d+) unread/.exec((await attribute(bell, 'aria-label')) ?? '')?.[1] ?? NaN);
    await until('the bell to show its count', async () => Number.isFinite(await unread()));
    const before = await unread();

    await ada.getByRole('button', { name: 'Cancel registration' }).click();
    await ada.getByRole('button', { name: 'Yes, cancel registration' }).click();
    await ada.getByRole('button', { name: 'Register again' }).waitFor();

    // Bo's open page follows without a reload: the registration panel and the bell.
    await bo.getByTestId('registration-confirmed').waitFor({ timeout: LIVE_MS });
    await until('a new unread notification on Bo’s bell', async () => (await unread()) > before);
    await bo.goto('/notifications');
    await bo.locator('[data-testid="notification"][data-kind="registration.promoted"]').first().waitFor();
    await screenshot(bo, 'attendee-notifications-phone');
  });

  it('checks the promoted attendee in by their typed code: valid, then already checked in', async () => {
    await bo.goto('/tickets');
    await bo.getByRole('link', { name: `Show ticket for ${title}` }).click();
    boCode = ((await bo.getByTestId('ticket-code').textContent()) ?? '').trim();
    expect(boCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await screenshot(bo, 'attendee-ticket-phone');

    await organizer.goto(`/door/${eventId}`);
    const result = organizer.getByTestId('checkin-result');
    // Typed the way people do: lower case, no dash.
    await organizer.getByLabel('Ticket code').fill(boCode.replace('-', '').toLowerCase());
    await organizer.getByRole('button', { name: 'Check in' }).click();
    await until('a VALID check-in', async () => (await attribute(result, 'data-result')) === 'valid');
    await until('the running count at 1', async () =>
      /^\s*1\s*$/.test((await organizer.getByTestId('checked-in-count').textContent({ timeout: 1000 })) ?? ''),
    );
    await screenshot(organizer, 'door-checkin-valid');

    await organizer.getByLabel('Ticket code').fill(boCode);
    await organizer.getByRole('button', { name: 'Check in' }).click();
    await until('ALREADY CHECKED IN', async () => (await attribute(result, 'data-result')) === 'duplicate');
    await screenshot(organizer, 'door-checkin-duplicate');
  });

  it('lets the checked-in attendee review the event', async () => {
    await bo.goto(`/events/${eventId}`);
    const comment = 'Clear talks and a friendly crowd.';
    // Reviews learns of the check-in from a message, within seconds: until then it refuses (403), and
    // the page says so; trying again is what a person would do.
    await until(
      'the review to be accepted',
      async () => {
        if (await bo.getByRole('button', { name: 'Edit review' }).isVisible()) return true;
        await bo.getByRole('radio', { name: '5 stars' }).check();
        await bo.getByLabel('Your review (optional)').fill(comment);
        await bo.getByRole('button', { name: 'Post review' }).click();
        await bo
          .getByRole('button', { name: 'Edit review' })
          .or(bo.locator('[role="alert"][data-code]'))
          .first()
          .waitFor({ timeout: 10_000 });
        return bo.getByRole('button', { name: 'Edit review' }).isVisible();
      },
      60_000,
    );
    await bo.getByText(comment).first().waitFor();
    await screenshot(bo, 'attendee-review-posted-phone');
  });

  it('passes axe-core’s WCAG 2.1 A/AA checks on the main pages, with no serious or critical violation', async () => {
    const pages: Array<[Page, string, string]> = [
      [watcher, '/', 'events'],
      [watcher, `/events/${eventId}`, 'event'],
      [watcher, '/signin', 'sign-in'],
      [watcher, '/signup', 'sign-up'],
      [bo, `/events/${eventId}`, 'event-signed-in'],
      [bo, '/tickets', 'tickets'],
      [bo, '/notifications', 'notifications'],
      [bo, '/account', 'account'],
      [organizer, '/organizer', 'organizer-home'],
      [organizer, '/organizer/events/new', 'organizer-new-event'],
      [organizer, `/organizer/events/${eventId}`, 'organizer-dashboard'],
      [organizer, `/organizer/events/${eventId}/attendees`, 'organizer-attendees'],
      [organizer, `/organizer/events/${eventId}/staff`, 'organizer-staff'],
      [organizer, '/organizer/webhooks', 'organizer-webhooks'],
      [organizer, `/door/${eventId}`, 'door'],
    ];
    const serious: string[] = [];
    for (const [page, path, name] of pages) {
      await page.goto(path);
      await page.locator('h1').first().waitFor();
      // Let the page finish loading what it shows (no "Loading…" status left).
      await until(`${path} to finish loading`, async () => (await page.locator('.loading').count()) === 0, 15_000);
      await screenshot(page, `page-${name}`);
      const violations: AxeViolation[] = await axeViolations(page);
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (bad.length) serious.push(`${path}:\n${describeViolations(bad)}`);
    }
    expect(serious).toEqual([]);
  });

  it('logged no script errors in any page along the way', () => {
    // The browser logs every 4xx answer (a refused early review, the duplicate check-in's 409): those are
    // answers the pages show. Script errors, CSP refusals and failed loads remain.
    const errors = [...problems.entries()].flatMap(([who, list]) =>
      list
        .filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p))
        .map((p) => `${who}: ${p}`),
    );
    expect(errors).toEqual([]);
  });
});
