// Publish and cancel, on the dashboard and in the editor: each offered only when the event's state
// allows it, cancelling only after a second, explicit step with the reason everyone will be told.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, data, type EventView } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { ProblemAlert, TextAreaField } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/use-api';
import { hasEnded } from './organizer-common';

interface Props {
  event: EventView;
  onChange(event: EventView): void;
  /** Why publishing must wait (e.g. unsaved edits), shown next to the disabled button. */
  publishBlockedBy?: string;
}

export function EventActions({ event, onChange, publishBlockedBy }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [missingReason, setMissingReason] = useState(false);
  const [done, setDone] = useState<string>();
  const reasonBox = useRef<HTMLDivElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const ended = hasEnded(event);

  const publish = useAction(async () => {
    const published = await data(api.POST('/v1/events/{id}/publish', { params: { path: { id: event.id } } }));
    onChange(published);
    setDone('Published: the event is visible and open for registration.');
  });
  const cancel = useAction(async (why: string) => {
    setMissingReason(!why);
    if (!why) return;
    const cancelled = await data(
      api.POST('/v1/events/{id}/cancel', { params: { path: { id: event.id } }, body: { reason: why } }),
    );
    onChange(cancelled);
    setConfirming(false);
    setDone('Cancelled: every registration has ended and everyone registered is being told.');
  });

  useEffect(() => {
    if (confirming) reasonBox.current?.querySelector('textarea')?.focus();
  }, [confirming]);

  const closeConfirm = () => {
    setConfirming(false);
    cancel.clearProblem();
    cancelButton.current?.focus();
  };

  const submitCancel = (e: FormEvent) => {
    e.preventDefault();
    void cancel.run(reason.trim());
  };
  const reasonProblem =
    cancel.problem ??
    (missingReason
      ? new ApiProblem({
          type: 'about:blank',
          title: 'Give a reason',
          status: 400,
          detail: '',
          code: 'VALIDATION_FAILED',
          errors: [{ field: 'reason', message: 'Give a reason: everyone registered receives it.' }],
        })
      : undefined);

  if (event.status === 'cancelled') {
    return (
      <div className="stack">
        {done && (
          <p className="alert alert-ok" role="status">
            {done}
          </p>
        )}
        <div className="alert alert-error">
          <strong>This event is cancelled</strong>
          <p>
            {event.cancelledAt ? `Cancelled ${formatDateTime(event.cancelledAt)}. ` : ''}
            {event.cancellationReason ? `Reason given: “${event.cancellationReason}”` : ''}
          </p>
        </div>
      </div>
    );
  }

  return (
    <section className="event-actions stack" aria-labelledby="event-actions-title">
      <h2 id="event-actions-title" className="visually-hidden">
        Publish or cancel
      </h2>
      {done && (
        <p className="alert alert-ok" role="status">
          {done}
        </p>
      )}
      <ProblemAlert problem={publish.problem} />
      <div className="row">
        {event.status === 'draft' && (
          <button
            type="button"
            className="button"
            disabled={publish.pending || ended || !!publishBlockedBy}
            aria-describedby={publishBlockedBy || ended ? 'publish-blocked' : undefined}
            onClick={() => {
              setDone(undefined);
              void publish.run();
            }}
          >
            {publish.pending ? 'Publishing…' : 'Publish'}
          </button>
        )}
        {!ended && !confirming && (
          <button
            ref={cancelButton}
            type="button"
            className="button button-secondary danger-outline"
            onClick={() => {
              setDone(undefined);
              setConfirming(true);
            }}
          >
            Cancel event
          </button>
        )}
      </div>
      {event.status === 'draft' && (publishBlockedBy || ended) && (
        <p id="publish-blocked" className="field-hint">
          {ended ? 'This event has already ended: it can no longer be published.' : publishBlockedBy}
        </p>
      )}
      {ended && event.status === 'published' && (
        <p className="muted">This event has ended: it can no longer be changed or cancelled.</p>
      )}
      {confirming && (
        <form className="card confirm-panel stack" onSubmit={submitCancel} aria-labelledby="cancel-title" noValidate>
          <h3 id="cancel-title">Cancel “{event.title}”?</h3>
          <p>
            {event.status === 'published'
              ? `Every registration ends${
                  event.confirmedCount || event.waitlistedCount
                    ? ` (${event.confirmedCount ?? 0} confirmed, ${event.waitlistedCount ?? 0} waitlisted)`
                    : ''
                } and everyone registered is told why. This cannot be undone.`
              : 'The draft is closed for good. This cannot be undone.'}
          </p>
          <div ref={reasonBox}>
            <TextAreaField
              label="Reason for cancelling"
              name="reason"
              problem={reasonProblem}
              hint="Sent to everyone registered. Up to 500 characters."
              maxLength={500}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <ProblemAlert problem={cancel.problem} />
          <div className="row">
            <button type="submit" className="button button-danger" disabled={cancel.pending}>
              {cancel.pending ? 'Cancelling…' : 'Cancel the event'}
            </button>
            <button type="button" className="button button-secondary" onClick={closeConfirm}>
              Keep the event
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
