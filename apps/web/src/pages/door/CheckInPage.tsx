// The door: tickets scanned with the camera or typed as their short code, each answered with a big,
// unmistakable VALID / ALREADY CHECKED IN / INVALID, and the running count of people in.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, data, type EventView, type Schemas } from '../../api/client';
import { ApiProblem, asProblem } from '../../api/problem';
import { Loading, ProblemAlert, TextField } from '../../components/ui';
import { formatDateTime, formatEventTime, formatRelative } from '../../lib/format';
import { usePublicStream } from '../../live/streams';
import { useApi } from '../../lib/use-api';
import { useSession } from '../../session/session';
import { fetchAllAttendees, useWhileVisible } from '../organizer/organizer-common';
import { QrScanner } from './QrScanner';
import { typedTicket, type TypedTicket } from './ticket-code';
import './door.css';

type Availability = Schemas['AvailabilityResponse'];
type CheckInBody = Schemas['CheckInDto'];

/** The same QR code seen again within this time is the same person still in front of the camera. */
const SAME_TICKET_MS = 4_000;
/** Other doors check people in too: the count is re-read this often while the page is visible. */
const COUNT_POLL_MS = 10_000;

type Outcome =
  | { kind: 'valid'; holderName: string; checkedInAt: string }
  | { kind: 'duplicate'; holderName?: string; firstCheckedInAt?: string; detail: string }
  | { kind: 'invalid'; reason: string }
  | { kind: 'error'; problem: ApiProblem; retry: () => void };

/** One answer shown at the door; `id` tells two identical answers in a row apart. */
type Result = Outcome & { id: number; at: number };

const INVALID_REASONS: Record<string, string> = {
  forged: 'Not a genuine Convene ticket (its signature does not match).',
  'other-event': 'This ticket is for a different event.',
  cancelled: 'This registration was cancelled.',
  'not-confirmed': 'This person is on the waitlist: they have no seat.',
  'unknown-code': 'No ticket of this event has this code. Check the code, or scan the QR code.',
  'ambiguous-code': 'Two tickets share this code: scan the QR code instead.',
};

/** A per-scan id: a retry of the same scan (after a network failure) reuses it and gets the first answer. */
function newNonce(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // randomUUID needs a secure context; getRandomValues works everywhere.
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function CheckInPage() {
  const { eventId = '' } = useParams();
  const { user, isAdmin } = useSession();
  const event = useApi(
    (signal) => data(api.GET('/v1/events/{id}', { params: { path: { id: eventId } }, signal })),
    [eventId],
  );

  if (event.loading && !event.data) return <Loading label="Loading the event…" />;
  if (!event.data)
    return (
      <section className="page door">
        <h1>Door check-in</h1>
        <ProblemAlert problem={event.problem} onRetry={event.reload} />
      </section>
    );
  const allowed = isAdmin || event.data.organizerId === user?.id || !!event.data.staff?.includes(user?.id ?? '');
  if (!allowed)
    return (
      <section className="page door narrow stack">
        <h1>Door check-in</h1>
        <div className="alert alert-info">
          <strong>You are not check-in staff for “{event.data.title}”.</strong>
          <p>Ask the organizer to add you as staff with the email you sign in with, then reload this page.</p>
        </div>
        <p>
          <Link to={`/events/${eventId}`}>See the event page</Link>
        </p>
      </section>
    );
  return <Door event={event.data} isOrganizer={isAdmin || event.data.organizerId === user?.id} />;
}

function Door({ event, isOrganizer }: { event: EventView; isOrganizer: boolean }) {
  const [result, setResult] = useState<Result>();
  const [pending, setPending] = useState(false);
  const [typed, setTyped] = useState('');
  const [typedProblem, setTypedProblem] = useState<ApiProblem>();
  const [availability, setAvailability] = useState<Availability>();
  const [checkedIn, setCheckedIn] = useState<number>();
  const [countProblem, setCountProblem] = useState<ApiProblem>();
  const resultBox = useRef<HTMLDivElement>(null);
  const codeInput = useRef<HTMLDivElement>(null);
  const busy = useRef(false);
  const lastScan = useRef<{ value: string; at: number }>({ value: '', at: 0 });
  const nextId = useRef(1);

  // Confirmed count: read once, then live.
  useEffect(() => {
    if (event.status !== 'published') return;
    const controller = new AbortController();
    data(api.GET('/v1/events/{id}/availability', { params: { path: { id: event.id } }, signal: controller.signal }))
      .then(setAvailability)
      .catch(() => undefined);
    return () => controller.abort();
  }, [event.id, event.status]);
  usePublicStream<Availability>(
    event.status === 'published' ? `/v1/events/${event.id}/availability/stream` : undefined,
    'availability',
    setAvailability,
  );

  const readCount = useCallback(async () => {
    try {
      const list = await fetchAllAttendees(event.id, { checkedIn: true });
      setCheckedIn(list.length);
      setCountProblem(undefined);
    } catch (error) {
      setCountProblem(asProblem(error));
    }
  }, [event.id]);
  useEffect(() => void readCount(), [readCount]);
  useWhileVisible(() => void readCount(), COUNT_POLL_MS);

  const show = useCallback((outcome: Outcome) => {
    const next = { ...outcome, id: nextId.current++, at: Date.now() } as Result;
    setResult(next);
    navigator.vibrate?.(next.kind === 'valid' ? 120 : [250, 120, 250]);
    requestAnimationFrame(() => resultBox.current?.scrollIntoView({ block: 'nearest' }));
  }, []);

  const checkIn = useCallback(
    async (body: TypedTicket, nonce = newNonce()): Promise<void> => {
      busy.current = true;
      setPending(true);
      try {
        const answer = await data(
          api.POST('/v1/events/{id}/checkins', {
            params: { path: { id: event.id } },
            body: { ...body, nonce } as CheckInBody,
          }),
        );
        show({ kind: 'valid', holderName: answer.holderName, checkedInAt: answer.checkedInAt });
        setCheckedIn((n) => (n === undefined ? n : n + 1));
        void readCount();
      } catch (error) {
        const problem = asProblem(error);
        show(outcomeOf(problem, () => void checkIn(body, nonce)));
      } finally {
        busy.current = false;
        setPending(false);
      }
    },
    [event.id, show, readCount],
  );

  const onScan = useCallback(
    (value: string) => {
      const now = Date.now();
      if (busy.current) return;
      if (value === lastScan.current.value && now - lastScan.current.at < SAME_TICKET_MS) {
        lastScan.current.at = now;
        return;
      }
      lastScan.current = { value, at: now };
      void checkIn({ ticket: value });
    },
    [checkIn],
  );

  const submitTyped = (e: FormEvent) => {
    e.preventDefault();
    const body = typedTicket(typed);
    if (!body) {
      setTypedProblem(
        new ApiProblem({
          type: 'about:blank',
          title: 'Not a ticket code',
          status: 400,
          detail: '',
          code: 'VALIDATION_FAILED',
          errors: [
            {
              field: 'code',
              message: typed.trim()
                ? 'A ticket code has 8 letters and digits, like ABCD-EFGH. Check it and try again.'
                : 'Type the code printed under the ticket’s QR code.',
            },
          ],
        }),
      );
      return;
    }
    setTypedProblem(undefined);
    setTyped('');
    void checkIn(body).then(() => codeInput.current?.querySelector('input')?.focus({ preventScroll: true }));
  };

  const confirmed = availability?.confirmed ?? event.confirmedCount;

  return (
    <section className="page door stack">
      <div className="door-head">
        <div>
          <h1>Door check-in</h1>
          <p className="door-event">
            <strong>{event.title}</strong>
            <br />
            <span className="muted">{formatEventTime(event.startsAt, event.endsAt, event.timezone)}</span>
            {isOrganizer && (
              <>
                <br />
                <Link to={`/organizer/events/${event.id}`}>Event dashboard</Link>
              </>
            )}
          </p>
        </div>
        <p className="door-count" data-testid="checkin-count" aria-live="polite" aria-atomic="true">
          <span className="door-count-label">Checked in</span>{' '}
          <span className="door-count-value">
            <span data-testid="checked-in-count">{checkedIn ?? '–'}</span>
            <span className="door-count-of"> / {confirmed ?? '–'}</span>
          </span>
          <span className="visually-hidden"> confirmed</span>
        </p>
      </div>
      {event.status === 'cancelled' && (
        <p className="alert alert-error">This event is cancelled: its tickets no longer admit anyone.</p>
      )}
      {event.status === 'draft' && (
        <p className="alert alert-info">This event is not published yet: nobody has a ticket.</p>
      )}
      <ProblemAlert problem={countProblem} />

      <div ref={resultBox} className="result-area">
        {/* Two standing live regions: a valid scan is announced politely, a refusal at once. */}
        <div role="status" aria-live="polite" aria-atomic="true">
          {result?.kind === 'valid' && <ResultPanel key={result.id} result={result} />}
        </div>
        <div role="alert" aria-atomic="true">
          {result && result.kind !== 'valid' && <ResultPanel key={result.id} result={result} />}
        </div>
        {!result && (
          <p className="result-idle muted">
            {pending ? 'Checking…' : 'Scan a ticket or type its code: the answer shows here.'}
          </p>
        )}
      </div>

      {/* The camera first: on a phone it sits right under the answer, both on screen at once. */}
      <div className="door-inputs">
        <QrScanner onScan={onScan} />
        <form className="card stack typed-form" onSubmit={submitTyped} noValidate aria-labelledby="typed-title">
          <h2 id="typed-title">Type a code</h2>
          <div ref={codeInput}>
            <TextField
              label="Ticket code"
              name="code"
              problem={typedProblem}
              hint="The 8 characters under the QR code, e.g. ABCD-EFGH. Case and dash do not matter."
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
            />
          </div>
          <div>
            <button type="submit" className="button button-big" disabled={pending}>
              {pending ? 'Checking…' : 'Check in'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}

function outcomeOf(problem: ApiProblem, retry: () => void): Outcome {
  const extra = problem.problem as { checkedInAt?: string; reason?: string };
  if (problem.code === 'ALREADY_CHECKED_IN') {
    const named = /^(.*) checked in at /.exec(problem.problem.detail ?? '')?.[1];
    return {
      kind: 'duplicate',
      holderName: named,
      firstCheckedInAt: extra.checkedInAt,
      detail: problem.problem.detail,
    };
  }
  if (problem.code === 'TICKET_INVALID') {
    return {
      kind: 'invalid',
      reason: (extra.reason && INVALID_REASONS[extra.reason]) || problem.problem.detail || problem.problem.title,
    };
  }
  // Not an answer about the ticket (no connection, signed out, not staff, the service down): saying
  // INVALID would turn away someone with a good ticket.
  if (problem.status === 0 || problem.status === 401 || problem.status === 403 || problem.status >= 500)
    return { kind: 'error', problem, retry };
  const field = problem.problem.errors?.[0]?.message;
  return { kind: 'invalid', reason: field ?? (problem.problem.detail || problem.problem.title) };
}

function ResultPanel({ result }: { result: Result }) {
  const at = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(
    new Date(result.at),
  );
  switch (result.kind) {
    case 'valid':
      return (
        <div className="result result-valid" data-testid="checkin-result" data-result="valid">
          <span className="result-icon" aria-hidden="true">
            ✓
          </span>
          <div>
            <p className="result-word">VALID</p>
            <p className="result-name">{result.holderName}</p>
            <p className="result-detail">Let them in. Checked in at {formatDateTime(result.checkedInAt)}.</p>
          </div>
        </div>
      );
    case 'duplicate':
      return (
        <div className="result result-duplicate" data-testid="checkin-result" data-result="duplicate">
          <span className="result-icon" aria-hidden="true">
            !
          </span>
          <div>
            <p className="result-word">ALREADY CHECKED IN</p>
            {result.holderName && <p className="result-name">{result.holderName}</p>}
            <p className="result-detail">
              {result.firstCheckedInAt
                ? `First checked in at ${formatDateTime(result.firstCheckedInAt)} (${formatRelative(result.firstCheckedInAt)}).`
                : result.detail}{' '}
              This ticket has been used.
            </p>
          </div>
        </div>
      );
    case 'invalid':
      return (
        <div className="result result-invalid" data-testid="checkin-result" data-result="invalid">
          <span className="result-icon" aria-hidden="true">
            ✕
          </span>
          <div>
            <p className="result-word">INVALID</p>
            <p className="result-detail">{result.reason}</p>
            <p className="result-detail small">Do not let them in on this ticket. Scanned at {at}.</p>
          </div>
        </div>
      );
    case 'error':
      return (
        <div className="result result-error" data-testid="checkin-result" data-result="error">
          <span className="result-icon" aria-hidden="true">
            ?
          </span>
          <div>
            <p className="result-word">NOT CHECKED</p>
            <p className="result-detail">
              {result.problem.problem.title}
              {result.problem.problem.detail ? `: ${result.problem.problem.detail}` : ''}
            </p>
            <p className="result-detail small">The ticket was not checked. Try again.</p>
            <button type="button" className="button" onClick={result.retry}>
              Try again
            </button>
          </div>
        </div>
      );
  }
}
