import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS_OPTIONS, type MetricsOptions } from './metrics-options';

// Latency buckets (seconds) around the gateway's budget: most calls well under 100 ms.
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics. It owns its registry rather than using prom-client's global
 * one, so several apps (tests, one process per service) never collide on metric names.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly grpcRequestDuration: Histogram<'service' | 'method' | 'code'>;
  readonly pubsubPublished: Counter<'topic' | 'outcome'>;
  readonly pubsubConsumed: Counter<'subscription' | 'outcome'>;
  readonly pubsubDeadLettered: Counter<'subscription'>;
  readonly outboxPending: Gauge;

  constructor(@Inject(METRICS_OPTIONS) options: MetricsOptions) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ service: options.service });
    // Standard names (process_cpu_seconds_total, nodejs_eventloop_lag_seconds, ...) so stock dashboards work.
    collectDefaultMetrics({ register: this.registry });

    this.httpRequestDuration = new Histogram({
      name: 'convene_http_request_duration_seconds',
      help: 'HTTP requests by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.grpcRequestDuration = new Histogram({
      name: 'convene_grpc_request_duration_seconds',
      help: 'gRPC calls handled by this service, by service, method and status code',
      labelNames: ['service', 'method', 'code'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.pubsubPublished = new Counter({
      name: 'convene_pubsub_published_total',
      help: 'Pub/Sub publish attempts by topic and outcome (success|failure)',
      labelNames: ['topic', 'outcome'],
      registers,
    });
    this.pubsubConsumed = new Counter({
      name: 'convene_pubsub_consumed_total',
      help: 'Pub/Sub messages handled by subscription and outcome (ack|nack)',
      labelNames: ['subscription', 'outcome'],
      registers,
    });
    this.pubsubDeadLettered = new Counter({
      name: 'convene_pubsub_dead_lettered_total',
      help: 'Pub/Sub messages given up on (sent to the dead-letter topic) by subscription',
      labelNames: ['subscription'],
      registers,
    });
    this.outboxPending = new Gauge({
      name: 'convene_outbox_pending',
      help: 'Outbox records written but not yet published',
      registers,
    });
  }
}
