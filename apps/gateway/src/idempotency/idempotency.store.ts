/** A response exactly as it was sent the first time, so every replay sends the same bytes. */
export interface StoredResponse {
  statusCode: number;
  /** Absent for an empty body (204). */
  contentType?: string;
  /** The `Location` header the handler set, if any. */
  location?: string;
  body: string;
}

/** What a request writes when it takes a key: it holds the key until `lockedUntil`. */
export interface PendingIdempotencyRecord {
  userId: string;
  fingerprint: string;
  createdAt: string;
  lockedUntil: string;
  /** When the record may be deleted (a Firestore TTL policy on `expiresAt` does it). */
  expiresAt: string;
}

export type IdempotencyRecord = PendingIdempotencyRecord & {
  id: string;
  /** Changes with every write: a write based on an older version is refused. */
  version: string;
} & ({ state: 'in-progress' } | { state: 'completed'; response: StoredResponse });

/** Proof that this request holds the key: completing or releasing it needs the version it wrote. */
export interface IdempotencyLease {
  id: string;
  version: string;
}

/**
 * Storage of idempotency records. Every write is conditional, so that of several requests racing for
 * one key exactly one wins each step, and a request whose lock was taken over cannot overwrite or
 * delete the record of the request that took it.
 */
export abstract class IdempotencyStore {
  /** Creates the record in progress; undefined when a record with this id exists already. */
  abstract create(id: string, record: PendingIdempotencyRecord): Promise<IdempotencyLease | undefined>;
  abstract find(id: string): Promise<IdempotencyRecord | undefined>;
  /** Replaces `current` (a stale lock or an expired record); undefined when it changed meanwhile. */
  abstract takeOver(
    current: IdempotencyRecord,
    record: PendingIdempotencyRecord,
  ): Promise<IdempotencyLease | undefined>;
  /** Stores the final response; false when the lease was lost (the record changed since). */
  abstract complete(lease: IdempotencyLease, response: StoredResponse): Promise<boolean>;
  /** Deletes the record so that a retry runs again; does nothing when the lease was lost. */
  abstract release(lease: IdempotencyLease): Promise<void>;
}
