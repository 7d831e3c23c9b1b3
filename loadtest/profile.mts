// The load shape: request rate over time, in straight stages (ramp up, hold, ramp down), and the schedule it
// implies. Requests are sent at these instants whatever the answers (an open model): a slow system gets a
// queue, not a gentler client, and latency is measured from the instant a request was due.

export interface Stage {
  name: string;
  seconds: number;
  fromRate: number;
  toRate: number;
}

export interface Profile {
  name: string;
  stages: Stage[];
}

/** `short`: a local smoke of the whole scenario; `hpa`: long enough for HPAs to scale out and back in. */
export function namedProfile(name: string, rate: number, overrides: Partial<Record<string, number>> = {}): Profile {
  const defaults: Record<string, { rampUp: number; hold: number; rampDown: number }> = {
    short: { rampUp: 10, hold: 20, rampDown: 10 },
    hpa: { rampUp: 180, hold: 300, rampDown: 180 },
  };
  const base = defaults[name];
  if (!base) throw new Error(`unknown profile ${name}: use ${Object.keys(defaults).join(' or ')}`);
  const rampUp = overrides.rampUp ?? base.rampUp;
  const hold = overrides.hold ?? base.hold;
  const rampDown = overrides.rampDown ?? base.rampDown;
  return {
    name,
    stages: [
      { name: 'ramp up', seconds: rampUp, fromRate: 0, toRate: rate },
      { name: 'hold', seconds: hold, fromRate: rate, toRate: rate },
      { name: 'ramp down', seconds: rampDown, fromRate: rate, toRate: 0 },
    ].filter((stage) => stage.seconds > 0),
  };
}

export function durationOf(profile: Profile): number {
  return profile.stages.reduce((sum, stage) => sum + stage.seconds, 0);
}

/** The target rate (requests/s) `t` seconds into the run. */
export function rateAt(profile: Profile, t: number): number {
  let start = 0;
  for (const stage of profile.stages) {
    if (t < start + stage.seconds)
      return stage.fromRate + ((stage.toRate - stage.fromRate) * (t - start)) / stage.seconds;
    start += stage.seconds;
  }
  return 0;
}

/** The stage running `t` seconds into the run. */
export function stageAt(profile: Profile, t: number): Stage {
  let start = 0;
  for (const stage of profile.stages) {
    if (t < start + stage.seconds) return stage;
    start += stage.seconds;
  }
  return profile.stages[profile.stages.length - 1];
}

/** How many requests are due by `t` seconds: the integral of the rate (each stage is linear). */
export function requestsDueBy(profile: Profile, t: number): number {
  let start = 0;
  let due = 0;
  for (const stage of profile.stages) {
    const elapsed = Math.min(Math.max(t - start, 0), stage.seconds);
    const slope = (stage.toRate - stage.fromRate) / stage.seconds;
    due += stage.fromRate * elapsed + (slope * elapsed * elapsed) / 2;
    start += stage.seconds;
  }
  return due;
}

/** When the n-th request (from 1) is due, in seconds from the start: the inverse of requestsDueBy. */
export function dueTimeOf(profile: Profile, n: number): number {
  let low = 0;
  let high = durationOf(profile);
  if (requestsDueBy(profile, high) < n) return Number.POSITIVE_INFINITY;
  for (let i = 0; i < 50; i++) {
    const middle = (low + high) / 2;
    if (requestsDueBy(profile, middle) >= n) high = middle;
    else low = middle;
  }
  return high;
}
