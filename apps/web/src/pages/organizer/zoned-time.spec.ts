import { describe, expect, it } from '@jest/globals';
import { isoToZoned, zonedToIso } from './zoned-time';

describe('zonedToIso', () => {
  it('reads the wall time in the event zone, with that date’s offset', () => {
    expect(zonedToIso('2027-03-14T19:00', 'Europe/Paris')).toEqual({ iso: '2027-03-14T19:00:00+01:00' });
    expect(zonedToIso('2027-07-14T19:00', 'Europe/Paris')).toEqual({ iso: '2027-07-14T19:00:00+02:00' });
    expect(zonedToIso('2027-07-14T19:00', 'America/New_York')).toEqual({ iso: '2027-07-14T19:00:00-04:00' });
    expect(zonedToIso('2027-01-02T08:15', 'Asia/Kolkata')).toEqual({ iso: '2027-01-02T08:15:00+05:30' });
    expect(zonedToIso('2027-01-02T08:15', 'UTC')).toEqual({ iso: '2027-01-02T08:15:00+00:00' });
  });

  it('moves a time skipped by the clocks jumping forward past the jump', () => {
    expect(zonedToIso('2027-03-28T02:30', 'Europe/Paris')).toEqual({
      iso: '2027-03-28T03:30:00+02:00',
      adjustedTo: '2027-03-28T03:30',
    });
  });

  it('takes the first of a time that happens twice when the clocks go back', () => {
    expect(zonedToIso('2027-10-31T02:30', 'Europe/Paris')).toEqual({ iso: '2027-10-31T02:30:00+02:00' });
  });

  it('refuses an empty or malformed value and an unknown zone', () => {
    expect(zonedToIso('', 'Europe/Paris')).toBeUndefined();
    expect(zonedToIso('2027-03-14', 'Europe/Paris')).toBeUndefined();
    expect(zonedToIso('2027-03-14T19:00', 'Mars/Olympus')).toBeUndefined();
  });
});

describe('isoToZoned', () => {
  it('shows an instant as wall time in the event zone', () => {
    expect(isoToZoned('2027-03-14T18:00:00.000Z', 'Europe/Paris')).toBe('2027-03-14T19:00');
    expect(isoToZoned('2027-03-14T18:00:00.000Z', 'America/New_York')).toBe('2027-03-14T14:00');
    expect(isoToZoned('2027-03-14T23:30:00Z', 'Asia/Tokyo')).toBe('2027-03-15T08:30');
  });

  it('round-trips with zonedToIso', () => {
    for (const zone of ['Europe/Paris', 'America/Los_Angeles', 'Australia/Lord_Howe', 'Asia/Kathmandu']) {
      const local = '2027-11-07T01:45';
      const zoned = zonedToIso(local, zone)!;
      expect(isoToZoned(zoned.iso, zone)).toBe(zoned.adjustedTo ?? local);
    }
  });
});
