import { FieldPath, FieldValue, Firestore, Timestamp, type DocumentData, type Query } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { DomainError, GrpcStatus, hasGrpcCode } from '@convene/common';
import { fromTimestamp, retryOnContention, toTimestamp } from '@convene/firestore';
import { WEBHOOK_COLLECTIONS, type WebhookDelivery, type WebhookEndpoint } from './webhook';

/** Firestore allows 500 writes per batch. */
const WRITE_PAGE = 400;

/**
 * `webhookEndpoints/{id}` and `webhookDeliveries/{id}`. No business rules: the service and the
 * delivery policy decide, this reads and writes (in transactions where a decision depends on a read).
 *
 * Composite indexes (firestore.indexes.json): `webhookDeliveries` (status ASC, nextAttemptAt ASC) for
 * the due query, and (endpointId ASC, createdAt DESC, __name__ DESC) for an endpoint's deliveries.
 */
@Injectable()
export class WebhooksStore {
  constructor(private readonly firestore: Firestore) {}

  /**
   * Creates the endpoint unless its owner already has `maxPerOwner` (the count and the creation in one
   * transaction, so concurrent creations cannot pass the limit together).
   */
  async createEndpoint(endpoint: WebhookEndpoint, maxPerOwner: number): Promise<void> {
    await retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const owned = await tx.get(this.endpoints().where('ownerId', '==', endpoint.ownerId));
        if (owned.size >= maxPerOwner) {
          throw new DomainError('WEBHOOK_LIMIT_REACHED', `an organizer may have at most ${maxPerOwner} webhooks`, {
            limit: maxPerOwner,
          });
        }
        tx.create(this.endpoints().doc(endpoint.id), endpointDocument(endpoint));
      }),
    );
  }

  /** The owner's endpoints, oldest first (at most a few dozen: no paging). */
  async listEndpoints(ownerId: string): Promise<WebhookEndpoint[]> {
    const snapshot = await this.endpoints().where('ownerId', '==', ownerId).get();
    return snapshot.docs
      .map((doc) => endpointFrom(doc.id, doc.data()))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async getEndpoint(id: string): Promise<WebhookEndpoint | undefined> {
    const snapshot = await this.endpoints().doc(id).get();
    return snapshot.exists ? endpointFrom(snapshot.id, snapshot.data()!) : undefined;
  }

  async getEndpoints(ids: string[]): Promise<Map<string, WebhookEndpoint>> {
    if (ids.length === 0) return new Map();
    const snapshots = await this.firestore.getAll(...ids.map((id) => this.endpoints().doc(id)));
    return new Map(
      snapshots.filter((s) => s.exists).map((s) => [s.id, endpointFrom(s.id, s.data()!)] as [string, WebhookEndpoint]),
    );
  }

  /** Deletes the endpoint, then its deliveries (they hold copies of domain data). Safe to run again. */
  async deleteEndpoint(id: string): Promise<void> {
    await this.endpoints().doc(id).delete();
    for (;;) {
      const page = await this.deliveries().where('endpointId', '==', id).limit(WRITE_PAGE).get();
      if (page.empty) return;
      const batch = this.firestore.batch();
      for (const doc of page.docs) batch.delete(doc.ref);
      await batch.commit();
    }
  }

  /** Creates the delivery unless one with its id exists. Resolves true when created. */
  async createDelivery(delivery: WebhookDelivery): Promise<boolean> {
    try {
      await this.deliveries().doc(delivery.id).create(deliveryDocument(delivery));
      return true;
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) return false;
      throw error;
    }
  }

  async getDelivery(id: string): Promise<WebhookDelivery | undefined> {
    const snapshot = await this.deliveries().doc(id).get();
    return snapshot.exists ? deliveryFrom(snapshot.id, snapshot.data()!) : undefined;
  }

  /** One page of the endpoint's deliveries, newest first, after the position `after`. */
  async listDeliveries(
    endpointId: string,
    limit: number,
    after?: { at: string; id: string },
  ): Promise<WebhookDelivery[]> {
    let query: Query = this.deliveries()
      .where('endpointId', '==', endpointId)
      .orderBy('createdAt', 'desc')
      .orderBy(FieldPath.documentId(), 'desc');
    if (after) query = query.startAfter(toTimestamp(after.at), after.id);
    const snapshot = await query.limit(limit).get();
    return snapshot.docs.map((doc) => deliveryFrom(doc.id, doc.data()));
  }

  /**
   * Makes the delivery due now with a fresh retry window, and its endpoint active with no failures.
   * Resolves undefined when either is gone or the delivery is not the endpoint's.
   */
  async redeliver(endpointId: string, deliveryId: string, now: Date): Promise<WebhookDelivery | undefined> {
    return retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const [endpointSnapshot, deliverySnapshot] = await tx.getAll(
          this.endpoints().doc(endpointId),
          this.deliveries().doc(deliveryId),
        );
        if (!endpointSnapshot.exists || !deliverySnapshot.exists) return undefined;
        const endpoint = endpointFrom(endpointSnapshot.id, endpointSnapshot.data()!);
        const delivery = deliveryFrom(deliverySnapshot.id, deliverySnapshot.data()!);
        if (delivery.endpointId !== endpointId) return undefined;
        if (endpoint.status !== 'active' || endpoint.consecutiveFailures !== 0) {
          tx.set(
            endpointSnapshot.ref,
            endpointDocument({
              ...endpoint,
              status: 'active',
              consecutiveFailures: 0,
              disabledReason: undefined,
              disabledAt: undefined,
              disableNoticePending: undefined,
              updatedAt: now.toISOString(),
            }),
          );
        }
        const redelivered: WebhookDelivery = {
          ...delivery,
          status: 'pending',
          nextAttemptAt: now.toISOString(),
          firstAttemptAt: undefined,
          retryCount: 0,
          stoppedReason: undefined,
        };
        tx.set(deliverySnapshot.ref, deliveryDocument(redelivered));
        return redelivered;
      }),
    );
  }

  /** Ids of pending deliveries due at `now`, earliest first. */
  async dueDeliveryIds(now: Date, limit: number): Promise<string[]> {
    const snapshot = await this.deliveries()
      .where('status', '==', 'pending')
      .where('nextAttemptAt', '<=', Timestamp.fromDate(now))
      .orderBy('nextAttemptAt')
      .limit(limit)
      .select()
      .get();
    return snapshot.docs.map((doc) => doc.id);
  }

  /**
   * Takes the deliveries still pending and due, pushing their `nextAttemptAt` past `leaseMs` so other
   * replicas skip them while this one sends. If this process dies, the lease expires and they are
   * sent again (receivers dedupe on the event id).
   */
  async claim(ids: string[], now: Date, leaseMs: number): Promise<WebhookDelivery[]> {
    if (ids.length === 0) return [];
    return this.firestore.runTransaction(async (tx) => {
      const snapshots = await tx.getAll(...ids.map((id) => this.deliveries().doc(id)));
      const claimed = snapshots
        .filter((snapshot) => snapshot.exists)
        .map((snapshot) => deliveryFrom(snapshot.id, snapshot.data()!))
        .filter((d) => d.status === 'pending' && d.nextAttemptAt !== undefined && Date.parse(d.nextAttemptAt) <= +now);
      const leaseEnd = Timestamp.fromMillis(now.getTime() + leaseMs);
      for (const delivery of claimed) tx.update(this.deliveries().doc(delivery.id), { nextAttemptAt: leaseEnd });
      return claimed;
    });
  }

  /**
   * Reads the endpoint and the deliveries, lets `decide` work out their next state and writes what
   * it returns, in one transaction. Nothing is written when the endpoint is gone (its deletion removes
   * the deliveries too).
   */
  async update<T extends { endpoint?: WebhookEndpoint; deliveries: WebhookDelivery[] }>(
    endpointId: string,
    deliveryIds: string[],
    decide: (endpoint: WebhookEndpoint, deliveries: WebhookDelivery[]) => T,
  ): Promise<T | undefined> {
    return retryOnContention(() =>
      this.firestore.runTransaction(async (tx) => {
        const [endpointSnapshot, ...deliverySnapshots] = await tx.getAll(
          this.endpoints().doc(endpointId),
          ...deliveryIds.map((id) => this.deliveries().doc(id)),
        );
        if (!endpointSnapshot.exists) return undefined;
        const result = decide(
          endpointFrom(endpointSnapshot.id, endpointSnapshot.data()!),
          deliverySnapshots.filter((s) => s.exists).map((s) => deliveryFrom(s.id, s.data()!)),
        );
        if (result.endpoint) tx.set(endpointSnapshot.ref, endpointDocument(result.endpoint));
        for (const delivery of result.deliveries) {
          tx.set(this.deliveries().doc(delivery.id), deliveryDocument(delivery));
        }
        return result;
      }),
    );
  }

  /** Marks a delivery failed without an attempt (its endpoint is gone or disabled). */
  async stopDelivery(id: string, reason: string): Promise<void> {
    try {
      await this.deliveries()
        .doc(id)
        .update({ status: 'failed', stoppedReason: reason, nextAttemptAt: FieldValue.delete() });
    } catch (error) {
      // Deleted with its endpoint meanwhile: nothing left to stop.
      if (!hasGrpcCode(error, GrpcStatus.NOT_FOUND)) throw error;
    }
  }

  /** Fails every pending delivery of a disabled endpoint. Resolves how many it stopped. */
  async stopPendingDeliveries(endpointId: string, reason: string): Promise<number> {
    let stopped = 0;
    for (;;) {
      const page = await this.deliveries()
        .where('endpointId', '==', endpointId)
        .where('status', '==', 'pending')
        .limit(WRITE_PAGE)
        .get();
      if (page.empty) return stopped;
      const batch = this.firestore.batch();
      for (const doc of page.docs) {
        batch.update(doc.ref, { status: 'failed', stoppedReason: reason, nextAttemptAt: FieldValue.delete() });
      }
      await batch.commit();
      stopped += page.size;
    }
  }

  /** Disabled endpoints whose organizer was not told yet (the process died in between). */
  async endpointsAwaitingDisableNotice(limit: number): Promise<WebhookEndpoint[]> {
    const snapshot = await this.endpoints().where('disableNoticePending', '==', true).limit(limit).get();
    return snapshot.docs.map((doc) => endpointFrom(doc.id, doc.data()));
  }

  /** The organizer was told of the disabling at `disabledAt` (a later re-disabling stays pending). */
  async clearDisableNotice(id: string, disabledAt: string): Promise<void> {
    await this.firestore.runTransaction(async (tx) => {
      const snapshot = await tx.get(this.endpoints().doc(id));
      if (!snapshot.exists || fromTimestamp(snapshot.get('disabledAt') as Timestamp | undefined) !== disabledAt) return;
      tx.update(snapshot.ref, { disableNoticePending: FieldValue.delete() });
    });
  }

  private endpoints() {
    return this.firestore.collection(WEBHOOK_COLLECTIONS.endpoints);
  }

  private deliveries() {
    return this.firestore.collection(WEBHOOK_COLLECTIONS.deliveries);
  }
}

function endpointDocument(endpoint: WebhookEndpoint): DocumentData {
  const { id: _id, createdAt, updatedAt, disabledAt, ...rest } = endpoint;
  return {
    ...rest,
    createdAt: toTimestamp(createdAt),
    updatedAt: toTimestamp(updatedAt),
    disabledAt: disabledAt ? toTimestamp(disabledAt) : undefined,
  };
}

function endpointFrom(id: string, data: DocumentData): WebhookEndpoint {
  return {
    id,
    ownerId: data.ownerId,
    url: data.url,
    eventTypes: data.eventTypes,
    description: data.description ?? '',
    secret: data.secret,
    status: data.status,
    disabledReason: data.disabledReason,
    disabledAt: fromTimestamp(data.disabledAt),
    disableNoticePending: data.disableNoticePending,
    consecutiveFailures: data.consecutiveFailures ?? 0,
    createdAt: fromTimestamp(data.createdAt),
    updatedAt: fromTimestamp(data.updatedAt),
  };
}

function deliveryDocument(delivery: WebhookDelivery): DocumentData {
  const { id: _id, createdAt, nextAttemptAt, firstAttemptAt, ...rest } = delivery;
  return {
    ...rest,
    createdAt: toTimestamp(createdAt),
    nextAttemptAt: nextAttemptAt && delivery.status === 'pending' ? toTimestamp(nextAttemptAt) : undefined,
    firstAttemptAt: firstAttemptAt ? toTimestamp(firstAttemptAt) : undefined,
  };
}

function deliveryFrom(id: string, data: DocumentData): WebhookDelivery {
  return {
    id,
    endpointId: data.endpointId,
    ownerId: data.ownerId,
    eventType: data.eventType,
    eventId: data.eventId,
    payload: data.payload,
    status: data.status,
    attempts: data.attempts ?? [],
    attemptCount: data.attemptCount ?? 0,
    retryCount: data.retryCount ?? 0,
    nextAttemptAt: fromTimestamp(data.nextAttemptAt),
    firstAttemptAt: fromTimestamp(data.firstAttemptAt),
    stoppedReason: data.stoppedReason,
    createdAt: fromTimestamp(data.createdAt),
  };
}
