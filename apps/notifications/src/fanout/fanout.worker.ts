import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { WorkLoop } from '@convene/common';
import { AudienceStore } from '../audience/audience.store';
import { Dispatcher } from '../dispatch/dispatcher';
import { FanoutStore, type FanoutJob } from './fanout.store';

export abstract class FanoutSettings {
  /** People told per page (one Firestore read of the audience, one bulk write of notifications). */
  abstract readonly pageSize: number;
  /** How long a worker holds a job between pages; another takes it over after. */
  abstract readonly leaseMs: number;
  abstract readonly pollIntervalMs: number;
}

/**
 * Tells fan-out jobs' audiences, page by page, in the background: the Pub/Sub handler that created a
 * job has long been acked, so a cancellation for tens of thousands never holds up other messages.
 */
@Injectable()
export class FanoutWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FanoutWorker.name);
  private readonly loop: WorkLoop;

  constructor(
    private readonly jobs: FanoutStore,
    private readonly audience: AudienceStore,
    private readonly dispatcher: Dispatcher,
    private readonly settings: FanoutSettings,
  ) {
    this.loop = new WorkLoop(() => this.runOne(), { name: 'fan-out', pollIntervalMs: settings.pollIntervalMs });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** Work is waiting (a job was just created). */
  kick(): void {
    this.loop.kick();
  }

  /** Claims one job and tells its audience to the end (or until it loses the lease). True if it ran one. */
  async runOne(): Promise<boolean> {
    const claimed = await this.jobs.claim(this.settings.leaseMs);
    if (!claimed) return false;
    await this.run(claimed.job, claimed.lease);
    return true;
  }

  private async run(job: FanoutJob, initialLease: number): Promise<void> {
    let lease: number | undefined = initialLease;
    let cursor = job.cursor;
    let told = job.told;
    while (lease !== undefined) {
      const page = await this.audience.page(job.eventId, job.audience, cursor, this.settings.pageSize);
      const done = page.userIds.length < this.settings.pageSize;
      const result = await this.dispatcher.tell(job.notice, page.userIds);
      told += page.userIds.length;
      cursor = page.last ?? cursor;
      lease = await this.jobs.advance(
        job.id,
        lease,
        { cursor, told: page.userIds.length, done },
        this.settings.leaseMs,
      );
      if (done) {
        this.logger.log({ message: 'fan-out done', job: job.id, kind: job.notice.kind, told, lastPage: result });
        return;
      }
    }
    this.logger.warn({ message: 'fan-out lease lost; another worker continues', job: job.id, told });
  }
}
