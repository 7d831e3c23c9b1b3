import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface CorrelationStore {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationStore>();

/**
 * The correlation id of the work in progress (an HTTP request, a gRPC call, a Pub/Sub message), so
 * logs, outgoing gRPC metadata and published messages carry it without threading it through every call.
 */
export class CorrelationContext {
  static run<T>(correlationId: string, fn: () => T): T {
    return storage.run({ correlationId }, fn);
  }

  static currentId(): string | undefined {
    return storage.getStore()?.correlationId;
  }

  static newId(): string {
    return randomUUID();
  }
}
