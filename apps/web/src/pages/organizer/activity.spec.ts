import { describe, expect, it } from '@jest/globals';
import { buildActivity, niceScale } from './activity';

const at = (iso: string) => new Date(iso).getTime();

describe('buildActivity', () => {
  it('has nothing to draw before the first registration', () => {
    expect(buildActivity([], at('2027-03-01T12:00:00Z'))).toBeUndefined();
  });

  it('counts running totals per 10 minutes over an afternoon', () => {
    const activity = buildActivity(
      [
        { registeredAt: '2027-03-01T12:01:00Z', checkedInAt: '2027-03-01T12:31:00Z' },
        { registeredAt: '2027-03-01T12:12:00Z' },
        { registeredAt: '2027-03-01T12:14:00Z' },
      ],
      at('2027-03-01T12:40:00Z'),
    )!;
    expect(activity.unit).toBe('minutes');
    expect(activity.points[0]).toMatchObject({ registrations: 0, checkIns: 0 });
    expect(activity.points.map((p) => [p.registrations, p.checkIns])).toEqual([
      [0, 0],
      [1, 0],
      [3, 0],
      [3, 0],
      [3, 1],
      [3, 1],
    ]);
    expect(activity.totalRegistrations).toBe(3);
    expect(activity.totalCheckIns).toBe(1);
  });

  it('goes hour by hour over a couple of days and day by day beyond', () => {
    const registrations = [{ registeredAt: '2027-03-01T08:00:00Z' }, { registeredAt: '2027-03-02T08:00:00Z' }];
    expect(buildActivity(registrations, at('2027-03-02T09:00:00Z'))!.unit).toBe('hour');
    const long = buildActivity(registrations, at('2027-03-20T09:00:00Z'))!;
    expect(long.unit).toBe('day');
    expect(long.points[long.points.length - 1]).toMatchObject({ registrations: 2, checkIns: 0 });
  });
});

describe('niceScale', () => {
  it('rounds the top of the axis to whole, round steps', () => {
    expect(niceScale(0)).toEqual({ top: 1, step: 1 });
    expect(niceScale(3)).toEqual({ top: 3, step: 1 });
    expect(niceScale(7)).toEqual({ top: 8, step: 2 });
    expect(niceScale(1234)).toEqual({ top: 1500, step: 500 });
  });
});
