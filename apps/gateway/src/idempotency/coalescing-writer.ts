import type {
  BulkWriter,
  DocumentData,
  DocumentReference,
  Firestore,
  Precondition,
  WriteResult,
} from '@google-cloud/firestore';

/**
 * Sends the writes of concurrent requests together. A rush of registrations claims and completes an
 * idempotency record per request; one commit each made those writes cost as much emulator time as
 * the registrations themselves. Firestore's BulkWriter sends up to 20 writes per call, each
 * succeeding or failing on its own (unlike a batch: one refused `create` fails only itself), and
 * retries only transient errors. This flushes it a moment after the first write of a burst instead of
 * waiting for a full batch of 20.
 */
export class CoalescingWriter {
  /** The writer of the current burst; closed (which sends it) `delayMs` after the burst's first write. */
  private current?: BulkWriter;

  constructor(
    private readonly firestore: Firestore,
    private readonly delayMs = 2,
  ) {}

  create(ref: DocumentReference, data: DocumentData): Promise<WriteResult> {
    return this.writer().create(ref, data);
  }

  update(ref: DocumentReference, data: DocumentData, precondition: Precondition): Promise<WriteResult> {
    return this.writer().update(ref, data, precondition);
  }

  delete(ref: DocumentReference, precondition: Precondition): Promise<WriteResult> {
    return this.writer().delete(ref, precondition);
  }

  /** Sends what is queued (shutdown). */
  async close(): Promise<void> {
    const writer = this.current;
    this.current = undefined;
    await writer?.close();
  }

  private writer(): BulkWriter {
    if (this.current) return this.current;
    // No ramp-up: the 500-ops/s start of BulkWriter's throttle would hold a rush back.
    const writer = this.firestore.bulkWriter({ throttling: false });
    this.current = writer;
    setTimeout(() => {
      if (this.current === writer) this.current = undefined;
      // Each write's own promise reports its outcome to its caller.
      writer.close().catch(() => undefined);
    }, this.delayMs);
    return writer;
  }
}
