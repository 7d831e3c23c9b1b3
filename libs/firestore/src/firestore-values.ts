import { Timestamp } from '@google-cloud/firestore';

/**
 * Repository convention: domain objects hold ISO strings for instants; Firestore documents hold
 * Timestamps (so range queries and ordering are native). These convert at the adapter boundary.
 */
export function toTimestamp(iso: string): Timestamp {
  return Timestamp.fromDate(new Date(iso));
}

export function fromTimestamp(value: Timestamp): string;
export function fromTimestamp(value: Timestamp | undefined | null): string | undefined;
export function fromTimestamp(value: Timestamp | undefined | null): string | undefined {
  return value ? value.toDate().toISOString() : undefined;
}
