// Small pieces the attendee pages share: stars, the rating summary, registration status, a confirm step.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { RegistrationView } from '../../api/client';
import { formatAverage, plural, type RatingView } from './attendee-lib';

/** Five stars drawn as text, read as "4.5 out of 5 stars". */
export function Stars({ value, size = 'normal' }: { value: number; size?: 'normal' | 'large' }) {
  const full = Math.round(value);
  return (
    <span
      className={size === 'large' ? 'att-stars att-stars-large' : 'att-stars'}
      role="img"
      aria-label={`${formatAverage(value)} out of 5 stars`}
    >
      <span className="att-stars-on" aria-hidden="true">
        {'★'.repeat(full)}
      </span>
      <span className="att-stars-off" aria-hidden="true">
        {'☆'.repeat(5 - full)}
      </span>
    </span>
  );
}

/** "★ 4.3 (12 reviews)", or "No reviews yet". */
export function RatingLine({ rating }: { rating: RatingView }) {
  if (rating.count === 0 || rating.average === null) return <span className="muted">No reviews yet</span>;
  return (
    <span className="att-rating-line">
      <Stars value={rating.average} /> <strong>{formatAverage(rating.average)}</strong>{' '}
      <span className="muted">({plural(rating.count, 'review')})</span>
    </span>
  );
}

/** The average, the count and how many reviews gave each number of stars, as bars and as text. */
export function RatingSummary({ rating, headingId }: { rating: RatingView; headingId?: string }) {
  if (rating.count === 0 || rating.average === null) {
    return (
      <div className="att-rating-summary" aria-labelledby={headingId}>
        <p className="muted">No reviews yet.</p>
      </div>
    );
  }
  const stars = [5, 4, 3, 2, 1] as const;
  return (
    <div className="att-rating-summary" data-testid="rating-summary">
      <div className="att-rating-big">
        <span className="att-rating-number">{formatAverage(rating.average)}</span>
        <Stars value={rating.average} size="large" />
        <span className="muted">{plural(rating.count, 'review')}</span>
      </div>
      <table className="att-histogram">
        <caption className="visually-hidden">Reviews by number of stars</caption>
        <thead className="visually-hidden">
          <tr>
            <th scope="col">Stars</th>
            <th scope="col">Share</th>
            <th scope="col">Reviews</th>
          </tr>
        </thead>
        <tbody>
          {stars.map((star) => {
            const count = rating.histogram[star];
            return (
              <tr key={star}>
                <th scope="row">{plural(star, 'star')}</th>
                <td className="att-histogram-bar">
                  <meter min={0} max={rating.count} value={count} aria-hidden="true" />
                </td>
                <td className="att-histogram-count">{count}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Confirmed / On the waitlist (#2) / Checked in / Cancelled: words, not just colour. */
export function RegistrationBadge({ registration }: { registration: RegistrationView }) {
  if (registration.status === 'cancelled') return <span className="badge badge-bad">Cancelled</span>;
  if (registration.status === 'waitlisted')
    return (
      <span className="badge badge-warn">
        Waitlisted{registration.waitlistPosition ? ` · #${registration.waitlistPosition}` : ''}
      </span>
    );
  if (registration.checkedInAt) return <span className="badge badge-ok">Checked in</span>;
  return <span className="badge badge-ok">Confirmed</span>;
}

/**
 * A destructive button that asks first: the first press shows the question and the two answers
 * (focus moves to the question so keyboard and screen-reader users hear it).
 */
export function ConfirmStep({
  trigger,
  question,
  confirm,
  keep,
  pending,
  onConfirm,
  triggerClass = 'button button-secondary',
}: {
  trigger: string;
  question: ReactNode;
  confirm: string;
  keep: string;
  pending: boolean;
  onConfirm(): void;
  triggerClass?: string;
}) {
  const [asking, setAsking] = useState(false);
  const questionRef = useRef<HTMLParagraphElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (asking) questionRef.current?.focus();
    else if (returnFocus.current) triggerRef.current?.focus();
    returnFocus.current = false;
  }, [asking]);

  if (!asking)
    return (
      <button type="button" className={triggerClass} onClick={() => setAsking(true)} ref={triggerRef}>
        {trigger}
      </button>
    );
  return (
    <div className="att-confirm" role="group" aria-label={trigger}>
      <p ref={questionRef} tabIndex={-1} className="att-confirm-question">
        {question}
      </p>
      <div className="row">
        <button type="button" className="button button-danger" disabled={pending} onClick={onConfirm}>
          {pending ? 'Working…' : confirm}
        </button>
        <button
          type="button"
          className="button button-secondary"
          disabled={pending}
          onClick={() => {
            returnFocus.current = true;
            setAsking(false);
          }}
        >
          {keep}
        </button>
      </div>
    </div>
  );
}
