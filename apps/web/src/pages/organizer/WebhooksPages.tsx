// Webhook endpoints: create (the signing secret is shown once, right after), list, delete; and per
// endpoint its delivery log with every attempt and a redeliver button.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, data, type Schemas } from '../../api/client';
import { EmptyState, Loading, ProblemAlert, TextField } from '../../components/ui';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import { useSession } from '../../session/session';
import { usePagedList } from '../../lib/use-paged-list';
import { NotOrganizer } from './organizer-common';
import './organizer.css';

type Webhook = Schemas['WebhookResponse'];
type CreatedWebhook = Schemas['CreatedWebhookResponse'];
type Delivery = Schemas['WebhookDeliveryResponse'];
type EventType = Schemas['CreateWebhookDto']['eventTypes'][number];

const EVENT_TYPES: Record<EventType, string> = {
  'event.published': 'An event is published',
  'event.updated': 'An event is changed',
  'event.cancelled': 'An event is cancelled',
  'registration.confirmed': 'Someone gets a seat',
  'registration.waitlisted': 'Someone joins the waitlist',
  'registration.promoted': 'Someone moves from the waitlist to a seat',
  'registration.cancelled': 'A registration is cancelled',
  'attendee.checked-in': 'Someone is checked in at the door',
  'review.created': 'An attendee leaves a review',
};

const DELIVERY_BADGE: Record<Delivery['status'], { className: string; label: string }> = {
  pending: { className: 'badge badge-warn', label: 'Pending' },
  succeeded: { className: 'badge badge-ok', label: 'Delivered' },
  failed: { className: 'badge badge-bad', label: 'Failed' },
};

function WebhookStatus({ webhook }: { webhook: Webhook }) {
  return webhook.status === 'active' ? (
    <span className="badge badge-ok">Active</span>
  ) : (
    <span className="badge badge-bad">Disabled</span>
  );
}

export function WebhooksPage() {
  const { isOrganizer, isAdmin } = useSession();
  if (!isOrganizer && !isAdmin) return <NotOrganizer title="Webhooks" />;
  return <Webhooks />;
}

function Webhooks() {
  const list = useApi((signal) => data(api.GET('/v1/webhooks', { signal })), []);
  const [created, setCreated] = useState<CreatedWebhook>();
  const [deleted, setDeleted] = useState<string>();

  return (
    <section className="page stack">
      <p className="breadcrumb">
        <Link to="/organizer">Your events</Link>
      </p>
      <h1>Webhooks</h1>
      <p>
        Convene POSTs a signed JSON message to your endpoint when something happens at your events: a CRM, a badge
        printer, a chat channel. Each request carries a <code>Convene-Signature</code> header made with the endpoint’s
        secret; check it before trusting the message.
      </p>
      {created && <SecretOnce webhook={created} onDone={() => setCreated(undefined)} />}
      <div aria-live="polite">{deleted && <p className="alert alert-ok">{deleted}</p>}</div>
      <CreateWebhook
        onCreated={(webhook) => {
          setDeleted(undefined);
          setCreated(webhook);
          const { secret: _secret, ...shown } = webhook;
          list.setData((current) => ({ items: [...(current?.items ?? []), shown] }));
        }}
      />
      <section aria-labelledby="webhook-list-title" className="stack">
        <h2 id="webhook-list-title">Your endpoints</h2>
        <ProblemAlert problem={list.problem} onRetry={list.reload} />
        {list.loading && !list.data ? (
          <Loading label="Loading webhooks…" />
        ) : list.data && list.data.items.length === 0 ? (
          <EmptyState>No endpoints yet.</EmptyState>
        ) : (
          list.data && (
            <ul className="webhook-list">
              {list.data.items.map((webhook) => (
                <WebhookRow
                  key={webhook.id}
                  webhook={webhook}
                  onDeleted={() => {
                    list.setData((current) => ({ items: (current?.items ?? []).filter((w) => w.id !== webhook.id) }));
                    setDeleted(`Deleted the endpoint ${webhook.url}.`);
                  }}
                />
              ))}
            </ul>
          )
        )}
      </section>
    </section>
  );
}

/** The secret, once: it cannot be read again, so the panel stays until its owner says it is stored. */
function SecretOnce({ webhook, onDone }: { webhook: CreatedWebhook; onDone(): void }) {
  const [copied, setCopied] = useState<'yes' | 'failed'>();
  const panel = useRef<HTMLElement>(null);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => panel.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(webhook.secret);
      setCopied('yes');
    } catch {
      // No clipboard access (permissions, plain http): select it for a manual copy instead.
      input.current?.select();
      setCopied('failed');
    }
  };

  return (
    <section className="secret-panel card stack" tabIndex={-1} ref={panel} aria-labelledby="secret-title">
      <h2 id="secret-title">Save the secret now: it is shown only once</h2>
      <p>
        <strong>Convene keeps no readable copy.</strong> Store it where your receiver reads it (a secret manager, an
        environment variable). If you lose it, delete the endpoint and create a new one.
      </p>
      <p className="muted">Endpoint: {webhook.url}</p>
      <div className="field">
        <label htmlFor="webhook-secret">Signing secret</label>
        <div className="secret-row">
          <input
            id="webhook-secret"
            ref={input}
            className="secret-value"
            readOnly
            value={webhook.secret}
            onFocus={(e) => e.target.select()}
            spellCheck={false}
          />
          <button type="button" className="button" onClick={() => void copy()}>
            Copy secret
          </button>
        </div>
        <p className="field-hint" aria-live="polite">
          {copied === 'yes'
            ? 'Copied to the clipboard.'
            : copied === 'failed'
              ? 'Selected: press Ctrl+C (⌘C) to copy.'
              : ''}
        </p>
      </div>
      <div>
        <button type="button" className="button button-secondary" onClick={onDone}>
          I have stored the secret
        </button>
      </div>
    </section>
  );
}

function CreateWebhook({ onCreated }: { onCreated(webhook: CreatedWebhook): void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<EventType[]>([]);
  const create = useAction(async () => {
    const webhook = await data(
      api.POST('/v1/webhooks', { body: { url: url.trim(), eventTypes: types, description: description.trim() } }),
    );
    setUrl('');
    setDescription('');
    setTypes([]);
    onCreated(webhook);
  });
  const typesError = create.problem?.fieldError('eventTypes');
  const allTypes = Object.keys(EVENT_TYPES) as EventType[];

  const toggle = (type: EventType, on: boolean) =>
    setTypes((current) => (on ? [...current, type] : current.filter((t) => t !== type)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };

  return (
    <form className="card stack" onSubmit={submit} noValidate aria-labelledby="new-webhook-title">
      <h2 id="new-webhook-title">New endpoint</h2>
      <ProblemAlert problem={create.problem} />
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        inputMode="url"
        problem={create.problem}
        hint="https only, on a public address, e.g. https://crm.example.com/hooks/convene"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
      />
      <TextField
        label="Description (optional)"
        name="description"
        problem={create.problem}
        maxLength={500}
        hint="To tell your endpoints apart, e.g. Badge printer."
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <fieldset
        className={typesError ? 'field-invalid' : undefined}
        aria-describedby={typesError ? 'types-error' : 'types-hint'}
      >
        <legend>Events to send</legend>
        <p id="types-hint" className="field-hint">
          About events you organize. Choose at least one.
        </p>
        <div className="row">
          <button
            type="button"
            className="button button-quiet"
            onClick={() => setTypes(types.length === allTypes.length ? [] : allTypes)}
          >
            {types.length === allTypes.length ? 'Clear all' : 'Select all'}
          </button>
        </div>
        <div className="checkbox-grid">
          {allTypes.map((type) => (
            <label key={type} className="choice">
              <input
                type="checkbox"
                name="eventTypes"
                value={type}
                checked={types.includes(type)}
                onChange={(e) => toggle(type, e.target.checked)}
              />
              <span>
                <code>{type}</code>
                <span className="muted small"> — {EVENT_TYPES[type]}</span>
              </span>
            </label>
          ))}
        </div>
        {typesError && (
          <p id="types-error" className="field-error">
            {typesError}
          </p>
        )}
      </fieldset>
      <div>
        <button type="submit" className="button" disabled={create.pending}>
          {create.pending ? 'Creating…' : 'Create endpoint'}
        </button>
      </div>
    </form>
  );
}

function WebhookRow({ webhook, onDeleted }: { webhook: Webhook; onDeleted(): void }) {
  const [confirming, setConfirming] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const remove = useAction(async () => {
    await data(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: webhook.id } } }));
    onDeleted();
  });
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);

  return (
    <li className="card webhook-row stack">
      <div className="title-row">
        <h3>
          <Link to={`/organizer/webhooks/${webhook.id}`}>{webhook.description || webhook.url}</Link>
        </h3>
        <WebhookStatus webhook={webhook} />
      </div>
      {webhook.description && <p className="url-text">{webhook.url}</p>}
      <p className="muted small">
        {webhook.eventTypes.join(', ')} · created {formatDateTime(webhook.createdAt)}
        {webhook.consecutiveFailures > 0 && ` · ${webhook.consecutiveFailures} failed attempts in a row`}
      </p>
      {webhook.status === 'disabled' && webhook.disabledReason && (
        <p className="alert alert-error">Disabled: {webhook.disabledReason}</p>
      )}
      <ProblemAlert problem={remove.problem} />
      {confirming ? (
        <div className="confirm-panel stack" role="group" aria-label={`Delete ${webhook.url}?`}>
          <p>
            <strong>Delete this endpoint?</strong> Nothing more is sent to it, and its delivery log is deleted too.
          </p>
          <div className="row">
            <button
              type="button"
              className="button button-danger"
              disabled={remove.pending}
              onClick={() => void remove.run()}
            >
              {remove.pending ? 'Deleting…' : 'Delete endpoint'}
            </button>
            <button
              ref={keep}
              type="button"
              className="button button-secondary"
              onClick={() => {
                setConfirming(false);
                deleteButton.current?.focus();
              }}
            >
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div className="row">
          <Link className="button button-secondary" to={`/organizer/webhooks/${webhook.id}`}>
            Delivery log<span className="visually-hidden"> of {webhook.url}</span>
          </Link>
          <button
            ref={deleteButton}
            type="button"
            className="button button-quiet danger-text"
            onClick={() => setConfirming(true)}
          >
            Delete<span className="visually-hidden"> {webhook.url}</span>
          </button>
        </div>
      )}
    </li>
  );
}

export function WebhookPage() {
  const { isOrganizer, isAdmin } = useSession();
  const { webhookId = '' } = useParams();
  if (!isOrganizer && !isAdmin) return <NotOrganizer title="Webhook" />;
  return <WebhookDetails webhookId={webhookId} />;
}

function WebhookDetails({ webhookId }: { webhookId: string }) {
  const navigate = useNavigate();
  const webhook = useApi(
    (signal) => data(api.GET('/v1/webhooks/{id}', { params: { path: { id: webhookId } }, signal })),
    [webhookId],
  );
  const deliveries = usePagedList(
    (cursor, signal) =>
      data(
        api.GET('/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { limit: 20, cursor } },
          signal,
        }),
      ),
    [webhookId],
  );
  const [notice, setNotice] = useState<string>();
  const remove = useAction(async () => {
    await data(api.DELETE('/v1/webhooks/{id}', { params: { path: { id: webhookId } } }));
    navigate('/organizer/webhooks');
  });
  const [confirmDelete, setConfirmDelete] = useState(false);

  const w = webhook.data;
  return (
    <section className="page stack">
      <p className="breadcrumb">
        <Link to="/organizer">Your events</Link> › <Link to="/organizer/webhooks">Webhooks</Link>
      </p>
      <h1>{w ? w.description || 'Webhook endpoint' : 'Webhook endpoint'}</h1>
      <ProblemAlert problem={webhook.problem} onRetry={webhook.reload} />
      {webhook.loading && !w && <Loading label="Loading the endpoint…" />}
      {w && (
        <div className="card stack">
          <dl className="details">
            <div>
              <dt>URL</dt>
              <dd className="url-text">{w.url}</dd>
            </div>
            <div>
              <dt>Status</dt>
              <dd>
                <WebhookStatus webhook={w} />
                {w.status === 'disabled' && (
                  <span>
                    {' '}
                    {w.disabledReason ?? 'After repeated failures.'} Redeliver a delivery once the receiver is fixed:
                    that enables it again.
                  </span>
                )}
              </dd>
            </div>
            <div>
              <dt>Events</dt>
              <dd>
                <ul className="tag-list">
                  {w.eventTypes.map((t) => (
                    <li key={t}>
                      <code>{t}</code>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            <div>
              <dt>Failures in a row</dt>
              <dd>{w.consecutiveFailures}</dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{formatDateTime(w.createdAt)}</dd>
            </div>
          </dl>
          <ProblemAlert problem={remove.problem} />
          {confirmDelete ? (
            <div className="confirm-panel stack" role="group" aria-label="Delete this endpoint?">
              <p>
                <strong>Delete this endpoint?</strong> Nothing more is sent to it, and this log is deleted too.
              </p>
              <div className="row">
                <button
                  type="button"
                  className="button button-danger"
                  disabled={remove.pending}
                  onClick={() => void remove.run()}
                >
                  {remove.pending ? 'Deleting…' : 'Delete endpoint'}
                </button>
                <button type="button" className="button button-secondary" onClick={() => setConfirmDelete(false)}>
                  Keep it
                </button>
              </div>
            </div>
          ) : (
            <div>
              <button type="button" className="button button-quiet danger-text" onClick={() => setConfirmDelete(true)}>
                Delete endpoint…
              </button>
            </div>
          )}
        </div>
      )}

      <section aria-labelledby="deliveries-title" className="stack">
        <div className="title-row">
          <h2 id="deliveries-title">Deliveries</h2>
          <button
            type="button"
            className="button button-secondary"
            onClick={deliveries.reset}
            disabled={deliveries.loading}
          >
            Refresh
          </button>
        </div>
        <p className="muted">
          Newest first. A failed delivery is retried with growing pauses before it is marked failed.
        </p>
        <div aria-live="polite">{notice && <p className="alert alert-ok">{notice}</p>}</div>
        <ProblemAlert problem={deliveries.problem} onRetry={deliveries.items.length ? undefined : deliveries.reset} />
        {deliveries.loading ? (
          <Loading label="Loading deliveries…" />
        ) : deliveries.items.length === 0 && !deliveries.problem ? (
          <EmptyState>Nothing delivered yet. Deliveries appear here as things happen at your events.</EmptyState>
        ) : (
          <ul className="delivery-list">
            {deliveries.items.map((delivery) => (
              <DeliveryRow
                key={delivery.id}
                delivery={delivery}
                onRedelivered={(updated) => {
                  deliveries.setItems((items) => items.map((d) => (d.id === updated.id ? updated : d)));
                  setNotice(`Delivery ${updated.id.slice(0, 8)} is being sent again.`);
                  if (webhook.data?.status === 'disabled') webhook.reload();
                }}
              />
            ))}
          </ul>
        )}
        {deliveries.nextCursor && (
          <button
            type="button"
            className="button button-secondary"
            disabled={deliveries.loadingMore}
            onClick={() => void deliveries.loadMore()}
          >
            {deliveries.loadingMore ? 'Loading…' : 'Load older deliveries'}
          </button>
        )}
      </section>
    </section>
  );
}

function DeliveryRow({ delivery, onRedelivered }: { delivery: Delivery; onRedelivered(d: Delivery): void }) {
  const [open, setOpen] = useState(false);
  const redeliver = useAction(async () =>
    onRedelivered(
      await data(
        api.POST('/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: delivery.webhookId, deliveryId: delivery.id } },
        }),
      ),
    ),
  );
  const badge = DELIVERY_BADGE[delivery.status];
  const lastAttempt = delivery.attempts[delivery.attempts.length - 1];
  const attemptsId = `attempts-${delivery.id}`;

  return (
    <li className="card delivery-row stack">
      <div className="title-row">
        <div>
          <code>{delivery.eventType}</code> <span className={badge.className}>{badge.label}</span>
        </div>
        <time className="muted small" dateTime={delivery.createdAt} title={formatDateTime(delivery.createdAt)}>
          {formatRelative(delivery.createdAt)}
        </time>
      </div>
      <p className="small">
        {delivery.attempts.length} attempt{delivery.attempts.length === 1 ? '' : 's'}
        {lastAttempt && ` · last: ${attemptOutcome(lastAttempt)}`}
        {delivery.status === 'pending' &&
          delivery.nextAttemptAt &&
          ` · next try ${formatRelative(delivery.nextAttemptAt)}`}
      </p>
      <p className="muted small">
        Delivery id <code>{delivery.id}</code> · event id <code>{delivery.eventId}</code>
      </p>
      <ProblemAlert problem={redeliver.problem} />
      <div className="row">
        {delivery.attempts.length > 0 && (
          <button
            type="button"
            className="button button-quiet"
            aria-expanded={open}
            aria-controls={attemptsId}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide attempts' : `Show attempts (${delivery.attempts.length})`}
          </button>
        )}
        <button
          type="button"
          className="button button-secondary"
          disabled={redeliver.pending}
          onClick={() => void redeliver.run()}
        >
          {redeliver.pending ? 'Sending…' : 'Redeliver'}
        </button>
      </div>
      {open && (
        <div id={attemptsId} className="table-scroll" role="region" aria-label="Attempts" tabIndex={0}>
          <table>
            <caption className="visually-hidden">Attempts of delivery {delivery.id}, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Response</th>
                <th scope="col">Error</th>
                <th scope="col">Took</th>
              </tr>
            </thead>
            <tbody>
              {delivery.attempts.map((attempt, i) => (
                <tr key={`${attempt.at}-${i}`}>
                  <td>
                    <time dateTime={attempt.at}>{formatDateTime(attempt.at)}</time>
                  </td>
                  <td>{attempt.statusCode ?? 'No response'}</td>
                  <td>{attempt.error ?? '—'}</td>
                  <td>{attempt.durationMs} ms</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

function attemptOutcome(attempt: Schemas['WebhookAttemptResponse']): string {
  if (attempt.statusCode !== undefined) {
    const ok = attempt.statusCode >= 200 && attempt.statusCode < 300;
    return `HTTP ${attempt.statusCode}${ok ? ' (ok)' : ''}${attempt.error ? `, ${attempt.error}` : ''}`;
  }
  return attempt.error ?? 'no response';
}
