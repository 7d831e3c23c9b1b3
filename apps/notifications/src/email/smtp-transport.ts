import { createTransport } from 'nodemailer';
import type { CalendarMethod } from './ics';
import type { Mailbox } from './email-settings';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  auth?: { user: string; password: string };
}

/** One email as it goes over the wire. */
export interface OutgoingEmail {
  messageId: string;
  from: Mailbox;
  to: Mailbox;
  subject: string;
  text: string;
  html: string;
  calendar?: { method: CalendarMethod; ics: string };
}

/** Sends one email or rejects with the transport's error (nodemailer's carry the SMTP reply). */
export interface MailTransport {
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** Per step of an SMTP exchange: a stuck server must not hold a claimed email past its lease. */
const CONNECTION_TIMEOUT_MS = 10_000;
const GREETING_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;
/** Longest a send can take with the timeouts above; the sender's lease must outlast it. */
export const MAX_SEND_MS = CONNECTION_TIMEOUT_MS + GREETING_TIMEOUT_MS + 2 * SOCKET_TIMEOUT_MS;

export function smtpTransport(settings: SmtpSettings): MailTransport {
  const transporter = createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.password } } : {}),
    // A few reused connections instead of one per email: a burst (an event cancelled with 500
    // attendees) is sent without a handshake per message.
    pool: true,
    maxConnections: 3,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    greetingTimeout: GREETING_TIMEOUT_MS,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  return {
    async send(email) {
      await transporter.sendMail({
        messageId: email.messageId,
        from: { name: email.from.name, address: email.from.address },
        to: { name: email.to.name, address: email.to.address },
        subject: email.subject,
        text: email.text,
        html: email.html,
        // A text/calendar alternative (what calendar-aware clients act on) plus an invite.ics attachment.
        ...(email.calendar
          ? { icalEvent: { method: email.calendar.method, content: email.calendar.ics, filename: 'invite.ics' } }
          : {}),
        // RFC 3834: automated mail; auto-responders must not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    },
    close() {
      transporter.close();
    },
  };
}
