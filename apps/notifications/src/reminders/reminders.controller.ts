import { Controller, HttpCode, Post } from '@nestjs/common';
import { ReminderScheduler } from './reminder-scheduler';

/**
 * The reminders trigger for Kubernetes (a CronJob calls it every minute; REMINDER_MODE=external).
 * On the service's own port, never routed by the gateway; the NetworkPolicy lets only the CronJob in.
 * Safe to call any number of times, from anywhere, at once: each reminder goes out once.
 */
@Controller('internal/reminders')
export class RemindersController {
  constructor(private readonly scheduler: ReminderScheduler) {}

  @Post('run')
  @HttpCode(200)
  async run(): Promise<{ started: number }> {
    return { started: await this.scheduler.runOnce() };
  }
}
