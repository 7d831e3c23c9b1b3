import { DomainError, type FieldError } from '@convene/common';
import type { NewEvent } from './event';

/**
 * The rules an event must satisfy beyond field formats (which the gateway's DTOs check). They live
 * here, not in the gateway, so every caller of the events service gets the same answer.
 */
export function assertValidNewEvent(input: NewEvent, now: Date, options = { futureStart: true }): void {
  const errors: FieldError[] = [];
  const startsAt = Date.parse(input.startsAt);
  const endsAt = Date.parse(input.endsAt);
  if (Number.isNaN(startsAt)) errors.push({ field: 'startsAt', message: 'startsAt must be an ISO 8601 date-time' });
  if (Number.isNaN(endsAt)) errors.push({ field: 'endsAt', message: 'endsAt must be an ISO 8601 date-time' });
  if (options.futureStart && !Number.isNaN(startsAt) && startsAt <= now.getTime()) {
    errors.push({ field: 'startsAt', message: 'startsAt must be in the future' });
  }
  if (!Number.isNaN(startsAt) && !Number.isNaN(endsAt) && endsAt <= startsAt) {
    errors.push({ field: 'endsAt', message: 'endsAt must be after startsAt' });
  }
  if (!isIanaTimezone(input.timezone)) {
    errors.push({ field: 'timezone', message: 'timezone must be an IANA time zone name, e.g. Europe/Paris' });
  }
  if (Boolean(input.venue) === Boolean(input.onlineUrl)) {
    errors.push({ field: 'venue', message: 'give either venue or onlineUrl, not both or neither' });
  }
  if (new Set(input.tags).size !== input.tags.length) {
    errors.push({ field: 'tags', message: 'tags must be unique' });
  }
  if (errors.length > 0) {
    throw new DomainError('VALIDATION_FAILED', errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }
}

const IANA_ZONES = new Set(Intl.supportedValuesOf('timeZone'));

export function isIanaTimezone(name: string): boolean {
  // supportedValuesOf lists canonical names only; UTC and aliases (e.g. Asia/Calcutta) are valid too.
  if (IANA_ZONES.has(name) || name === 'UTC') return true;
  if (!/^[A-Za-z]+(?:\/[A-Za-z0-9_+-]+)+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
