/** Something a person is told. `recipientId` is null while an announcement has no addressee yet. */
export interface Notification {
  id: string;
  kind: string; // the domain event that caused it, e.g. `event.published`
  recipientId: string | null;
  title: string;
  body: string;
  /** The Convene event it is about, if any. */
  eventId?: string;
  /** Envelope eventId of the message that caused it: one notification per message, whatever redelivers. */
  sourceEventId: string;
  correlationId: string;
  createdAt: string;
  readAt: string | null;
}
