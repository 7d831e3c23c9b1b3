export interface MetricsOptions {
  /** The `service` label on every metric. */
  service: string;
}

export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');
