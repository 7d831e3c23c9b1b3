// Reads back the emails the mail catcher (MailDev, started by `npm test`) received, through its REST
// API. Tests address each email to a unique recipient and look for theirs, so files sharing the
// catcher never see each other's mail.

/** An email as MailDev describes it (the fields tests use). */
export interface CaughtEmail {
  id: string;
  subject: string;
  messageId: string;
  from: { address: string; name: string }[];
  to: { address: string; name: string }[];
  text?: string;
  html?: string;
  headers: Record<string, string>;
  date: string;
  attachments?: { fileName: string; generatedFileName: string; contentType: string }[];
  /** The SMTP envelope: who it was really delivered to. */
  envelope: { from: { address: string }; to: { address: string }[] };
}

export function mailCatcherUrl(): string {
  const url = process.env.CONVENE_MAIL_CATCHER_URL;
  if (!url) {
    throw new Error(
      'CONVENE_MAIL_CATCHER_URL is not set. Run these tests through `npm test`, which starts the mail catcher.',
    );
  }
  return url;
}

/** The SMTP server the catcher listens on, as the system under test is configured. */
export function mailCatcherSmtp(): { host: string; port: number } {
  const host = process.env.SMTP_HOST;
  const port = Number(process.env.SMTP_PORT);
  if (!host || !Number.isInteger(port)) {
    throw new Error(
      'SMTP_HOST and SMTP_PORT are not set. Run these tests through `npm test`, which starts the mail catcher.',
    );
  }
  return { host, port };
}

export class MailCatcher {
  constructor(readonly url: string = mailCatcherUrl()) {}

  async list(): Promise<CaughtEmail[]> {
    return (await this.get('/email')).json() as Promise<CaughtEmail[]>;
  }

  /** Every email delivered to `address` (by SMTP envelope, so Bcc counts too). */
  async to(address: string): Promise<CaughtEmail[]> {
    const wanted = address.toLowerCase();
    return (await this.list()).filter((email) =>
      email.envelope.to.some((recipient) => recipient.address.toLowerCase() === wanted),
    );
  }

  /**
   * Waits until at least `count` emails were delivered to `address`, and returns them all. Waiting is
   * not asserting: the timeout only turns a hang into a failure naming what never came.
   */
  async waitFor(address: string, count = 1, timeoutMs = 20_000): Promise<CaughtEmail[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const emails = await this.to(address);
      if (emails.length >= count) return emails;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${count} email(s) to ${address} (got ${emails.length})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The message exactly as it arrived over SMTP (headers and MIME parts, CRLF line ends). */
  async source(email: Pick<CaughtEmail, 'id'>): Promise<string> {
    return (await this.get(`/email/${encodeURIComponent(email.id)}/source`)).text();
  }

  async attachment(email: Pick<CaughtEmail, 'id'>, generatedFileName: string): Promise<string> {
    const path = `/email/${encodeURIComponent(email.id)}/attachment/${encodeURIComponent(generatedFileName)}`;
    return (await this.get(path)).text();
  }

  /** The email's calendar invite (its .ics attachment), as sent: CRLF line ends and folding intact. */
  async calendarOf(email: CaughtEmail): Promise<string> {
    const ics = email.attachments?.find((a) => a.contentType.includes('calendar') || a.fileName.endsWith('.ics'));
    if (!ics) throw new Error(`email ${email.id} (“${email.subject}”) has no .ics attachment`);
    return this.attachment(email, ics.generatedFileName);
  }

  /** Forgets every email (only for a catcher a test started for itself: others share this one). */
  async clear(): Promise<void> {
    const response = await fetch(`${this.url}/email/all`, { method: 'DELETE' });
    if (!response.ok) throw new Error(`clearing the mail catcher failed: ${response.status}`);
  }

  private async get(path: string): Promise<Response> {
    const response = await fetch(`${this.url}${path}`);
    if (!response.ok) throw new Error(`GET ${this.url}${path} answered ${response.status}: ${await response.text()}`);
    return response;
  }
}
