// Wall-clock times in an event's own IANA time zone ↔ instants. An organizer in Lyon planning a
// New York meetup types "19:00" meaning 19:00 in New York, whatever the browser's zone is; the API
// wants ISO 8601 with the offset that zone has on that date (daylight saving included).

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Minutes east of UTC. */
  offset: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** "GMT+05:30" → 330, "GMT" → 0. */
function parseOffset(name: string): number {
  const match = /^GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/.exec(name);
  if (!match || !match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

function wallParts(instant: number, timeZone: string): WallParts {
  const parts = formatterFor(timeZone).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '0';
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    hour: Number(part('hour')) % 24,
    minute: Number(part('minute')),
    offset: parseOffset(part('timeZoneName')),
  };
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

function wallString(p: Pick<WallParts, 'year' | 'month' | 'day' | 'hour' | 'minute'>): string {
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The browser's own zone: the default for a new event. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** Every zone the browser knows, for the picker (UTC first-class, and `current` even if it is an alias). */
export function timeZoneChoices(current?: string): string[] {
  const zones = new Set<string>(typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []);
  zones.add('UTC');
  if (current) zones.add(current);
  return [...zones].sort((a, b) => a.localeCompare(b));
}

export interface ZonedInstant {
  /** ISO 8601 with the zone's offset on that date, e.g. 2027-03-14T19:00:00+01:00. */
  iso: string;
  /**
   * The wall time actually meant, when it differs from the one typed: a time skipped by a
   * daylight-saving change (02:30 on the night clocks jump to 03:00) moves forward.
   */
  adjustedTo?: string;
}

/**
 * `<input type="datetime-local">` value, read as wall time in `timeZone` → ISO with offset.
 * Undefined for an empty or malformed value (or an unknown zone).
 */
export function zonedToIso(local: string, timeZone: string): ZonedInstant | undefined {
  const match = WALL_TIME.exec(local);
  if (!match || !isValidTimeZone(timeZone)) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number);
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  // The zone's offset a day before and a day after: one of them is the offset at that wall time
  // (they differ only around a daylight-saving change).
  const before = asUtc - wallParts(asUtc - 86_400_000, timeZone).offset * 60_000;
  const after = asUtc - wallParts(asUtc + 86_400_000, timeZone).offset * 60_000;
  const readings = [before, after]
    .filter((instant) => wallString(wallParts(instant, timeZone)) === local)
    .sort((a, b) => a - b);
  // A time that happens twice (clocks go back) is the first one; a time skipped (clocks jump
  // forward) moves forward by the jump, as calendars do.
  const instant = readings[0] ?? before;
  const parts = wallParts(instant, timeZone);
  const wall = wallString(parts);
  return {
    iso: `${wall}:00${formatOffset(parts.offset)}`,
    adjustedTo: wall === local ? undefined : wall,
  };
}

/** An instant (ISO, any offset) → the `datetime-local` value showing it in `timeZone`. */
export function isoToZoned(iso: string, timeZone: string): string {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) return '';
  return wallString(wallParts(instant, isValidTimeZone(timeZone) ? timeZone : 'UTC'));
}

/** "19:00 Thu 14 Mar in your time (Europe/Paris)", to double-check a time typed for another zone. */
export function describeInZone(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
    timeZoneName: 'short',
  }).format(new Date(iso));
}
