import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock, WorkLoop } from '@convene/common';
import { REMINDER_AUDIENCE } from '../audience/audience.store';
import { EventFactsStore } from '../facts/event-facts.store';
import { FanoutStore } from '../fanout/fanout.store';
import { FanoutWorker } from '../fanout/fanout.worker';
import { Notices } from '../notices/notice-builder';

const HOUR = 3_600_000;

export abstract class ReminderSettings {
  /** `in-process`: this process checks every `pollIntervalMs`; `external`: a CronJob calls the trigger. */
  abstract readonly mode: 'in-process' | 'external';
  abstract readonly pollIntervalMs: number;
}

/**
 * Reminders 24 h and 1 h before an event starts, to its confirmed attendees, each exactly once per
 * start time: the claim (marks on `eventFacts/{id}`) and the fan-out job are written in one
 * transaction, and the job's id names the reminder, so neither a second scheduler replica, a second
 * pass nor a restart sends it again. A rescheduled event gets reminders for its new time.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReminderScheduler.name);
  private readonly loop: WorkLoop;

  constructor(
    private readonly facts: EventFactsStore,
    private readonly jobs: FanoutStore,
    private readonly worker: FanoutWorker,
    private readonly clock: Clock,
    private readonly settings: ReminderSettings,
  ) {
    this.loop = new WorkLoop(async () => (await this.runOnce(), false), {
      name: 'reminders',
      pollIntervalMs: settings.pollIntervalMs,
    });
  }

  onApplicationBootstrap(): void {
    if (this.settings.mode === 'in-process') this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  /** One pass: starts every reminder now due. Resolves how many it started. */
  async runOnce(): Promise<number> {
    const now = this.clock.now();
    let started = 0;
    for (const event of await this.facts.startingWithin(now, 24 * HOUR)) {
      const which = Date.parse(event.startsAt) - now.getTime() <= HOUR ? '1h' : '24h';
      const jobId = `reminder-${which}~${event.id}~${event.startsAt}`;
      const claimed = await this.facts.claimReminder(event.id, event.startsAt, which, (tx) =>
        this.jobs.create(
          {
            id: jobId,
            eventId: event.id,
            audience: REMINDER_AUDIENCE,
            notice: Notices.reminder(jobId, event, which),
          },
          tx,
        ),
      );
      if (claimed) started += 1;
    }
    if (started > 0) {
      this.logger.log({ message: 'reminders started', count: started });
      this.worker.kick();
    }
    return started;
  }
}
