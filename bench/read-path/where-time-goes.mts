// Where the read path's time goes during the load window: CPU seconds per process (each service from
// its own /metrics, the emulators' JVMs and the load generator from /proc and process.cpuUsage), how
// busy the machine was, and the server-side latency per gateway route and events gRPC method (from
// the services' histograms, differenced over the window, so seeding does not count), and each
// service's event-loop delay p99 over the window (prom-client restarts that histogram at every scrape,
// so the scrape that opens the window resets it).
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface HistogramSeries {
  labels: string;
  buckets: Array<[number, number]>;
  count: number;
  sum: number;
}

export interface Snapshot {
  at: number;
  appCpu: Map<string, number>;
  /** Event-loop delay p99 since the previous scrape (seconds). */
  appEventLoopP99: Map<string, number>;
  appHistograms: Map<string, HistogramSeries[]>;
  jvmCpu: Map<string, number>;
  selfCpu: number;
  machine: { busy: number; total: number };
}

async function metricsOf(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

function valueOf(metrics: string, name: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** Every series of the service's request-duration histograms, keyed by their labels minus `le`. */
function histogramsOf(metrics: string): HistogramSeries[] {
  const series = new Map<string, HistogramSeries>();
  const get = (labels: string) => {
    let s = series.get(labels);
    if (!s) series.set(labels, (s = { labels, buckets: [], count: 0, sum: 0 }));
    return s;
  };
  for (const line of metrics.split('\n')) {
    const match = /^convene_(http|grpc)_request_duration_seconds_(bucket|count|sum)\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const [, , kind, rawLabels, value] = match;
    const le = /(?:^|,)le="([^"]+)"/.exec(rawLabels)?.[1];
    const labels = rawLabels
      .split(/,(?=[a-z_]+=)/)
      .filter((l) => !l.startsWith('le=') && !l.startsWith('service='))
      .join(',');
    const s = get(labels);
    if (kind === 'bucket' && le) s.buckets.push([le === '+Inf' ? Infinity : Number(le), Number(value)]);
    if (kind === 'count') s.count = Number(value);
    if (kind === 'sum') s.sum = Number(value);
  }
  return [...series.values()];
}

/** CPU seconds of every process whose command line mentions `needle` (the emulator's `--port=`). */
function processCpuSeconds(needle: string): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / CLOCK_TICKS_PER_SECOND;
}

function machineTicks(): { busy: number; total: number } {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number);
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = cpu[3] + cpu[4]; // idle + iowait
  return { busy: total - idle, total };
}

export async function snapshot(apps: Array<{ name: string; url: string }>, emulators: Record<string, string>) {
  const appCpu = new Map<string, number>();
  const appEventLoopP99 = new Map<string, number>();
  const appHistograms = new Map<string, HistogramSeries[]>();
  await Promise.all(
    apps.map(async (app) => {
      const metrics = await metricsOf(app.url);
      appCpu.set(app.name, valueOf(metrics, 'process_cpu_seconds_total'));
      appEventLoopP99.set(app.name, valueOf(metrics, 'nodejs_eventloop_lag_p99_seconds'));
      appHistograms.set(app.name, histogramsOf(metrics));
    }),
  );
  const jvmCpu = new Map(
    Object.entries(emulators).map(([name, host]) => [name, processCpuSeconds(`--port=${host.split(':').at(-1)}`)]),
  );
  const self = process.cpuUsage();
  return {
    at: Date.now(),
    appCpu,
    appEventLoopP99,
    appHistograms,
    jvmCpu,
    selfCpu: (self.user + self.system) / 1e6,
    machine: machineTicks(),
  } satisfies Snapshot;
}

/** The latency below which `q` of the window's requests fell, interpolated inside its bucket. */
function quantile(buckets: Array<[number, number]>, count: number, q: number): string {
  const rank = q * count;
  let previous: [number, number] = [0, 0];
  for (const [le, cumulative] of buckets) {
    if (cumulative >= rank) {
      if (le === Infinity) return `> ${previous[0] * 1000} ms`;
      if (previous[0] === 0) return `≤ ${le * 1000} ms`; // nothing to interpolate from below
      const share = cumulative === previous[1] ? 1 : (rank - previous[1]) / (cumulative - previous[1]);
      return `${((previous[0] + (le - previous[0]) * share) * 1000).toFixed(0)} ms`;
    }
    previous = [le, cumulative];
  }
  return 'n/a';
}

export function report(before: Snapshot, after: Snapshot): string[] {
  const seconds = (after.at - before.at) / 1000;
  const lines: string[] = [];
  const machine = after.machine;
  const busy = (machine.busy - before.machine.busy) / (machine.total - before.machine.total);
  lines.push(
    `CPU over the ${seconds.toFixed(0)} s window (2 cores = 200 %): machine ${(busy * 200).toFixed(0)} % busy`,
  );
  const shares: Array<[string, number]> = [
    ...[...after.appCpu].map(([name, cpu]): [string, number] => [name, cpu - (before.appCpu.get(name) ?? 0)]),
    ...[...after.jvmCpu].map(([name, cpu]): [string, number] => [
      `${name} emulator`,
      cpu - (before.jvmCpu.get(name) ?? 0),
    ]),
    ['load generator', after.selfCpu - before.selfCpu],
  ];
  lines.push(
    '  ' +
      shares
        .sort((a, b) => b[1] - a[1])
        .map(([name, cpu]) => `${name} ${((cpu / seconds) * 100).toFixed(0)} %`)
        .join(', '),
  );
  lines.push(
    'event-loop delay p99 over the window: ' +
      ['gateway', 'events']
        .map((app) => `${app} ${((after.appEventLoopP99.get(app) ?? 0) * 1000).toFixed(1)} ms`)
        .join(', '),
  );
  lines.push('server-side latency over the window (from histograms; p50 / p99, interpolated in buckets):');
  for (const [app, series] of after.appHistograms) {
    for (const s of series) {
      const earlier = before.appHistograms.get(app)?.find((b) => b.labels === s.labels);
      const count = s.count - (earlier?.count ?? 0);
      if (count < 50) continue;
      const buckets = s.buckets.map(([le, c]): [number, number] => [
        le,
        c - (earlier?.buckets.find(([l]) => l === le)?.[1] ?? 0),
      ]);
      const mean = ((s.sum - (earlier?.sum ?? 0)) / count) * 1000;
      lines.push(
        `  ${app} ${s.labels}: ${count} calls, mean ${mean.toFixed(1)} ms, p50 ${quantile(buckets, count, 0.5)}, ` +
          `p99 ${quantile(buckets, count, 0.99)}`,
      );
    }
  }
  return lines;
}
