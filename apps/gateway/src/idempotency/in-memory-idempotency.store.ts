import {
  IdempotencyStore,
  type IdempotencyLease,
  type IdempotencyRecord,
  type PendingIdempotencyRecord,
  type StoredResponse,
} from './idempotency.store';

/** Unit-test fake with the adapter's semantics: create fails on an existing id, writes check the version. */
export class InMemoryIdempotencyStore extends IdempotencyStore {
  private readonly records = new Map<string, IdempotencyRecord>();
  private writes = 0;

  async create(id: string, record: PendingIdempotencyRecord): Promise<IdempotencyLease | undefined> {
    if (this.records.has(id)) return undefined;
    return this.write({ ...record, id, version: '', state: 'in-progress' });
  }

  async find(id: string): Promise<IdempotencyRecord | undefined> {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  async takeOver(current: IdempotencyRecord, record: PendingIdempotencyRecord): Promise<IdempotencyLease | undefined> {
    if (!this.holds(current)) return undefined;
    return this.write({ ...record, id: current.id, version: '', state: 'in-progress' });
  }

  async complete(lease: IdempotencyLease, response: StoredResponse): Promise<boolean> {
    const current = this.records.get(lease.id);
    if (!current || !this.holds(lease)) return false;
    this.write({ ...current, state: 'completed', response: structuredClone(response) });
    return true;
  }

  async release(lease: IdempotencyLease): Promise<void> {
    if (this.holds(lease)) this.records.delete(lease.id);
  }

  private holds(lease: IdempotencyLease): boolean {
    return this.records.get(lease.id)?.version === lease.version;
  }

  private write(record: IdempotencyRecord): IdempotencyLease {
    this.writes += 1;
    const version = String(this.writes);
    this.records.set(record.id, { ...record, version });
    return { id: record.id, version };
  }
}
