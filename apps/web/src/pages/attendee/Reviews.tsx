// An event's reviews: the list (newest or highest first, paged, with organizer replies) and, for
// someone who attended, a form to write, change or delete their own review.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { api, data, type EventView, type UserView } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import { Loading, ProblemAlert, SelectField, TextAreaField, LoadMore } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { usePagedList } from '../../lib/use-paged-list';
import { findMyReview, newIdempotencyKey, plural, type ReviewView } from './attendee-lib';
import { ConfirmStep, RatingSummary, Stars } from './attendee-parts';

const PAGE_SIZE = 10;
const MAX_COMMENT = 2000;
const RATING_WORDS = ['', 'Poor', 'Fair', 'Good', 'Very good', 'Excellent'];

type Sort = 'newest' | 'highest';

export function ReviewsSection({
  event,
  user,
  canReview,
  reviewHint,
  onReviewsChanged,
}: {
  event: EventView;
  user: UserView | undefined;
  /** The viewer held a confirmed seat (or was checked in) and the event has started. */
  canReview: boolean;
  /** Why there is no form, when the viewer might expect one. */
  reviewHint?: ReactNode;
  onReviewsChanged(): void;
}) {
  const [sort, setSort] = useState<Sort>('newest');
  const [version, setVersion] = useState(0);
  const list = usePagedList(
    (cursor, signal) =>
      data(
        api.GET('/v1/events/{id}/reviews', {
          params: { path: { id: event.id }, query: { sort, limit: PAGE_SIZE, cursor } },
          signal,
        }),
      ),
    [event.id, sort, version],
  );
  const items = list.items;

  // The viewer's own review: from the list when it is there, else looked up (the list is not per author).
  const [mine, setMine] = useState<ReviewView | null>();
  const userId = user?.id;
  useEffect(() => {
    if (!userId || !canReview) return;
    const controller = new AbortController();
    findMyReview(event.id, userId, controller.signal).then(
      (review) => setMine((current) => (current === undefined ? (review ?? null) : current)),
      () => setMine((current) => current ?? null),
    );
    return () => controller.abort();
  }, [event.id, userId, canReview]);
  const listed = userId ? items.find((r) => r.authorId === userId) : undefined;
  // Once known (found, written or deleted here), the own review is what this page knows best.
  const ownReview = mine === undefined ? listed : (mine ?? undefined);
  const [note, setNote] = useState('');
  const card = useRef<HTMLDivElement>(null);
  // The form or the review it became is gone from under the keyboard focus: bring focus back here.
  useEffect(() => {
    if (note) card.current?.focus();
  }, [note, mine]);

  const changed = (review: ReviewView | null, message: string) => {
    setMine(review);
    setNote(message);
    setVersion((v) => v + 1);
    onReviewsChanged();
  };

  return (
    <section className="att-reviews" aria-labelledby="att-reviews-title">
      <h2 id="att-reviews-title">Reviews</h2>
      <RatingSummary rating={event.rating} />

      {user && canReview && (
        <div className="card att-my-review" ref={card} tabIndex={-1}>
          {ownReview ? (
            <OwnReview review={ownReview} onChanged={changed} />
          ) : mine === undefined && !listed ? (
            <Loading label="Checking for your review…" />
          ) : (
            <>
              <h3>How was it?</h3>
              <ReviewForm
                eventId={event.id}
                onSaved={(review) => changed(review, 'Thank you! Your review is posted.')}
                onExisting={(review) =>
                  changed(review, 'You had already reviewed this event: here is your review. Edit it or delete it.')
                }
              />
            </>
          )}
          <p role="status" className="att-status">
            {note}
          </p>
        </div>
      )}
      {!user && new Date(event.startsAt).getTime() <= Date.now() && event.status !== 'draft' && (
        <p className="att-review-hint">
          Went to this event? <Link to={`/signin?next=${encodeURIComponent(`/events/${event.id}`)}`}>Sign in</Link> to
          review it.
        </p>
      )}
      {user && !canReview && reviewHint && <p className="att-review-hint">{reviewHint}</p>}

      {items.length > 1 && (
        <div className="att-reviews-head">
          <p className="att-reviews-count">{plural(Math.max(event.rating.count, items.length), 'review')}</p>
          <SelectField
            label="Sort reviews"
            name="sort"
            value={sort}
            onChange={(e) => {
              setSort(e.target.value as Sort);
            }}
          >
            <option value="newest">Newest first</option>
            <option value="highest">Highest rated first</option>
          </SelectField>
        </div>
      )}

      {list.loading && items.length === 0 && event.rating.count > 0 && <Loading label="Loading reviews…" />}
      {items.length > 0 && (
        <ul className="att-review-list" aria-busy={list.loading}>
          {items.map((review) => (
            <li key={review.id}>
              <ReviewItem review={review} own={review.authorId !== null && review.authorId === userId} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={!!list.nextCursor}
        loading={list.loadingMore}
        problem={list.problem}
        onLoad={() => (items.length ? void list.loadMore() : list.reset())}
        label="Load more reviews"
      />
    </section>
  );
}

function ReviewItem({ review, own }: { review: ReviewView; own: boolean }) {
  const edited = review.updatedAt !== review.createdAt;
  return (
    <article className="att-review" aria-label={`Review by ${review.authorName}`}>
      <header className="att-review-head">
        <strong className="att-review-author">{review.authorName}</strong>
        {own && <span className="badge">Your review</span>}
        {review.checkedIn && <span className="badge badge-ok">Checked in</span>}
      </header>
      <p className="att-review-meta">
        <Stars value={review.rating} />
        <span className="muted">
          <time dateTime={review.createdAt}>{formatDateTime(review.createdAt)}</time>
          {edited && ' (edited)'}
        </span>
      </p>
      {review.comment && <p className="att-review-comment">{review.comment}</p>}
      {review.reply && (
        <div className="att-reply">
          <p className="att-reply-head">
            <strong>Reply from the organizer</strong>{' '}
            <span className="muted">
              <time dateTime={review.reply.updatedAt}>{formatDateTime(review.reply.updatedAt)}</time>
            </span>
          </p>
          <p className="att-review-comment">{review.reply.text}</p>
        </div>
      )}
    </article>
  );
}

function OwnReview({
  review,
  onChanged,
}: {
  review: ReviewView;
  onChanged(review: ReviewView | null, message: string): void;
}) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [deleting, setDeleting] = useState(false);

  const remove = async () => {
    setDeleting(true);
    setProblem(undefined);
    try {
      await data(api.DELETE('/v1/reviews/{id}', { params: { path: { id: review.id } } }));
      onChanged(null, 'Your review was deleted.');
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setDeleting(false);
    }
  };

  if (editing)
    return (
      <>
        <h3>Edit your review</h3>
        <ReviewForm
          eventId={review.eventId}
          existing={review}
          onSaved={(saved) => {
            setEditing(false);
            onChanged(saved, 'Your review was updated.');
          }}
          onCancel={() => setEditing(false)}
        />
      </>
    );
  return (
    <>
      <h3>Your review</h3>
      {review.status === 'hidden' && (
        <div className="alert alert-info">
          <strong>The organizer hid this review.</strong>
          {review.hiddenReason && <p>Reason: {review.hiddenReason}</p>}
        </div>
      )}
      <ReviewItem review={review} own />
      <ProblemAlert problem={problem} />
      <div className="row att-own-actions">
        <button type="button" className="button button-secondary" onClick={() => setEditing(true)}>
          Edit review
        </button>
        <ConfirmStep
          trigger="Delete review"
          question="Delete your review? You can write a new one afterwards."
          confirm="Yes, delete my review"
          keep="Keep it"
          pending={deleting}
          onConfirm={() => void remove()}
          triggerClass="button button-quiet"
        />
      </div>
    </>
  );
}

/** Friendly words for the API's refusals of a review. */
function RefusalAlert({ problem }: { problem: ApiProblem }) {
  const explain: Record<string, { title: string; text: string }> = {
    NOT_AN_ATTENDEE: {
      title: 'Only attendees can review this event.',
      text: 'Reviews are open to people who were checked in, or who held a confirmed seat when it started.',
    },
    EVENT_NOT_STARTED: {
      title: 'This event has not started yet.',
      text: 'Reviews open when the event starts. Come back afterwards to tell others how it was.',
    },
    ALREADY_REVIEWED: {
      title: 'You already reviewed this event.',
      text: 'Edit or delete that review instead of writing a second one.',
    },
    FORBIDDEN: { title: 'You cannot review this event.', text: problem.problem.detail },
  };
  const known = explain[problem.code];
  if (!known) return <ProblemAlert problem={problem} />;
  return (
    <div className="alert alert-error" role="alert" data-code={problem.code}>
      <strong>{known.title}</strong>
      <p>{known.text}</p>
    </div>
  );
}

function ReviewForm({
  eventId,
  existing,
  onSaved,
  onCancel,
  onExisting,
}: {
  eventId: string;
  existing?: ReviewView;
  onSaved(review: ReviewView): void;
  onCancel?(): void;
  /** The API said a review exists already: show that one. */
  onExisting?(review: ReviewView): void;
}) {
  const [rating, setRating] = useState(existing?.rating ?? 0);
  const [comment, setComment] = useState(existing?.comment ?? '');
  const [problem, setProblem] = useState<ApiProblem>();
  const [pending, setPending] = useState(false);
  const [missingRating, setMissingRating] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // Kept across a failed attempt (network, 5xx) so the retry cannot post the review twice.
  const retryKey = useRef<string>(undefined);

  const save = useCallback(async () => {
    const key = retryKey.current ?? newIdempotencyKey();
    retryKey.current = key;
    setPending(true);
    setProblem(undefined);
    try {
      const review = existing
        ? await data(
            api.PATCH('/v1/reviews/{id}', { params: { path: { id: existing.id } }, body: { rating, comment } }),
          )
        : await data(
            api.POST('/v1/events/{id}/reviews', {
              params: { path: { id: eventId }, header: { 'Idempotency-Key': key } },
              body: { rating, comment },
            }),
          );
      retryKey.current = undefined;
      onSaved(review);
    } catch (error) {
      const failure = asProblem(error);
      if (failure.status >= 400 && failure.status < 500) retryKey.current = undefined;
      setProblem(failure);
      const reviewId = (failure.problem as { reviewId?: unknown }).reviewId;
      if (failure.code === 'ALREADY_REVIEWED' && typeof reviewId === 'string' && onExisting) {
        data(api.GET('/v1/reviews/{id}', { params: { path: { id: reviewId } } })).then(onExisting, () => undefined);
      }
    } finally {
      setPending(false);
    }
  }, [existing, eventId, rating, comment, onSaved, onExisting]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rating < 1) {
      setMissingRating(true);
      form.current?.querySelector<HTMLInputElement>('input[type=radio]')?.focus();
      return;
    }
    void save();
  };

  return (
    <form className="att-review-form" onSubmit={submit} noValidate ref={form}>
      {problem && <RefusalAlert problem={problem} />}
      <StarInput
        value={rating}
        onChange={(value) => {
          setRating(value);
          setMissingRating(false);
        }}
        error={missingRating ? 'Choose from 1 to 5 stars.' : problem?.fieldError('rating')}
      />
      <TextAreaField
        label="Your review (optional)"
        name="comment"
        value={comment}
        maxLength={MAX_COMMENT}
        onChange={(e) => setComment(e.target.value)}
        problem={problem}
        hint={`What stood out? ${comment.length} / ${MAX_COMMENT} characters.`}
      />
      <div className="row">
        <button type="submit" className="button" disabled={pending}>
          {pending ? 'Saving…' : existing ? 'Save review' : 'Post review'}
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** 1–5 stars as a radio group: arrow keys move between stars, each named "3 stars". */
function StarInput({ value, onChange, error }: { value: number; onChange(value: number): void; error?: string }) {
  const name = useId();
  const errorId = `${name}-error`;
  return (
    <fieldset
      className={error ? 'att-star-input att-star-input-invalid' : 'att-star-input'}
      aria-describedby={error ? errorId : undefined}
    >
      <legend>Your rating</legend>
      <div className="att-star-options">
        {[1, 2, 3, 4, 5].map((star) => (
          <label key={star} className={star <= value ? 'att-star att-star-on' : 'att-star'}>
            <input
              type="radio"
              name={name}
              value={star}
              checked={value === star}
              onChange={() => onChange(star)}
              aria-invalid={error ? true : undefined}
            />
            <span aria-hidden="true">{star <= value ? '★' : '☆'}</span>
            <span className="visually-hidden">{plural(star, 'star')}</span>
          </label>
        ))}
        <span className="att-star-word" aria-hidden="true">
          {value > 0 ? `${value} of 5: ${RATING_WORDS[value]}` : 'Not rated yet'}
        </span>
      </div>
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
