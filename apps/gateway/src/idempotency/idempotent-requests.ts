import { Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Clock, DomainError, type Metrics } from '@convene/common';
import { idempotencyRecordId } from './idempotency-key';
import {
  IdempotencyStore,
  type IdempotencyLease,
  type PendingIdempotencyRecord,
  type StoredResponse,
} from './idempotency.store';

export interface IdempotentRequestOptions {
  /**
   * How long a request holds its key. Far above the gRPC deadline: a lock that expires is one whose
   * process died mid-request, and the next request with the key may take it over.
   */
  lockMs: number;
  /** How long a duplicate waits for the first request to finish before answering 409. */
  waitMs: number;
  /** How long a key is remembered. */
  retentionMs: number;
}

export const DEFAULT_IDEMPOTENT_REQUEST_OPTIONS: IdempotentRequestOptions = {
  lockMs: 30_000,
  waitMs: 10_000,
  retentionMs: 24 * 60 * 60 * 1000,
};

const FIRST_POLL_DELAY_MS = 20;
const MAX_POLL_DELAY_MS = 500;

/** One user's request carrying an Idempotency-Key. */
export interface IdempotentRequest {
  userId: string;
  key: string;
  /** See requestFingerprint(): the same key with another request is refused. */
  fingerprint: string;
}

export interface IdempotentOutcome {
  response: StoredResponse;
  /** True when `response` is the stored answer to an earlier request with the key. */
  replayed: boolean;
}

type Claim = { lease: IdempotencyLease } | { replay: StoredResponse };

/**
 * Runs a request at most once per (user, key) and answers every repetition with the first response.
 * A duplicate that arrives while the first is still running waits for its response. `run` either
 * returns a final response (stored and replayed from then on) or throws: then the key is released and
 * a retry runs again.
 */
export class IdempotentRequests {
  private readonly logger = new Logger(IdempotentRequests.name);
  private readonly replays: Counter;

  constructor(
    private readonly store: IdempotencyStore,
    metrics: Metrics,
    private readonly clock: Clock = new Clock(),
    private readonly options: IdempotentRequestOptions = DEFAULT_IDEMPOTENT_REQUEST_OPTIONS,
  ) {
    this.replays = new Counter({
      name: 'convene_idempotency_replays_total',
      help: 'Requests answered with the stored response of an earlier request with the same Idempotency-Key',
      registers: [metrics.registry],
    });
  }

  async execute(request: IdempotentRequest, run: () => Promise<StoredResponse>): Promise<IdempotentOutcome> {
    const claim = await this.claim(idempotencyRecordId(request.userId, request.key), request);
    if ('replay' in claim) {
      this.replays.inc();
      return { response: claim.replay, replayed: true };
    }

    let response: StoredResponse;
    try {
      response = await run();
    } catch (error) {
      await this.release(claim.lease);
      throw error;
    }
    await this.complete(claim.lease, response);
    return { response, replayed: false };
  }

  /** Takes the key, or waits until the request holding it has a response to replay. */
  private async claim(id: string, request: IdempotentRequest): Promise<Claim> {
    try {
      // The wait is a duration, measured on the monotonic clock; instants that are stored use `clock`.
      const giveUpAt = performance.now() + this.options.waitMs;
      let delayMs = FIRST_POLL_DELAY_MS;
      let lease = await this.store.create(id, this.pending(request));
      while (!lease) {
        const record = await this.store.find(id);
        const now = this.now();
        if (!record) {
          lease = await this.store.create(id, this.pending(request)); // released meanwhile: try again
        } else if (Date.parse(record.expiresAt) <= now) {
          lease = await this.store.takeOver(record, this.pending(request)); // forgotten: as if absent
        } else if (record.fingerprint !== request.fingerprint) {
          throw new DomainError(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used for another request; send a new key for a new request',
          );
        } else if (record.state === 'completed') {
          return { replay: record.response };
        } else if (Date.parse(record.lockedUntil) <= now) {
          lease = await this.store.takeOver(record, this.pending(request)); // its holder died mid-request
        } else {
          const remainingMs = giveUpAt - performance.now();
          if (remainingMs <= 0) {
            throw new DomainError(
              'IDEMPOTENCY_KEY_IN_USE',
              'A request with this Idempotency-Key is still in progress; retry later with the same key',
            );
          }
          await sleep(Math.min(delayMs, remainingMs));
          delayMs = Math.min(delayMs * 2, MAX_POLL_DELAY_MS);
        }
      }
      return { lease };
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.logger.error({ message: 'Idempotency key store unavailable' }, errorStack(error));
      throw new DomainError('SERVICE_UNAVAILABLE', 'Idempotency keys cannot be checked right now, try again later');
    }
  }

  private pending(request: IdempotentRequest): PendingIdempotencyRecord {
    const now = this.now();
    return {
      userId: request.userId,
      fingerprint: request.fingerprint,
      createdAt: new Date(now).toISOString(),
      lockedUntil: new Date(now + this.options.lockMs).toISOString(),
      expiresAt: new Date(now + this.options.retentionMs).toISOString(),
    };
  }

  /**
   * The response goes out even if it cannot be stored: the work is done. The record then stays in
   * progress until its lock expires, and a retry after that runs again (the services behind the gateway
   * still refuse a duplicate, e.g. ALREADY_REGISTERED).
   */
  private async complete(lease: IdempotencyLease, response: StoredResponse): Promise<void> {
    try {
      if (!(await this.store.complete(lease, response))) {
        this.logger.warn(`Idempotency record ${lease.id} was taken over before its response was stored`);
      }
    } catch (error) {
      this.logger.error(
        { message: `Could not store the response of idempotency record ${lease.id}` },
        errorStack(error),
      );
    }
  }

  /** If this fails too, the record's lock expires and the next retry takes it over. */
  private async release(lease: IdempotencyLease): Promise<void> {
    try {
      await this.store.release(lease);
    } catch (error) {
      this.logger.error({ message: `Could not release idempotency record ${lease.id}` }, errorStack(error));
    }
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function errorStack(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
