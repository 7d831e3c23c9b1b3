import { Firestore } from '@google-cloud/firestore';
import type { Provider } from '@nestjs/common';
import { Clock } from '@convene/common';
import { EmailComposer, EmailQueue } from '../notices/ports';
import type { NotificationsConfig } from '../notifications.config';
import { EmailSender } from './email-sender';
import { emailSettingsFrom } from './email-settings';
import { EmailMetrics } from './email.metrics';
import { FirestoreEmailQueue } from './firestore-email-queue';
import { smtpTransport } from './smtp-transport';
import { TemplateEmailComposer } from './template-email-composer';

export { EmailSender, type EmailSenderOptions } from './email-sender';
export { emailSettingsFrom, parseMailbox, type EmailSettings } from './email-settings';
export { EmailMetrics } from './email.metrics';
export { emailOutbox, EMAIL_OUTBOX, type EmailRecord, type EmailStatus } from './email-record';
export { FirestoreEmailQueue } from './firestore-email-queue';
export { smtpTransport, type MailTransport, type SmtpSettings } from './smtp-transport';
export { inviteMethodFor, TemplateEmailComposer } from './template-email-composer';

/**
 * The email channel's providers: `EmailComposer` and `EmailQueue` (the dispatcher's ports), the
 * concrete `FirestoreEmailQueue` (for `forgetRecipient` on erasure) and the `EmailSender`, which
 * starts with the application and stops before Firestore closes. Needs Firestore and Metrics
 * (FirestoreModule, ObservabilityModule); uses Clock when the module provides one.
 */
export function emailProviders(config: NotificationsConfig): Provider[] {
  const settings = emailSettingsFrom(config);
  return [
    EmailMetrics,
    {
      provide: EmailComposer,
      useFactory: (clock?: Clock) => new TemplateEmailComposer(settings.composer, clock ?? new Clock()),
      inject: [{ token: Clock, optional: true }],
    },
    {
      provide: EmailSender,
      useFactory: (firestore: Firestore, metrics: EmailMetrics) =>
        new EmailSender(firestore, smtpTransport(settings.smtp), settings.sender, metrics),
      inject: [Firestore, EmailMetrics],
    },
    {
      provide: FirestoreEmailQueue,
      useFactory: (firestore: Firestore, sender: EmailSender) => new FirestoreEmailQueue(firestore, sender),
      inject: [Firestore, EmailSender],
    },
    { provide: EmailQueue, useExisting: FirestoreEmailQueue },
  ];
}
