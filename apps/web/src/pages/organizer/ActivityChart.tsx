// Cumulative registrations and check-ins as an inline SVG (geometry in attributes, colours from
// organizer.css: the CSP allows no inline styles). The lines differ by dash and marker as well as
// colour, and the same numbers are available as a table.
import { useEffect, useId, useRef, useState } from 'react';
import { niceScale, type Activity } from './activity';

/** Drawn at the width it is shown at (measured), so its text stays readable on a phone. */
const DEFAULT_WIDTH = 720;
const MIN_WIDTH = 280;
const HEIGHT = 280;
const PAD = { top: 16, right: 20, bottom: 44, left: 52 };

function formatTick(ms: number, unit: Activity['unit'], multiDay: boolean): string {
  const options: Intl.DateTimeFormatOptions =
    unit === 'day'
      ? { day: 'numeric', month: 'short' }
      : multiDay
        ? { weekday: 'short', hour: '2-digit', minute: '2-digit' }
        : { hour: '2-digit', minute: '2-digit' };
  return new Intl.DateTimeFormat(undefined, options).format(new Date(ms));
}

function formatRow(ms: number, unit: Activity['unit']): string {
  return new Intl.DateTimeFormat(
    undefined,
    unit === 'day' ? { dateStyle: 'medium' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(new Date(ms));
}

export function ActivityChart({ activity }: { activity: Activity }) {
  const id = useId();
  const figure = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const element = figure.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(MIN_WIDTH, Math.round(entry.contentRect.width))),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const { points, unit } = activity;
  const first = points[0].at;
  const last = points[points.length - 1].at;
  const span = Math.max(1, last - first);
  const { top, step } = niceScale(Math.max(activity.totalRegistrations, activity.totalCheckIns));
  const plotWidth = width - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const x = (ms: number) => PAD.left + ((ms - first) / span) * plotWidth;
  const y = (value: number) => PAD.top + plotHeight - (value / top) * plotHeight;
  const line = (pick: (p: (typeof points)[number]) => number) =>
    points.map((p) => `${x(p.at).toFixed(1)},${y(pick(p)).toFixed(1)}`).join(' ');

  const yTicks: number[] = [];
  for (let v = 0; v <= top + 1e-9; v += step) yTicks.push(v);
  // A label per ~110 px along the time axis, on bucket boundaries.
  const labels = Math.max(2, Math.floor(plotWidth / 110));
  const every = Math.max(1, Math.ceil((points.length - 1) / labels));
  const xTicks = points.filter((_, i) => i % every === 0);
  const multiDay = last - first > 24 * 3_600_000;
  const lastPoint = points[points.length - 1];
  const period = unit === 'minutes' ? '10 minutes' : unit;

  const summary =
    `${activity.totalRegistrations} registration${activity.totalRegistrations === 1 ? '' : 's'} received and ` +
    `${activity.totalCheckIns} check-in${activity.totalCheckIns === 1 ? '' : 's'} between ` +
    `${formatRow(first, unit)} and ${formatRow(last, unit)}, counted per ${period}.`;

  return (
    <figure className="activity-chart" ref={figure}>
      <figcaption id={`${id}-caption`}>
        <span className="chart-title">Registrations and check-ins over time</span>
        <span className="muted"> (running totals, per {period})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-caption`}
        aria-describedby={`${id}-summary`}
        preserveAspectRatio="xMidYMid meet"
        focusable="false"
      >
        <g className="chart-grid">
          {yTicks.map((v) => (
            <g key={v}>
              <line x1={PAD.left} x2={width - PAD.right} y1={y(v)} y2={y(v)} />
              <text x={PAD.left - 8} y={y(v)} textAnchor="end" dominantBaseline="middle">
                {v}
              </text>
            </g>
          ))}
        </g>
        <g className="chart-axis">
          <line x1={PAD.left} x2={width - PAD.right} y1={y(0)} y2={y(0)} />
          {xTicks.map((p, i) => (
            <g key={p.at}>
              <line x1={x(p.at)} x2={x(p.at)} y1={y(0)} y2={y(0) + 5} />
              <text
                x={x(p.at)}
                y={y(0) + 20}
                textAnchor={i === 0 ? 'start' : x(p.at) > width - PAD.right - 40 ? 'end' : 'middle'}
              >
                {formatTick(p.at, unit, multiDay)}
              </text>
            </g>
          ))}
        </g>
        <polyline className="chart-line chart-line-registrations" points={line((p) => p.registrations)} fill="none" />
        <polyline className="chart-line chart-line-checkins" points={line((p) => p.checkIns)} fill="none" />
        <circle className="chart-marker-registrations" cx={x(lastPoint.at)} cy={y(lastPoint.registrations)} r={5} />
        <rect
          className="chart-marker-checkins"
          x={x(lastPoint.at) - 5}
          y={y(lastPoint.checkIns) - 5}
          width={10}
          height={10}
        />
      </svg>
      <ul className="chart-legend">
        <li>
          <span className="legend-swatch legend-registrations" aria-hidden="true" />
          Registrations received (solid line, circle): {activity.totalRegistrations}
        </li>
        <li>
          <span className="legend-swatch legend-checkins" aria-hidden="true" />
          Checked in (dashed line, square): {activity.totalCheckIns}
        </li>
      </ul>
      <p id={`${id}-summary`} className="visually-hidden">
        {summary}
      </p>
      <details className="chart-data">
        <summary>Show the numbers as a table</summary>
        <div className="table-scroll" role="region" aria-label="Running totals" tabIndex={0}>
          <table>
            <caption className="visually-hidden">Running totals per {period}</caption>
            <thead>
              <tr>
                <th scope="col">Up to</th>
                <th scope="col">Registrations</th>
                <th scope="col">Checked in</th>
              </tr>
            </thead>
            <tbody>
              {points
                .slice(1)
                .filter(
                  (p, i, rows) =>
                    i === 0 || p.registrations !== rows[i - 1].registrations || p.checkIns !== rows[i - 1].checkIns,
                )
                .map((p) => (
                  <tr key={p.at}>
                    <td>{formatRow(p.at, unit)}</td>
                    <td>{p.registrations}</td>
                    <td>{p.checkIns}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
