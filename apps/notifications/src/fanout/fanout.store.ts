import { Firestore, Timestamp, type Transaction } from '@google-cloud/firestore';
import { Injectable } from '@nestjs/common';
import { GrpcStatus, hasGrpcCode } from '@convene/common';
import type { AudienceStatus } from '../audience/audience.store';
import type { Notice } from '../notices/notice';

/**
 * A notice for everyone in an event's audience, told page by page: `fanouts/{id}`. The id is what
 * caused it (the message's envelope id, or the reminder's), so a redelivered message finds its job.
 * `cursor` is the last registration id told: a worker that dies mid-way leaves the job to another
 * after its lease, which resumes after the cursor (re-telling at most one page, which writes nothing
 * twice: see Dispatcher).
 */
export interface FanoutJob {
  id: string;
  eventId: string;
  audience: AudienceStatus[];
  notice: Notice;
  status: 'running' | 'done';
  cursor?: string;
  told: number;
  pages: number;
}

const COLLECTION = 'fanouts';

@Injectable()
export class FanoutStore {
  constructor(private readonly firestore: Firestore) {}

  /** Creates the job unless it exists; resolves true when created. In `tx` when given. */
  async create(job: Omit<FanoutJob, 'status' | 'told' | 'pages'>, tx?: Transaction): Promise<boolean> {
    const ref = this.collection().doc(job.id);
    const record = {
      ...job,
      status: 'running',
      told: 0,
      pages: 0,
      leaseUntil: Timestamp.now(),
      createdAt: Timestamp.now(),
    };
    if (tx) {
      tx.create(ref, record);
      return true;
    }
    try {
      await ref.create(record);
      return true;
    } catch (error) {
      if (hasGrpcCode(error, GrpcStatus.ALREADY_EXISTS)) return false;
      throw error;
    }
  }

  /**
   * Takes a running job whose lease expired (new, or left by a dead worker) and leases it for
   * `leaseMs`. Index: (status, leaseUntil).
   */
  async claim(leaseMs: number): Promise<{ job: FanoutJob; lease: number } | undefined> {
    const now = Timestamp.now();
    const candidates = await this.collection()
      .where('status', '==', 'running')
      .where('leaseUntil', '<=', now)
      .orderBy('leaseUntil')
      .limit(5)
      .get();
    for (const candidate of candidates.docs) {
      const lease = Date.now() + leaseMs;
      const claimed = await this.firestore.runTransaction(async (tx) => {
        const fresh = await tx.get(candidate.ref);
        const leaseUntil = fresh.get('leaseUntil') as Timestamp | undefined;
        if (fresh.get('status') !== 'running' || (leaseUntil && leaseUntil.toMillis() > Date.now())) return undefined;
        tx.update(candidate.ref, { leaseUntil: Timestamp.fromMillis(lease) });
        return fresh.data() as FanoutJob;
      });
      if (claimed) return { job: { ...claimed, id: candidate.id }, lease };
    }
    return undefined;
  }

  /**
   * Records a told page and renews the lease — only while this worker still holds it (`lease` is the
   * lease it set). Resolves false when it lost the job (its lease expired and another took it).
   */
  async advance(
    jobId: string,
    lease: number,
    progress: { cursor?: string; told: number; done: boolean },
    leaseMs: number,
  ): Promise<number | undefined> {
    const ref = this.collection().doc(jobId);
    return this.firestore.runTransaction(async (tx) => {
      const fresh = await tx.get(ref);
      if ((fresh.get('leaseUntil') as Timestamp).toMillis() !== lease) return undefined;
      const next = Date.now() + leaseMs;
      tx.update(ref, {
        ...(progress.cursor ? { cursor: progress.cursor } : {}),
        told: (fresh.get('told') as number) + progress.told,
        pages: (fresh.get('pages') as number) + 1,
        status: progress.done ? 'done' : 'running',
        leaseUntil: Timestamp.fromMillis(next),
        ...(progress.done ? { doneAt: Timestamp.now() } : {}),
      });
      return next;
    });
  }

  async get(jobId: string): Promise<FanoutJob | undefined> {
    const snapshot = await this.collection().doc(jobId).get();
    return snapshot.exists ? ({ ...(snapshot.data() as FanoutJob), id: snapshot.id } as FanoutJob) : undefined;
  }

  private collection() {
    return this.firestore.collection(COLLECTION);
  }
}
