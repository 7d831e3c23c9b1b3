// Registrations and check-ins over time, as cumulative counts per 10 minutes, hour or day (whichever
// suits the span: a launch afternoon and a month of sales both get a readable line), from the attendee
// list's registeredAt / checkedInAt.

export interface ActivityPoint {
  /** End of the bucket (ms): the count includes everything before it. */
  at: number;
  registrations: number;
  checkIns: number;
}

export interface Activity {
  unit: 'minutes' | 'hour' | 'day';
  /** Starts with a zero point at the first bucket's start. */
  points: ActivityPoint[];
  totalRegistrations: number;
  totalCheckIns: number;
}

const HOUR = 3_600_000;
/** Up to six hours is shown in 10-minute steps, up to three days hour by hour, longer spans day by day. */
const MINUTES_UP_TO = 6 * HOUR;
const HOURLY_UP_TO = 72 * HOUR;
const MINUTES_STEP = 10;

function startOfMinutes(ms: number): number {
  const d = new Date(ms);
  d.setMinutes(d.getMinutes() - (d.getMinutes() % MINUTES_STEP), 0, 0);
  return d.getTime();
}

function startOfHour(ms: number): number {
  const d = new Date(ms);
  d.setMinutes(0, 0, 0);
  return d.getTime();
}

function startOfDay(ms: number): number {
  const d = new Date(ms);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

function nextBucket(ms: number, unit: Activity['unit']): number {
  const d = new Date(ms);
  // Calendar arithmetic, so a day across a daylight-saving change is still one day.
  if (unit === 'minutes') d.setMinutes(d.getMinutes() + MINUTES_STEP);
  else if (unit === 'hour') d.setHours(d.getHours() + 1);
  else d.setDate(d.getDate() + 1);
  return d.getTime();
}

export function buildActivity(
  attendees: ReadonlyArray<{ registeredAt: string; checkedInAt?: string }>,
  until: number,
): Activity | undefined {
  const registered = attendees.map((a) => Date.parse(a.registeredAt)).filter((t) => !Number.isNaN(t));
  const checkedIn = attendees
    .map((a) => (a.checkedInAt ? Date.parse(a.checkedInAt) : Number.NaN))
    .filter((t) => !Number.isNaN(t));
  if (registered.length === 0) return undefined;
  registered.sort((a, b) => a - b);
  checkedIn.sort((a, b) => a - b);
  const first = registered[0];
  const last = Math.max(until, registered[registered.length - 1], checkedIn[checkedIn.length - 1] ?? first);
  const span = last - first;
  const unit: Activity['unit'] = span <= MINUTES_UP_TO ? 'minutes' : span <= HOURLY_UP_TO ? 'hour' : 'day';
  const start = unit === 'minutes' ? startOfMinutes(first) : unit === 'hour' ? startOfHour(first) : startOfDay(first);

  const points: ActivityPoint[] = [{ at: start, registrations: 0, checkIns: 0 }];
  let r = 0;
  let c = 0;
  for (let bucketStart = start; bucketStart <= last;) {
    const end = nextBucket(bucketStart, unit);
    while (r < registered.length && registered[r] < end) r++;
    while (c < checkedIn.length && checkedIn[c] < end) c++;
    points.push({ at: end, registrations: r, checkIns: c });
    bucketStart = end;
  }
  return { unit, points, totalRegistrations: registered.length, totalCheckIns: checkedIn.length };
}

/** A round upper bound for the y axis and its step: 0, 5, 10, 15, 20 rather than 0, 4.25, 8.5… */
export function niceScale(max: number, ticks = 4): { top: number; step: number } {
  if (max <= ticks) return { top: Math.max(1, Math.ceil(max)), step: 1 };
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw && Number.isInteger(s)) ?? raw;
  return { top: Math.ceil(max / step) * step, step };
}
