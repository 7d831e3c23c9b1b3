// Latency and outcome bookkeeping: per route, per stage, and per reporting interval.

export interface Sample {
  route: string;
  stage: string;
  /** Seconds from the start of the run at which the request was due. */
  dueAt: number;
  latencyMs: number;
  /** HTTP status, or `error` (network failure, timeout) or `dropped` (too many in flight to send it). */
  outcome: string;
}

export interface Summary {
  count: number;
  ok: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  outcomes: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function isOk(outcome: string): boolean {
  return /^2\d\d$/.test(outcome);
}

export function summarize(samples: Sample[]): Summary {
  const latencies = samples
    .filter((s) => s.outcome !== 'dropped')
    .map((s) => s.latencyMs)
    .sort((a, b) => a - b);
  const outcomes: Record<string, number> = {};
  for (const sample of samples) outcomes[sample.outcome] = (outcomes[sample.outcome] ?? 0) + 1;
  return {
    count: samples.length,
    ok: samples.filter((s) => isOk(s.outcome)).length,
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? 0,
    outcomes,
  };
}

export function groupBy(samples: Sample[], key: (sample: Sample) => string): Map<string, Sample[]> {
  const groups = new Map<string, Sample[]>();
  for (const sample of samples) {
    const name = key(sample);
    let group = groups.get(name);
    if (!group) groups.set(name, (group = []));
    group.push(sample);
  }
  return groups;
}

const ms = (value: number): string => `${Math.round(value)}`.padStart(6);

/** One table row: `label  count  req/s  ok%  p50  p90  p99  max  outcomes`. */
export function row(label: string, summary: Summary, seconds: number): string {
  const okPercent = summary.count ? ((100 * summary.ok) / summary.count).toFixed(1) : '-';
  const outcomes = Object.entries(summary.outcomes)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([outcome, n]) => `${outcome}:${n}`)
    .join(' ');
  return [
    label.padEnd(40),
    `${summary.count}`.padStart(7),
    (summary.count / Math.max(seconds, 1e-9)).toFixed(1).padStart(8),
    okPercent.padStart(6),
    ms(summary.p50),
    ms(summary.p90),
    ms(summary.p99),
    ms(summary.max),
    `  ${outcomes}`,
  ].join(' ');
}

export const HEADER = [
  ''.padEnd(40),
  'count'.padStart(7),
  'req/s'.padStart(8),
  'ok %'.padStart(6),
  'p50'.padStart(6),
  'p90'.padStart(6),
  'p99'.padStart(6),
  'max'.padStart(6),
  '  outcomes (latency in ms)',
].join(' ');
