import { randomUUID } from 'node:crypto';
import { Firestore } from '@google-cloud/firestore';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import ICAL from 'ical.js';
import { createTransport } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig, Metrics, ObservabilityModule } from '@convene/common';
import { createFirestore, FirestoreModule } from '@convene/firestore';
import {
  EmailSender,
  emailOutbox,
  emailProviders,
  type EmailRecord,
  FirestoreEmailQueue,
  type MailTransport,
  smtpTransport,
  TemplateEmailComposer,
} from '../../../apps/notifications/src/email';
import type { RetryPolicy } from '../../../apps/notifications/src/email/retry-policy';
import type { EventFacts, Notice, Recipient } from '../../../apps/notifications/src/notices/notice';
import { EmailComposer, EmailQueue } from '../../../apps/notifications/src/notices/ports';
import { NotificationsConfig } from '../../../apps/notifications/src/notifications.config';
import { Notices } from '../../../apps/notifications/src/notices/notice-builder';
import { freePort } from '../../../scripts/lib/emulators.mts';
import { MailCatcher, mailCatcherSmtp } from '../../support/mail-catcher';

jest.setTimeout(60_000);

const catcher = new MailCatcher();
const FROM = { name: 'Convene', address: 'no-reply@convene.test' };
const composer = new TemplateEmailComposer({ webBaseUrl: 'http://web.convene.test', from: FROM });
/** Retries within milliseconds, so a test sees several attempts without waiting. */
const FAST_RETRY: RetryPolicy = { baseMs: 20, maxDelayMs: 200, maxAttempts: 50 };

function anEvent(overrides: Partial<EventFacts> = {}): EventFacts {
  return {
    id: randomUUID(),
    organizerId: randomUUID(),
    title: 'NestJS Paris',
    startsAt: '2031-03-14T18:30:00.000Z',
    endsAt: '2031-03-14T21:00:00.000Z',
    timezone: 'Europe/Paris',
    venue: { name: 'Station F', address: '5 Parvis Alan Turing, 75013 Paris' },
    status: 'published',
    updatedAt: '2031-02-01T10:00:00.000Z',
    ...overrides,
  };
}

/** A person with an address no other test uses: the catcher is shared, addresses keep tests apart. */
function aRecipient(prefix = 'attendee'): Recipient {
  const userId = randomUUID();
  return { userId, email: `${prefix}-${userId.slice(0, 8)}@example.test`, displayName: 'Ada Lovelace' };
}

interface EmailChannel {
  firestore: Firestore;
  queue: FirestoreEmailQueue;
  sender: EmailSender;
  enqueue(notice: Notice, recipient: Recipient, id?: string): Promise<{ id: string; queued: boolean }>;
  /** The record once the sender is done with it (sent or failed). */
  settled(id: string): Promise<EmailRecord>;
  record(id: string): Promise<EmailRecord | undefined>;
  close(): Promise<void>;
}

/**
 * A queue and its sender, running as in the app, in a Firestore project of their own: a sender takes
 * every due record of its project, so each channel must only meet its own.
 */
function emailChannel(name: string, transport: MailTransport, retry = FAST_RETRY, start = true): EmailChannel {
  const firestore = createFirestore({
    projectId: `${name}-${randomUUID().slice(0, 8)}`,
    emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
  });
  const sender = new EmailSender(firestore, transport, { from: FROM, pollIntervalMs: 50, retry });
  const queue = new FirestoreEmailQueue(firestore, start ? sender : undefined);
  if (start) sender.onApplicationBootstrap();
  const record = async (id: string) => (await emailOutbox(firestore).doc(id).get()).data();
  return {
    firestore,
    queue,
    sender,
    record,
    async enqueue(notice, recipient, id = randomUUID()) {
      const queued = await queue.enqueue(id, recipient, composer.compose(notice, recipient), notice);
      return { id, queued };
    },
    async settled(id) {
      return waitFor(`email ${id} to be sent or failed`, async () => {
        const current = await record(id);
        return current && current.status !== 'pending' ? current : undefined;
      });
    },
    async close() {
      await sender.beforeApplicationShutdown();
      await firestore.terminate();
    },
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function parseInvite(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return { method: calendar.getFirstPropertyValue('method'), vevent, event: new ICAL.Event(vevent) };
}

/**
 * An SMTP server in front of the catcher that refuses some recipients the way real servers do —
 * `refused-…` with 550 (no such mailbox), `greylisted-…` with 451 the first time — and relays the
 * rest to the catcher unchanged. It counts RCPT TO per address, so a test can see every attempt.
 */
async function gatekeeper(port: number): Promise<{ rcptCount(address: string): number; close(): Promise<void> }> {
  const attempts = new Map<string, number>();
  const catcherSmtp = mailCatcherSmtp();
  const relay = createTransport({ host: catcherSmtp.host, port: catcherSmtp.port, secure: false });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      const seen = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, seen);
      const refuse = (code: number, text: string) => callback(Object.assign(new Error(text), { responseCode: code }));
      if (address.address.startsWith('refused-')) return refuse(550, '5.1.1 No such user here');
      if (address.address.startsWith('greylisted-') && seen === 1)
        return refuse(451, '4.7.1 Greylisted, try again later');
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        relay
          .sendMail({
            envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
            raw: Buffer.concat(chunks),
          })
          .then(
            () => callback(),
            (error: Error) => callback(error),
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    rcptCount: (address) => attempts.get(address) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        relay.close();
        server.close(() => resolve());
      }),
  };
}

describe('email to the mail catcher', () => {
  let channel: EmailChannel;

  beforeAll(() => {
    const smtp = mailCatcherSmtp();
    channel = emailChannel('email', smtpTransport({ host: smtp.host, port: smtp.port, secure: false }));
  });
  afterAll(() => channel.close());

  it('delivers a registration confirmation whose .ics invite carries the event’s time', async () => {
    const event = anEvent();
    const ada = aRecipient();
    const { id, queued } = await channel.enqueue(Notices.confirmed(randomUUID(), event), ada);
    expect(queued).toBe(true);

    const [email] = await catcher.waitFor(ada.email!);
    expect(email.subject).toBe('You’re in: NestJS Paris');
    expect(email.to).toEqual([{ address: ada.email, name: 'Ada Lovelace' }]);
    expect(email.from).toEqual([{ address: 'no-reply@convene.test', name: 'Convene' }]);
    expect(email.messageId).toBe(`${id}@convene.test`);
    expect(email.text).toContain(`http://web.convene.test/events/${event.id}`);
    expect(email.text).toContain('Friday, 14 March 2031, 19:30–22:00');
    expect(email.html).toContain(`href="http://web.convene.test/events/${event.id}"`);

    const ics = await catcher.calendarOf(email);
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    const invite = parseInvite(ics);
    expect(invite.method).toBe('REQUEST');
    expect(invite.event.uid).toBe(`${event.id}@convene`);
    expect(invite.event.startDate.toJSDate().toISOString()).toBe(event.startsAt);
    expect(invite.event.endDate.toJSDate().toISOString()).toBe(event.endsAt);
    // Calendar clients act on the text/calendar part with its method, not only on the attachment.
    expect(await catcher.source(email)).toContain('Content-Type: text/calendar; charset=utf-8; method=REQUEST');

    const record = await channel.settled(id);
    expect(record).toMatchObject({ status: 'sent', attempts: 1, lastError: null, nextAttemptAt: null });
    expect(record.sentAt).not.toBeNull();
  });

  it('queues and sends an email once, however often its cause is processed', async () => {
    const event = anEvent();
    const ada = aRecipient();
    const notice = Notices.promoted(randomUUID(), event);
    const id = randomUUID();

    const concurrent = await Promise.all([1, 2, 3].map(() => channel.enqueue(notice, ada, id)));
    const again = await channel.enqueue(notice, ada, id);
    expect(concurrent.filter((r) => r.queued)).toHaveLength(1);
    expect(again.queued).toBe(false);

    expect(await channel.settled(id)).toMatchObject({ status: 'sent', attempts: 1 });
    const emails = await catcher.to(ada.email!);
    expect(emails).toHaveLength(1);
    expect(parseInvite(await catcher.calendarOf(emails[0])).method).toBe('REQUEST');
  });

  it('takes the event out of the calendar when it is cancelled (METHOD:CANCEL, same UID)', async () => {
    const event = anEvent({ title: 'Rust & <Friends>; “Paris”, edition 3' });
    const ada = aRecipient();
    const { id } = await channel.enqueue(Notices.eventCancelled(randomUUID(), event, 'The venue is flooded.'), ada);

    const [email] = await catcher.waitFor(ada.email!);
    expect(email.subject).toBe('Cancelled: Rust & <Friends>; “Paris”, edition 3');
    expect(email.html).toContain('Rust &amp; &lt;Friends&gt;; “Paris”, edition 3');
    expect(email.text).toContain('The venue is flooded.');
    const invite = parseInvite(await catcher.calendarOf(email));
    expect(invite.method).toBe('CANCEL');
    expect(invite.vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(invite.event.uid).toBe(`${event.id}@convene`);
    expect(invite.event.summary).toBe(event.title);
    expect(invite.event.startDate.toJSDate().toISOString()).toBe(event.startsAt);
    expect((await channel.settled(id)).status).toBe('sent');
  });

  it('sends no invite where none belongs (a waitlist place)', async () => {
    const ada = aRecipient();
    await channel.enqueue(Notices.waitlisted(randomUUID(), anEvent(), 7), ada);
    const [email] = await catcher.waitFor(ada.email!);
    expect(email.text).toContain('You are number 7 in line.');
    expect(email.attachments ?? []).toEqual([]);
  });
});

describe('forgetting a recipient', () => {
  // Not started: the records stay queued, as they would behind a slow SMTP server.
  const channel = emailChannel(
    'email-erasure',
    { send: async () => undefined, close: () => undefined },
    FAST_RETRY,
    false,
  );
  afterAll(() => channel.close());

  it('deletes every email record addressed to them and leaves everyone else’s', async () => {
    const ada = aRecipient();
    const grace = aRecipient();
    const event = anEvent();
    const adaFirst = await channel.enqueue(Notices.confirmed(randomUUID(), event), ada);
    const adaSecond = await channel.enqueue(Notices.reminder(randomUUID(), event, '24h'), ada);
    const graces = await channel.enqueue(Notices.confirmed(randomUUID(), event), grace);

    await channel.queue.forgetRecipient(ada.userId);
    await channel.queue.forgetRecipient(ada.userId);

    expect(await channel.record(adaFirst.id)).toBeUndefined();
    expect(await channel.record(adaSecond.id)).toBeUndefined();
    expect(await channel.record(graces.id)).toMatchObject({ status: 'pending', to: grace.email });
  });
});

describe('SMTP failures', () => {
  let gate: Awaited<ReturnType<typeof gatekeeper>>;
  let channel: EmailChannel;

  beforeAll(async () => {
    const port = await freePort();
    gate = await gatekeeper(port);
    channel = emailChannel('email-failures', smtpTransport({ host: '127.0.0.1', port, secure: false }));
  });
  afterAll(async () => {
    await channel.close();
    await gate.close();
  });

  it('records a refused address (550) as failed after one attempt, and never retries it', async () => {
    const bob = aRecipient('refused');
    const { id } = await channel.enqueue(Notices.confirmed(randomUUID(), anEvent()), bob);

    const record = await channel.settled(id);
    expect(record).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null, sentAt: null });
    expect(record.lastError).toContain('550');
    expect(record.lastError).toContain('No such user here');

    // Nothing is due any more: another pass does not touch it.
    await channel.sender.drainOnce();
    expect(gate.rcptCount(bob.email!)).toBe(1);
    expect(await channel.record(id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await catcher.to(bob.email!)).toEqual([]);
  });

  it('retries a temporary refusal (451) and delivers', async () => {
    const carol = aRecipient('greylisted');
    const event = anEvent();
    const { id } = await channel.enqueue(Notices.confirmed(randomUUID(), event), carol);

    expect(await channel.settled(id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
    expect(gate.rcptCount(carol.email!)).toBe(2);
    const [email] = await catcher.waitFor(carol.email!);
    expect(email.messageId).toBe(`${id}@convene.test`);
    expect(
      parseInvite(await catcher.calendarOf(email))
        .event.startDate.toJSDate()
        .toISOString(),
    ).toBe(event.startsAt);
  });
});

describe('an SMTP server that is not up', () => {
  it('keeps retrying until the server comes up, then delivers', async () => {
    const port = await freePort();
    const channel = emailChannel('email-down', smtpTransport({ host: '127.0.0.1', port, secure: false }));
    let gate: Awaited<ReturnType<typeof gatekeeper>> | undefined;
    try {
      const dave = aRecipient();
      const { id } = await channel.enqueue(Notices.confirmed(randomUUID(), anEvent()), dave);

      const failing = await waitFor('a failed attempt to be recorded', async () => {
        const record = await channel.record(id);
        return record && record.attempts >= 1 ? record : undefined;
      });
      expect(failing.status).toBe('pending');
      expect(failing.lastError).toMatch(/ECONNREFUSED|ECONNECTION|ESOCKET/);

      gate = await gatekeeper(port);
      const record = await channel.settled(id);
      expect(record.status).toBe('sent');
      expect(record.attempts).toBeGreaterThan(1);
      expect(await catcher.waitFor(dave.email!)).toHaveLength(1);
    } finally {
      await channel.close();
      await gate?.close();
    }
  });

  it('gives up after the attempt limit and records why', async () => {
    const port = await freePort();
    const channel = emailChannel('email-gone', smtpTransport({ host: '127.0.0.1', port, secure: false }), {
      ...FAST_RETRY,
      maxAttempts: 3,
    });
    try {
      const { id } = await channel.enqueue(Notices.confirmed(randomUUID(), anEvent()), aRecipient());
      const record = await channel.settled(id);
      expect(record).toMatchObject({ status: 'failed', attempts: 3, nextAttemptAt: null });
      expect(record.lastError).toMatch(/^gave up after 3 attempts: /);
    } finally {
      await channel.close();
    }
  });
});

describe('the email providers in a Nest application', () => {
  it('compose, queue and send from the configuration, and stop with the application', async () => {
    const smtp = mailCatcherSmtp();
    const config = loadConfig(NotificationsConfig, {
      GCP_PROJECT_ID: `email-app-${randomUUID().slice(0, 8)}`,
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      MAIL_FROM: 'Convene Tests <tests@convene.test>',
      WEB_BASE_URL: 'http://app.convene.test',
      EMAIL_POLL_MS: '100',
    });
    @Module({ providers: emailProviders(config), exports: [EmailComposer, EmailQueue] })
    class EmailModule {}
    const moduleRef = await Test.createTestingModule({
      imports: [
        ObservabilityModule.forRoot({ service: 'notifications' }),
        FirestoreModule.forRoot({
          projectId: config.GCP_PROJECT_ID,
          emulatorHost: process.env.FIRESTORE_EMULATOR_HOST,
        }),
        EmailModule,
      ],
    }).compile();
    // An application context runs the lifecycle hooks (the sender starts and stops) without an HTTP server.
    const app = await moduleRef.init();
    try {
      const composer = app.get(EmailComposer);
      const queue = app.get(EmailQueue);
      const ada = aRecipient();
      const notice = Notices.confirmed(randomUUID(), anEvent());
      const id = randomUUID();
      expect(await queue.enqueue(id, ada, composer.compose(notice, ada), notice)).toBe(true);

      const [email] = await catcher.waitFor(ada.email!);
      expect(email.from).toEqual([{ address: 'tests@convene.test', name: 'Convene Tests' }]);
      expect(email.messageId).toBe(`${id}@convene.test`);
      expect(email.text).toContain(`http://app.convene.test/events/${notice.event!.id}`);
      const status = await waitFor('the email to be recorded as sent', async () => {
        const record = (await emailOutbox(app.get(Firestore)).doc(id).get()).data();
        return record?.status === 'sent' ? record.status : undefined;
      });
      expect(status).toBe('sent');
      expect(await app.get(Metrics).registry.getSingleMetricAsString('convene_email_sent_total')).toMatch(
        /^convene_email_sent_total\{kind="registration.confirmed"[^}]*\} 1$/m,
      );
    } finally {
      await app.close();
    }
  });
});
