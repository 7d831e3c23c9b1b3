import {
  FieldPath,
  FieldValue,
  Firestore,
  Timestamp,
  type DocumentData,
  type Query,
  type QueryDocumentSnapshot,
} from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { DomainError, GrpcStatus, hasGrpcCode } from '@convene/common';
import { NOTIFICATIONS_COLLECTION, type StoredNotification, type TimelinePosition } from './notification';

/** Tombstones of erased users: `erasedRecipients/{userId}`. */
const ERASED = 'erasedRecipients';
/** Firestore allows 500 writes per batch. */
const PAGE = 400;

/** A notification about to be written: the server stamps `createdAt`. */
export type NewNotification = Omit<StoredNotification, 'createdAt' | 'readAt'>;

/**
 * The in-app inbox: `notifications/{id}`, one per person told. Queries (composite indexes in
 * firestore.indexes.json): a person's timeline newest first, their unread ones newest first, and the
 * live stream's oldest-first tail.
 */
export const INBOX_QUERIES = {
  timeline: { equality: ['recipientId'], orderedBy: [{ field: 'createdAt', direction: 'DESCENDING' }] },
  unread: { equality: ['recipientId', 'readAt'], orderedBy: [{ field: 'createdAt', direction: 'DESCENDING' }] },
  tail: { equality: ['recipientId'], orderedBy: [{ field: 'createdAt', direction: 'ASCENDING' }] },
} as const;

@Injectable()
export class InboxStore {
  constructor(private readonly firestore: Firestore) {}

  /**
   * Writes each notification unless its id exists (written before by an earlier run of the same
   * cause). Resolves the ids newly written.
   */
  async deliver(notifications: NewNotification[]): Promise<string[]> {
    if (notifications.length === 0) return [];
    const writer = this.firestore.bulkWriter();
    const written: string[] = [];
    writer.onWriteError((error) => {
      // Already there: this cause was processed before. Anything else is retried by the writer.
      if ((error.code as number) === GrpcStatus.ALREADY_EXISTS) return false;
      return error.failedAttempts < 5;
    });
    const writes = notifications.map((n) =>
      writer
        .create(this.collection().doc(n.id), { ...n, createdAt: FieldValue.serverTimestamp(), readAt: null })
        .then(() => written.push(n.id))
        .catch((error: unknown) => {
          if (!hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) throw error;
        }),
    );
    await writer.close();
    await Promise.all(writes);
    return written;
  }

  /** Of these people, those whose account was erased (nothing is ever written for them again). */
  async erasedAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const refs = userIds.map((id) => this.firestore.collection(ERASED).doc(id));
    const snapshots = await this.firestore.getAll(...refs);
    return new Set(snapshots.filter((s) => s.exists).map((s) => s.id));
  }

  async list(
    recipientId: string,
    options: { unreadOnly: boolean; limit: number; after?: TimelinePosition },
  ): Promise<StoredNotification[]> {
    let query: Query = this.collection().where('recipientId', '==', recipientId);
    if (options.unreadOnly) query = query.where('readAt', '==', null);
    query = query.orderBy('createdAt', 'desc').orderBy(FieldPath.documentId(), 'desc');
    if (options.after) query = query.startAfter(toTimestamp(options.after.createdAt), options.after.id);
    const snapshot = await query.limit(options.limit).get();
    return snapshot.docs.map(fromDocument);
  }

  /** The recipient's notifications after `after`, oldest first (a reconnecting stream's catch-up). */
  async since(recipientId: string, after: TimelinePosition | undefined, limit: number): Promise<StoredNotification[]> {
    let query = this.tail(recipientId);
    if (after) query = query.startAfter(toTimestamp(after.createdAt), after.id);
    return (await query.limit(limit).get()).docs.map(fromDocument);
  }

  /** The recipient's newest notification, if any. */
  async newest(recipientId: string): Promise<StoredNotification | undefined> {
    return (await this.list(recipientId, { unreadOnly: false, limit: 1 }))[0];
  }

  /**
   * Calls `onAdded` with every notification (anyone's) stored after the instant `since`, oldest first,
   * as Firestore reports them, until the returned function is called. One such listener per process
   * feeds every live stream it serves (see NotificationFeed). Index: createdAt (single field).
   */
  watchAll(
    since: string,
    onAdded: (notifications: StoredNotification[]) => void,
    onError: (error: Error) => void,
  ): () => void {
    return this.collection()
      .where('createdAt', '>', toTimestamp(since))
      .orderBy('createdAt', 'asc')
      .onSnapshot((snapshot) => {
        const added = snapshot
          .docChanges()
          .filter((change) => change.type === 'added')
          .map((change) => fromDocument(change.doc));
        onAdded(added);
      }, onError);
  }

  async markRead(recipientId: string, id: string): Promise<StoredNotification> {
    const ref = this.collection().doc(id);
    return this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(ref);
      // Someone else's notification does not exist for the caller.
      if (!snapshot.exists || snapshot.get('recipientId') !== recipientId) {
        throw new DomainError('NOT_FOUND', `notification ${id} does not exist`);
      }
      const current = fromDocument(snapshot as QueryDocumentSnapshot);
      if (current.readAt) return current;
      const readAt = Timestamp.now();
      tx.update(ref, { readAt });
      return { ...current, readAt: readAt.toDate().toISOString() };
    });
  }

  /** Marks every unread notification of the recipient read; resolves how many. */
  async markAllRead(recipientId: string): Promise<number> {
    let marked = 0;
    const readAt = Timestamp.now();
    for (;;) {
      const page = await this.collection()
        .where('recipientId', '==', recipientId)
        .where('readAt', '==', null)
        .limit(PAGE)
        .get();
      if (page.empty) return marked;
      const batch = this.firestore.batch();
      for (const doc of page.docs) batch.update(doc.ref, { readAt });
      await batch.commit();
      marked += page.size;
    }
  }

  async unreadCount(recipientId: string): Promise<number> {
    const snapshot = await this.collection()
      .where('recipientId', '==', recipientId)
      .where('readAt', '==', null)
      .count()
      .get();
    return snapshot.data().count;
  }

  /**
   * Erases every notification of the recipient and remembers the erasure, so a notification for them
   * that arrives later (messages of different topics are not ordered) is never stored. Idempotent.
   */
  async erase(recipientId: string): Promise<number> {
    // The tombstone first: from then on nothing new is written for them, so the pages below only shrink.
    await this.firestore.collection(ERASED).doc(recipientId).set({ erasedAt: Timestamp.now() });
    let erased = 0;
    for (;;) {
      const page = await this.collection().where('recipientId', '==', recipientId).limit(PAGE).get();
      if (page.empty) return erased;
      const batch = this.firestore.batch();
      for (const doc of page.docs) batch.delete(doc.ref);
      await batch.commit();
      erased += page.size;
    }
  }

  private tail(recipientId: string): Query {
    return this.collection()
      .where('recipientId', '==', recipientId)
      .orderBy('createdAt', 'asc')
      .orderBy(FieldPath.documentId(), 'asc');
  }

  private collection() {
    return this.firestore.collection(NOTIFICATIONS_COLLECTION);
  }
}

/** Full precision (nanoseconds): a position must name exactly one point of the timeline. */
export function timestampToIso(value: Timestamp): string {
  const base = new Date(value.seconds * 1000).toISOString().slice(0, 19);
  return `${base}.${String(value.nanoseconds).padStart(9, '0')}Z`;
}

function toTimestamp(iso: string): Timestamp {
  const match = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!match) return Timestamp.fromDate(new Date(iso));
  const seconds = Math.floor(Date.parse(`${match[1]}Z`) / 1000);
  const nanos = Number((match[2] ?? '').padEnd(9, '0'));
  return new Timestamp(seconds, nanos);
}

function fromDocument(doc: QueryDocumentSnapshot<DocumentData>): StoredNotification {
  const data = doc.data();
  return {
    id: doc.id,
    recipientId: data.recipientId,
    kind: data.kind,
    category: data.category,
    title: data.title,
    body: data.body,
    eventId: data.eventId,
    link: data.link,
    sourceId: data.sourceId,
    // A listener may see a local write before the server stamped it; the stream only reads others' writes.
    createdAt: data.createdAt ? timestampToIso(data.createdAt as Timestamp) : timestampToIso(Timestamp.now()),
    readAt: data.readAt ? (data.readAt as Timestamp).toDate().toISOString() : null,
  };
}
