import { Logger, type LoggerService } from '@nestjs/common';

export interface WorkLoopOptions {
  /** Names the loop in logs. */
  readonly name: string;
  /** Run a pass this often when nothing woke the loop (ms). */
  readonly pollIntervalMs: number;
  readonly logger?: LoggerService;
}

/**
 * Runs `pass` in the background: at start, every `pollIntervalMs`, and right away after `kick()`.
 * A pass that reports more work due runs again at once; passes never overlap; a failing pass is
 * logged and retried at the next poll. For workers that drain durable queues (emails, webhook
 * deliveries, fan-out jobs): the queue is the truth, a missed kick only delays work.
 */
export class WorkLoop {
  private readonly logger: LoggerService;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private started = false;
  private kicked = false;

  constructor(
    private readonly pass: () => Promise<boolean>,
    private readonly options: WorkLoopOptions,
  ) {
    this.logger = options.logger ?? new Logger(`WorkLoop ${options.name}`);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Stops scheduling and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    await this.running;
  }

  kick(): void {
    if (!this.started) return;
    if (this.running) this.kicked = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.run().finally(() => (this.running = undefined));
    }, delayMs);
    // A background loop alone must not keep a finished process alive.
    this.timer.unref();
  }

  private async run(): Promise<void> {
    try {
      let more: boolean;
      do {
        this.kicked = false;
        more = (await this.pass()) || this.kicked;
      } while (more && this.started);
    } catch (error) {
      this.logger.warn({ message: `${this.options.name}: pass failed`, error: String(error) });
    }
    if (this.started) this.schedule(this.options.pollIntervalMs);
  }
}
