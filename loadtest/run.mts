// The HPA load test: ramps the request rate up, holds it, ramps it down, over the main read routes and
// registrations by fresh users, and prints throughput and latency (every 10 s, then per stage and per route).
// Plain Node 24 and its fetch, no dependency: it runs from this folder locally and from a ConfigMap in the
// cluster (loadtest/job.yaml).
//
//   npm run loadtest                                   short profile (40 s, up to 40 req/s) against npm start
//   npm run loadtest -- --url http://127.0.0.1:3000 --rate 60 --hold 30
//   node loadtest/run.mts --url http://convene-gateway --profile hpa --rate 300      (the Kubernetes Job)
//
// Options: --url (gateway), --profile short|hpa, --rate (req/s at the top), --ramp-up/--hold/--ramp-down (s),
// --mix list=50,get=35,register=15 (weights), --events N (published events created first),
// --max-in-flight N (beyond it a due request is counted `dropped`), --max-error-ratio R (exit 1 above it).
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { durationOf, dueTimeOf, namedProfile, rateAt, stageAt, type Profile } from './profile.mts';
import { prepare, type OperationName, type Scenario } from './scenario.mts';
import { groupBy, HEADER, isOk, row, summarize, type Sample } from './stats.mts';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    profile: { type: 'string', default: 'short' },
    rate: { type: 'string' },
    'ramp-up': { type: 'string' },
    hold: { type: 'string' },
    'ramp-down': { type: 'string' },
    mix: { type: 'string', default: 'list=50,get=35,register=15' },
    events: { type: 'string', default: '10' },
    'max-in-flight': { type: 'string', default: '512' },
    'max-error-ratio': { type: 'string', default: '0.01' },
    'report-every': { type: 'string', default: '10' },
  },
});

function number(name: keyof typeof args, fallback?: number): number | undefined {
  const raw = args[name];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0 (got ${raw})`);
  return value;
}

function parseMix(text: string): [OperationName, number][] {
  const known: OperationName[] = ['list', 'get', 'register'];
  const mix = text.split(',').map((part) => {
    const [name, weight] = part.split('=');
    if (!known.includes(name as OperationName) || !(Number(weight) >= 0)) {
      throw new Error(`--mix: expected name=weight with names ${known.join(', ')} (got ${part})`);
    }
    return [name as OperationName, Number(weight)] as [OperationName, number];
  });
  if (!mix.some(([, weight]) => weight > 0)) throw new Error('--mix: at least one weight must be positive');
  return mix;
}

function pick(mix: [OperationName, number][]): OperationName {
  const total = mix.reduce((sum, [, weight]) => sum + weight, 0);
  let r = Math.random() * total;
  for (const [name, weight] of mix) {
    if ((r -= weight) < 0) return name;
  }
  return mix[mix.length - 1][0];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function drive(profile: Profile, scenario: Scenario, mix: [OperationName, number][]): Promise<Sample[]> {
  const maxInFlight = number('max-in-flight')!;
  const reportEvery = number('report-every')!;
  const samples: Sample[] = [];
  const pending = new Set<Promise<void>>();
  const duration = durationOf(profile);
  const start = performance.now();
  const elapsed = () => (performance.now() - start) / 1000;
  let reported = 0;
  let lastReport = 0;

  const report = (now: number) => {
    const fresh = samples.slice(reported);
    reported = samples.length;
    const s = summarize(fresh);
    const failed = s.count - s.ok;
    console.log(
      `t=${now.toFixed(0).padStart(4)}s  target ${rateAt(profile, now).toFixed(0).padStart(4)} req/s  ` +
        `done ${(s.count / Math.max(now - lastReport, 1e-9)).toFixed(1).padStart(6)} req/s  ` +
        `p50 ${s.p50.toFixed(0)} ms  p99 ${s.p99.toFixed(0)} ms  failed ${failed}  in flight ${pending.size}`,
    );
    lastReport = now;
  };

  for (let n = 1; ; n++) {
    const dueAt = dueTimeOf(profile, n);
    if (!Number.isFinite(dueAt)) break;
    const wait = dueAt - elapsed();
    if (wait > 0.002) await sleep(wait * 1000);
    const now = elapsed();
    if (now - lastReport >= reportEvery) report(now);
    const stage = stageAt(profile, dueAt).name;
    const operation = pick(mix);
    if (pending.size >= maxInFlight) {
      samples.push({ route: operation, stage, dueAt, latencyMs: 0, outcome: 'dropped' });
      continue;
    }
    const lagMs = Math.max(0, (now - dueAt) * 1000);
    const running = scenario.operations[operation]().then((calls) => {
      calls.forEach((call, i) =>
        // The first call is late by however long the generator took to send it: count that as latency.
        samples.push({
          route: call.route,
          stage,
          dueAt,
          latencyMs: call.latencyMs + (i === 0 ? lagMs : 0),
          outcome: call.status,
        }),
      );
    });
    pending.add(running);
    void running.finally(() => pending.delete(running));
  }
  await Promise.all(pending);
  report(Math.max(elapsed(), duration));
  return samples;
}

const rate = number('rate', args.profile === 'hpa' ? 300 : 40)!;
const profile = namedProfile(args.profile!, rate, {
  rampUp: number('ramp-up'),
  hold: number('hold'),
  rampDown: number('ramp-down'),
});
const mix = parseMix(args.mix!);
const runId = randomBytes(4).toString('hex');
const baseUrl = args.url!.replace(/\/+$/, '');

console.log(
  `load test ${runId} against ${baseUrl}: profile ${profile.name} (` +
    profile.stages.map((s) => `${s.name} ${s.seconds} s ${s.fromRate}→${s.toRate} req/s`).join(', ') +
    `), mix ${args.mix}`,
);
const scenario = await prepare(baseUrl, number('events')!, runId);
console.log(`set up: ${scenario.eventIds.length} published events; starting`);

const samples = await drive(profile, scenario, mix);

const sent = samples.filter((s) => s.outcome !== 'dropped');
console.log(`\n${HEADER}`);
for (const stage of profile.stages) {
  const inStage = samples.filter((s) => s.stage === stage.name);
  console.log(row(`stage: ${stage.name}`, summarize(inStage), stage.seconds));
}
for (const [route, group] of [...groupBy(samples, (s) => s.route)].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(row(route, summarize(group), durationOf(profile)));
}
const all = summarize(samples);
console.log(row('all requests', all, durationOf(profile)));
const errorRatio = samples.length ? (samples.length - all.ok) / samples.length : 0;
const maxErrorRatio = number('max-error-ratio')!;
console.log(
  `\nthroughput ${(sent.length / durationOf(profile)).toFixed(1)} req/s over ${durationOf(profile)} s; ` +
    `p50 ${all.p50.toFixed(0)} ms, p99 ${all.p99.toFixed(0)} ms; ` +
    `${samples.length - all.ok} of ${samples.length} failed (${(100 * errorRatio).toFixed(2)} %, limit ${(100 * maxErrorRatio).toFixed(2)} %); ` +
    `${samples.filter((s) => !isOk(s.outcome) && s.outcome === 'dropped').length} dropped`,
);
process.exit(errorRatio > maxErrorRatio ? 1 : 0);
