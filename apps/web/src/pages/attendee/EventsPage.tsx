import { useEffect, useRef, useState, type FormEvent, type Ref } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { api, data, type EventView } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import { EmptyState, Loading, ProblemAlert, SelectField, TextField, LoadMore } from '../../components/ui';
import { formatEventTime } from '../../lib/format';
import { useApi } from '../../lib/use-api';
import { CATEGORIES, CATEGORY_LABELS, isCategory, placeOf, plural } from './attendee-lib';
import { RatingLine } from './attendee-parts';
import './attendee.css';

const PAGE_SIZE = 12;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface Filters {
  q: string;
  category: string;
  from: string;
  to: string;
  hasSeats: boolean;
}

function filtersOf(params: URLSearchParams): Filters {
  const day = (name: string) => {
    const value = params.get(name) ?? '';
    return DAY.test(value) ? value : '';
  };
  const category = params.get('category');
  return {
    q: params.get('q') ?? '',
    category: isCategory(category) ? category : '',
    from: day('from'),
    to: day('to'),
    hasSeats: params.get('hasSeats') === 'true',
  };
}

function paramsOf(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.category) params.set('category', filters.category);
  if (filters.from) params.set('from', filters.from);
  if (filters.to) params.set('to', filters.to);
  if (filters.hasSeats) params.set('hasSeats', 'true');
  return params;
}

/** A day picked in the form, as the instant it starts (or ends) where the visitor is. */
function dayBoundary(day: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number);
  return (end ? new Date(y, m - 1, d, 23, 59, 59, 999) : new Date(y, m - 1, d)).toISOString();
}

/**
 * Without a start date, what is still to come (and what began within the hour): past events are rarely
 * what a visitor looks for. Whole hours let the server's page cache answer repeated visits.
 */
function startOfThisHour(): string {
  const now = new Date();
  now.setMinutes(0, 0, 0);
  return now.toISOString();
}

function queryOf(filters: Filters) {
  const category = isCategory(filters.category) ? filters.category : undefined;
  return {
    q: filters.q.trim() || undefined,
    category,
    from: filters.from ? dayBoundary(filters.from, false) : startOfThisHour(),
    to: filters.to ? dayBoundary(filters.to, true) : undefined,
    hasSeats: filters.hasSeats || undefined,
  };
}

export function EventsPage() {
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const filters = filtersOf(params);
  const key = paramsOf(filters).toString();
  const first = useApi(
    (signal) => data(api.GET('/v1/events', { params: { query: { ...queryOf(filters), limit: PAGE_SIZE } }, signal })),
    [key],
  );
  const [more, setMore] = useState<{ key: string; items: EventView[]; nextCursor?: string }>();
  const [moreProblem, setMoreProblem] = useState<ApiProblem>();
  const [loadingMore, setLoadingMore] = useState(false);
  const firstNew = useRef<HTMLAnchorElement>(null);
  const [focusIndex, setFocusIndex] = useState<number>();

  const extra = more?.key === key ? more : undefined;
  const items = [...(first.data?.items ?? []), ...(extra?.items ?? [])];
  const nextCursor = extra ? extra.nextCursor : first.data?.nextCursor;

  useEffect(() => {
    if (focusIndex !== undefined) firstNew.current?.focus();
  }, [focusIndex]);

  const apply = (next: Filters) => {
    setMoreProblem(undefined);
    setParams(paramsOf(next));
  };

  const loadMore = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreProblem(undefined);
    try {
      const page = await data(
        api.GET('/v1/events', { params: { query: { ...queryOf(filters), limit: PAGE_SIZE, cursor: nextCursor } } }),
      );
      setFocusIndex(items.length);
      setMore({ key, items: [...(extra?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setMoreProblem(asProblem(error));
    } finally {
      setLoadingMore(false);
    }
  };

  const filtered = key !== '';
  return (
    <section className="att-events">
      <h1>Find an event</h1>
      {notice && (
        <div className="alert alert-ok" role="status">
          {notice}
        </div>
      )}
      <FiltersForm filters={filters} filtersKey={key} problem={first.problem} onApply={apply} />

      <div className="att-results-head">
        <h2 className="visually-hidden">Events</h2>
        <p role="status" className="att-results-count">
          {first.loading
            ? 'Searching…'
            : first.data
              ? items.length === 0
                ? filtered
                  ? 'No events match these filters.'
                  : 'No upcoming events yet.'
                : `Showing ${plural(items.length, 'event')}${nextCursor ? ' (more below)' : ''}${filtered ? ' matching your filters' : ''}.`
              : ''}
        </p>
      </div>

      {first.loading && !first.data && <Loading label="Loading events…" />}
      {first.problem && !first.problem.problem.errors?.length && (
        <ProblemAlert problem={first.problem} onRetry={first.reload} />
      )}
      {first.data && items.length === 0 && (
        <EmptyState>
          {filtered ? (
            <>
              Try another word, a wider date range, or{' '}
              <Link to="/" className="att-inline-link">
                clear the filters
              </Link>
              .
            </>
          ) : (
            'Check back soon: organizers publish new events every week.'
          )}
        </EmptyState>
      )}
      {items.length > 0 && (
        <ul className="att-card-grid" aria-busy={first.loading}>
          {items.map((event, index) => (
            <li key={event.id}>
              <EventCard event={event} linkRef={index === focusIndex ? firstNew : undefined} />
            </li>
          ))}
        </ul>
      )}
      <LoadMore
        hasMore={!!nextCursor && !first.loading}
        loading={loadingMore}
        problem={moreProblem}
        onLoad={() => void loadMore()}
        label="Load more events"
      />
    </section>
  );
}

function FiltersForm({
  filters,
  filtersKey,
  problem,
  onApply,
}: {
  filters: Filters;
  /** The filters as a query string: when it changes (back button, a link), the form shows them. */
  filtersKey: string;
  problem: ApiProblem | undefined;
  onApply(filters: Filters): void;
}) {
  const [draft, setDraft] = useState(filters);
  // Adjusted while rendering rather than by remounting, so the focused control keeps the focus.
  const [shownKey, setShownKey] = useState(filtersKey);
  if (shownKey !== filtersKey) {
    setShownKey(filtersKey);
    setDraft(filters);
  }
  // Selects, dates and the checkbox apply at once; the search word on submit (typing is not searching).
  const change = (patch: Partial<Filters>, now: boolean) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    if (now) onApply(next);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };
  const hasFilters = paramsOf(filters).toString() !== '';
  const fieldProblem = problem?.problem.errors?.length ? problem : undefined;

  return (
    <form className="card att-filters" role="search" aria-label="Filter events" onSubmit={submit}>
      {fieldProblem && <ProblemAlert problem={fieldProblem} />}
      <div className="att-filter-grid">
        <div className="att-filter-q">
          <TextField
            label="Search"
            name="q"
            type="search"
            value={draft.q}
            placeholder="e.g. nestjs"
            maxLength={50}
            onChange={(e) => change({ q: e.target.value }, false)}
            problem={fieldProblem}
            hint="One word, matched against titles and tags."
          />
        </div>
        <SelectField
          label="Category"
          name="category"
          value={draft.category}
          onChange={(e) => change({ category: e.target.value }, true)}
          problem={fieldProblem}
        >
          <option value="">All categories</option>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {CATEGORY_LABELS[c]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="From"
          name="from"
          type="date"
          value={draft.from}
          onChange={(e) => change({ from: e.target.value }, true)}
          problem={fieldProblem}
          hint={draft.from ? undefined : 'Empty: from now on.'}
        />
        <TextField
          label="To"
          name="to"
          type="date"
          value={draft.to}
          min={draft.from || undefined}
          onChange={(e) => change({ to: e.target.value }, true)}
          problem={fieldProblem}
        />
      </div>
      <div className="att-filter-actions">
        <label className="att-check">
          <input
            type="checkbox"
            name="hasSeats"
            checked={draft.hasSeats}
            onChange={(e) => change({ hasSeats: e.target.checked }, true)}
          />
          Only events with seats left
        </label>
        <div className="row">
          {hasFilters && (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => onApply({ q: '', category: '', from: '', to: '', hasSeats: false })}
            >
              Clear filters
            </button>
          )}
          <button type="submit" className="button">
            Search
          </button>
        </div>
      </div>
    </form>
  );
}

function EventCard({ event, linkRef }: { event: EventView; linkRef?: Ref<HTMLAnchorElement> }) {
  return (
    <article className="card att-card">
      <p className="att-card-kicker">
        <span className="badge">{CATEGORY_LABELS[event.category]}</span>
        {event.status === 'cancelled' && <span className="badge badge-bad">Cancelled</span>}
      </p>
      <h3 className="att-card-title">
        <Link to={`/events/${event.id}`} ref={linkRef}>
          {event.title}
        </Link>
      </h3>
      <dl className="att-card-facts">
        <div>
          <dt>When</dt>
          <dd>
            <time dateTime={event.startsAt}>{formatEventTime(event.startsAt, event.endsAt, event.timezone)}</time>
          </dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>
            {placeOf(event)}
            {event.venue && <span className="muted">, {event.venue.address}</span>}
          </dd>
        </div>
        <div>
          <dt>Seats</dt>
          <dd>
            <CardSeats event={event} />
          </dd>
        </div>
        <div>
          <dt>Rating</dt>
          <dd>
            <RatingLine rating={event.rating} />
          </dd>
        </div>
      </dl>
    </article>
  );
}

/** The list does not carry seat counts (it is served from a cache); each card asks for its own. */
function CardSeats({ event }: { event: EventView }) {
  const known = event.seatsLeft;
  const availability = useApi(
    async (signal) =>
      known !== undefined || event.status !== 'published'
        ? undefined
        : data(api.GET('/v1/events/{id}/availability', { params: { path: { id: event.id } }, signal })),
    [event.id, known],
  );
  if (event.status === 'cancelled') return <span>Cancelled</span>;
  const seatsLeft = known ?? availability.data?.seatsLeft;
  if (seatsLeft === undefined) return <span className="muted">{availability.problem ? 'Unknown' : '…'}</span>;
  if (seatsLeft === 0)
    return (
      <span className="att-seats att-seats-none">{event.waitlistEnabled ? 'Full: waitlist open' : 'Sold out'}</span>
    );
  // "Filling up" once some are taken and few are left (not for a small event nobody has joined yet).
  const few = seatsLeft < event.capacity && seatsLeft <= Math.max(5, event.capacity / 10);
  return (
    <span className={few ? 'att-seats att-seats-few' : 'att-seats'}>
      {plural(seatsLeft, 'seat')} left
      {few && <span className="att-seats-hint"> (filling up)</span>}
    </span>
  );
}
