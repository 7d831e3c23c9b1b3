import { FieldValue, Firestore, Timestamp, type DocumentData } from '@google-cloud/firestore';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { GrpcStatus, hasGrpcCode } from '@convene/common';
import { fromTimestamp, toTimestamp } from '@convene/firestore';
import {
  IdempotencyStore,
  type IdempotencyLease,
  type IdempotencyRecord,
  type PendingIdempotencyRecord,
  type StoredResponse,
} from './idempotency.store';
import { CoalescingWriter } from './coalescing-writer';

export const IDEMPOTENCY_COLLECTION = 'idempotencyKeys';

/** Fields of a completed record; cleared when a record is taken over. */
const RESPONSE_FIELDS = ['statusCode', 'contentType', 'location', 'body'] as const;

/**
 * `idempotencyKeys/{sha256(userId, key)}`. Operators configure a Firestore TTL policy on the
 * `expiresAt` field of this collection group; until it deletes a record, the gateway treats an
 * expired one as absent.
 *
 * No read-then-write transactions: concurrent duplicates would contend on the document's lock
 * (the emulator aborts them after ~2.8 s). The first write is a `create` that exactly one request wins;
 * every later write carries the document's update time as a precondition, so it fails instead of
 * overwriting a record that changed since it was read. Writes of concurrent requests go to Firestore
 * together (CoalescingWriter).
 */
@Injectable()
export class FirestoreIdempotencyStore extends IdempotencyStore implements OnApplicationShutdown {
  private readonly writes: CoalescingWriter;

  constructor(private readonly firestore: Firestore) {
    super();
    this.writes = new CoalescingWriter(firestore);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.writes.close();
  }

  async create(id: string, record: PendingIdempotencyRecord): Promise<IdempotencyLease | undefined> {
    try {
      const result = await this.writes.create(this.doc(id), toPendingDocument(record));
      return { id, version: versionOf(result.writeTime) };
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) return undefined;
      throw error;
    }
  }

  async find(id: string): Promise<IdempotencyRecord | undefined> {
    const snapshot = await this.doc(id).get();
    if (!snapshot.exists) return undefined;
    return fromDocument(id, versionOf(snapshot.updateTime!), snapshot.data()!);
  }

  async takeOver(current: IdempotencyRecord, record: PendingIdempotencyRecord): Promise<IdempotencyLease | undefined> {
    const cleared = Object.fromEntries(RESPONSE_FIELDS.map((field) => [field, FieldValue.delete()]));
    return this.ifUnchanged(async () => {
      const result = await this.writes.update(
        this.doc(current.id),
        { ...toPendingDocument(record), ...cleared },
        { lastUpdateTime: timestampOf(current.version) },
      );
      return { id: current.id, version: versionOf(result.writeTime) };
    });
  }

  async complete(lease: IdempotencyLease, response: StoredResponse): Promise<boolean> {
    const completed = await this.ifUnchanged(async () => {
      await this.writes.update(
        this.doc(lease.id),
        { state: 'completed', ...response },
        { lastUpdateTime: timestampOf(lease.version) },
      );
      return true;
    });
    return completed ?? false;
  }

  async release(lease: IdempotencyLease): Promise<void> {
    await this.ifUnchanged(() =>
      this.writes.delete(this.doc(lease.id), { lastUpdateTime: timestampOf(lease.version) }),
    );
  }

  private doc(id: string) {
    return this.firestore.collection(IDEMPOTENCY_COLLECTION).doc(id);
  }

  /** Runs a write that carries a version precondition; undefined when the document changed or disappeared. */
  private async ifUnchanged<T>(write: () => Promise<T>): Promise<T | undefined> {
    try {
      return await write();
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.FAILED_PRECONDITION) || hasGrpcCode(error, GrpcStatus.NOT_FOUND)) {
        return undefined;
      }
      throw error;
    }
  }
}

function toPendingDocument(record: PendingIdempotencyRecord): DocumentData {
  return {
    state: 'in-progress',
    userId: record.userId,
    fingerprint: record.fingerprint,
    createdAt: toTimestamp(record.createdAt),
    lockedUntil: toTimestamp(record.lockedUntil),
    expiresAt: toTimestamp(record.expiresAt),
  };
}

function fromDocument(id: string, version: string, data: DocumentData): IdempotencyRecord {
  const pending = {
    id,
    version,
    userId: data.userId as string,
    fingerprint: data.fingerprint as string,
    createdAt: fromTimestamp(data.createdAt as Timestamp),
    lockedUntil: fromTimestamp(data.lockedUntil as Timestamp),
    expiresAt: fromTimestamp(data.expiresAt as Timestamp),
  };
  if (data.state !== 'completed') return { ...pending, state: 'in-progress' };
  return {
    ...pending,
    state: 'completed',
    response: {
      statusCode: data.statusCode as number,
      body: data.body as string,
      ...(typeof data.contentType === 'string' ? { contentType: data.contentType } : {}),
      ...(typeof data.location === 'string' ? { location: data.location } : {}),
    },
  };
}

/** A document's update time, exact to the nanosecond, as the opaque version the store hands out. */
function versionOf(time: Timestamp): string {
  return `${time.seconds}.${String(time.nanoseconds).padStart(9, '0')}`;
}

function timestampOf(version: string): Timestamp {
  const [seconds, nanoseconds] = version.split('.');
  return new Timestamp(Number(seconds), Number(nanoseconds));
}
