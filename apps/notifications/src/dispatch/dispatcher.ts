import { Injectable, Logger } from '@nestjs/common';
import { EmailComposer, EmailQueue } from '../notices/ports';
import type { Notice, Recipient } from '../notices/notice';
import { derivedId } from '../inbox/notification';
import { InboxStore, type NewNotification } from '../inbox/inbox.store';
import { PreferencesStore } from '../preferences/preferences.store';
import { RecipientsStore } from '../recipients/recipients.store';

export interface TellOptions {
  /**
   * Fail (so the message is redelivered) when someone who takes this category by email has no known
   * address yet: their `user.registered` may still be on its way. The last delivery attempt passes
   * false and goes on without that email.
   */
  waitForAddresses?: boolean;
}

export interface TellResult {
  inApp: number;
  emails: number;
}

/** Thrown when an address is not known yet; the message is nacked and comes back later. */
export class RecipientNotKnownYet extends Error {
  constructor(readonly userIds: string[]) {
    super(`no address yet for ${userIds.length} recipient(s); retrying later`);
  }
}

/**
 * Tells people a notice on the channels each chose for its category. Everything it writes is named
 * by (notice.sourceId, recipient, kind): telling the same notice again — a redelivered message, a
 * fan-out page run again after a crash — writes nothing twice. Erased accounts are never told.
 */
@Injectable()
export class Dispatcher {
  private readonly logger = new Logger(Dispatcher.name);

  constructor(
    private readonly inbox: InboxStore,
    private readonly recipients: RecipientsStore,
    private readonly preferences: PreferencesStore,
    private readonly composer: EmailComposer,
    private readonly emails: EmailQueue,
  ) {}

  async tell(notice: Notice, recipientIds: string[], options: TellOptions = {}): Promise<TellResult> {
    const ids = [...new Set(recipientIds)];
    if (ids.length === 0) return { inApp: 0, emails: 0 };
    const [erased, preferences, known] = await Promise.all([
      this.inbox.erasedAmong(ids),
      this.preferences.getMany(ids),
      this.recipients.find(ids),
    ]);
    const people = ids.filter((id) => !erased.has(id));
    const wants = (id: string, channel: 'in_app' | 'email') => preferences.get(id)?.[notice.category][channel] ?? true;

    const written = await this.inbox.deliver(
      people.filter((id) => wants(id, 'in_app')).map((id) => this.notificationFor(notice, id)),
    );

    const byEmail = people.filter((id) => wants(id, 'email'));
    const unknown = byEmail.filter((id) => !known.get(id)?.email);
    const queued = await Promise.all(
      byEmail.filter((id) => known.get(id)?.email).map((id) => this.queueEmail(notice, known.get(id)!)),
    );
    if (unknown.length > 0) {
      if (options.waitForAddresses) throw new RecipientNotKnownYet(unknown);
      this.logger.warn({ message: 'no email address known: email skipped', kind: notice.kind, count: unknown.length });
    }
    return { inApp: written.length, emails: queued.filter(Boolean).length };
  }

  private queueEmail(notice: Notice, recipient: Recipient): Promise<boolean> {
    const id = derivedId(notice.sourceId, recipient.userId, notice.kind, 'email');
    return this.emails.enqueue(id, recipient, this.composer.compose(notice, recipient), notice);
  }

  private notificationFor(notice: Notice, recipientId: string): NewNotification {
    return {
      id: derivedId(notice.sourceId, recipientId, notice.kind),
      recipientId,
      kind: notice.kind,
      category: notice.category,
      title: notice.title,
      body: notice.body,
      ...(notice.event ? { eventId: notice.event.id } : {}),
      ...(notice.link ? { link: notice.link } : {}),
      sourceId: notice.sourceId,
    };
  }
}
