import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '@convene/common';

/** What the email sender does: sent, given up on, retried — by notice kind (a bounded set). */
@Injectable()
export class EmailMetrics {
  private readonly sentTotal: Counter<'kind'>;
  private readonly failedTotal: Counter<'kind' | 'reason'>;
  private readonly retriedTotal: Counter<'kind'>;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.sentTotal = new Counter({
      name: 'convene_email_sent_total',
      help: 'Emails the SMTP server accepted, by notice kind',
      labelNames: ['kind'],
      registers,
    });
    this.failedTotal = new Counter({
      name: 'convene_email_failed_total',
      help: 'Emails given up on, by notice kind and reason (permanent: refused with 5xx; exhausted: out of attempts)',
      labelNames: ['kind', 'reason'],
      registers,
    });
    this.retriedTotal = new Counter({
      name: 'convene_email_retried_total',
      help: 'Failed send attempts that will be retried, by notice kind',
      labelNames: ['kind'],
      registers,
    });
  }

  sent(kind: string): void {
    this.sentTotal.inc({ kind });
  }

  failed(kind: string, reason: 'permanent' | 'exhausted'): void {
    this.failedTotal.inc({ kind, reason });
  }

  retried(kind: string): void {
    this.retriedTotal.inc({ kind });
  }
}
