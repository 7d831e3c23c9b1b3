import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { Metrics } from '@convene/common';

/** What the registering path does under load: outcomes, batch sizes, how much waits. */
@Injectable()
export class RegistrationsMetrics {
  private readonly outcomes: Counter<'outcome'>;
  private readonly batches: Histogram;
  private depth: () => number = () => 0;

  constructor(metrics: Metrics) {
    const registers = [metrics.registry];
    this.outcomes = new Counter({
      name: 'convene_registration_outcomes_total',
      help: 'Registration attempts by outcome (confirmed, waitlisted, existing, full, full-fast, closed)',
      labelNames: ['outcome'],
      registers,
    });
    this.batches = new Histogram({
      name: 'convene_registration_batch_size',
      help: 'Registrations committed per batch (one event, one process)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 150],
      registers,
    });
    const depth = () => this.depth();
    new Gauge({
      name: 'convene_registration_lane_depth',
      help: 'Registrations and jobs waiting or running in the per-event lanes of this process',
      registers,
      collect() {
        this.set(depth());
      },
    });
  }

  outcome(kind: string): void {
    this.outcomes.inc({ outcome: kind });
  }

  batchSize(size: number): void {
    this.batches.observe(size);
  }

  observeLaneDepth(depth: () => number): void {
    this.depth = depth;
  }
}
