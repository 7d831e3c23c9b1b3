// An event's registrations: filters kept in the URL (a filtered list can be bookmarked or shared),
// a page at a time, and the same filters exported as CSV.
import { useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { authorizedFetch } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import { EmptyState, Loading, ProblemAlert, SelectField, LoadMore } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useSession } from '../../session/session';
import { usePagedList } from '../../lib/use-paged-list';
import {
  EventSubnav,
  fetchAttendeePage,
  NotOrganizer,
  useEvent,
  type Attendee,
  type AttendeeFilter,
  EventPageHeading,
} from './organizer-common';
import './organizer.css';

const PAGE_SIZE = 100;

const STATUS_LABEL: Record<Attendee['status'], { label: string; className: string }> = {
  confirmed: { label: 'Confirmed', className: 'badge badge-ok' },
  waitlisted: { label: 'Waitlisted', className: 'badge badge-warn' },
  cancelled: { label: 'Cancelled', className: 'badge badge-bad' },
};

function filterOf(params: URLSearchParams): AttendeeFilter {
  const status = params.get('status');
  const checkedIn = params.get('checkedIn');
  return {
    status: status === 'confirmed' || status === 'waitlisted' || status === 'cancelled' ? status : undefined,
    checkedIn: checkedIn === 'true' ? true : checkedIn === 'false' ? false : undefined,
  };
}

function queryOf(filter: AttendeeFilter): URLSearchParams {
  const query = new URLSearchParams();
  if (filter.status) query.set('status', filter.status);
  if (filter.checkedIn !== undefined) query.set('checkedIn', String(filter.checkedIn));
  return query;
}

export function AttendeesPage() {
  const { eventId = '' } = useParams();
  const { isOrganizer, isAdmin } = useSession();
  if (!isOrganizer && !isAdmin) return <NotOrganizer title="Attendees" />;
  return <Attendees eventId={eventId} />;
}

function Attendees({ eventId }: { eventId: string }) {
  const event = useEvent(eventId);
  const [params, setParams] = useSearchParams();
  const filter = filterOf(params);
  const filterKey = queryOf(filter).toString();
  const list = usePagedList(
    (cursor, signal) => fetchAttendeePage(eventId, { ...filter, limit: PAGE_SIZE, cursor }, signal),
    [eventId, filterKey],
  );

  const setFilter = (next: AttendeeFilter) => setParams(queryOf(next), { replace: true });
  const title = event.data?.title;

  return (
    <section className="page stack">
      <EventPageHeading event={event.data} heading={`Attendees${title ? ` of “${title}”` : ''}`} />
      <EventSubnav eventId={eventId} />
      {event.data?.status === 'published' && (
        <p className="muted">
          {event.data.confirmedCount ?? 0} confirmed of {event.data.capacity} seats
          {event.data.waitlistedCount ? `, ${event.data.waitlistedCount} waitlisted` : ''}.
        </p>
      )}

      <form className="filters card" role="search" aria-label="Filter attendees" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          label="Status"
          name="status"
          value={filter.status ?? ''}
          onChange={(e) => setFilter({ ...filter, status: (e.target.value || undefined) as AttendeeFilter['status'] })}
        >
          <option value="">Any status</option>
          <option value="confirmed">Confirmed</option>
          <option value="waitlisted">Waitlisted</option>
          <option value="cancelled">Cancelled</option>
        </SelectField>
        <SelectField
          label="Checked in"
          name="checkedIn"
          value={filter.checkedIn === undefined ? '' : String(filter.checkedIn)}
          onChange={(e) =>
            setFilter({ ...filter, checkedIn: e.target.value === '' ? undefined : e.target.value === 'true' })
          }
        >
          <option value="">Either</option>
          <option value="true">Checked in</option>
          <option value="false">Not checked in</option>
        </SelectField>
        <CsvExport eventId={eventId} filter={filter} eventTitle={title} />
      </form>

      <ProblemAlert problem={list.problem} onRetry={list.items.length ? undefined : list.reset} />
      {list.loading ? (
        <Loading label="Loading attendees…" />
      ) : list.items.length === 0 && !list.problem ? (
        <EmptyState>
          {filter.status || filter.checkedIn !== undefined
            ? 'No attendee matches these filters.'
            : 'Nobody has registered yet.'}
        </EmptyState>
      ) : (
        list.items.length > 0 && (
          <>
            <p className="muted" aria-live="polite">
              Showing {list.items.length} attendee{list.items.length === 1 ? '' : 's'}
              {list.nextCursor ? ' (more below)' : ''}.
            </p>
            <div className="table-scroll" role="region" aria-label="Attendees table" tabIndex={0}>
              <table className="attendee-table">
                <caption className="visually-hidden">Attendees, by registration time</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Status</th>
                    <th scope="col">Waitlist position</th>
                    <th scope="col">Registered</th>
                    <th scope="col">Checked in</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((a) => (
                    <tr key={a.registrationId}>
                      <th scope="row">{a.holderName}</th>
                      <td>
                        <span className={STATUS_LABEL[a.status].className}>{STATUS_LABEL[a.status].label}</span>
                      </td>
                      <td>{a.waitlistPosition ?? <span className="visually-hidden">none</span>}</td>
                      <td>
                        <time dateTime={a.registeredAt}>{formatDateTime(a.registeredAt)}</time>
                      </td>
                      <td>
                        {a.checkedInAt ? (
                          <time dateTime={a.checkedInAt}>{formatDateTime(a.checkedInAt)}</time>
                        ) : (
                          <span className="muted">Not yet</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )
      )}
      <LoadMore hasMore={!!list.nextCursor} loading={list.loadingMore} onLoad={() => void list.loadMore()} />
    </section>
  );
}

/** Every attendee matching the filters (not just the loaded pages) as a CSV file. */
function CsvExport({ eventId, filter, eventTitle }: { eventId: string; filter: AttendeeFilter; eventTitle?: string }) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [file, setFile] = useState<{ url: string; name: string }>();
  const link = useRef<HTMLAnchorElement>(null);

  // A new filter makes the last file stale; an object URL is released once it is not offered.
  useEffect(() => () => void (file && URL.revokeObjectURL(file.url)), [file]);
  const filterKey = queryOf(filter).toString();
  useEffect(() => setFile(undefined), [filterKey]);

  const exportCsv = async () => {
    setPending(true);
    setProblem(undefined);
    try {
      const query = queryOf(filter).toString();
      const response = await authorizedFetch(`/v1/events/${eventId}/attendees${query ? `?${query}` : ''}`, {
        headers: { accept: 'text/csv' },
      });
      const blob = await response.blob();
      const name = fileName(response.headers.get('content-disposition'), eventTitle, filter);
      setFile({ url: URL.createObjectURL(blob), name });
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setPending(false);
    }
  };

  // Start the download as soon as the file is ready; the link stays for a second try.
  useEffect(() => {
    if (file) link.current?.click();
  }, [file]);

  return (
    <div className="csv-export">
      <button type="button" className="button button-secondary" disabled={pending} onClick={() => void exportCsv()}>
        {pending ? 'Preparing CSV…' : 'Export CSV'}
      </button>
      <div aria-live="polite">
        {file && (
          <p className="small">
            Ready:{' '}
            <a ref={link} href={file.url} download={file.name}>
              Download {file.name}
            </a>
          </p>
        )}
      </div>
      <ProblemAlert problem={problem} />
    </div>
  );
}

function fileName(disposition: string | null, title: string | undefined, filter: AttendeeFilter): string {
  const given = disposition && /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  if (given) return decodeURIComponent(given);
  const slug =
    (title ?? 'event')
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'event';
  const parts = [
    slug,
    'attendees',
    filter.status,
    filter.checkedIn === undefined ? undefined : filter.checkedIn ? 'checked-in' : 'not-checked-in',
  ];
  return `${parts.filter(Boolean).join('-')}.csv`;
}
