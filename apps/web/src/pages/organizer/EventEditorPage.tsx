// Create an event (as a draft) or change one. Times are typed as wall time in the event's own time
// zone; a change sends only the fields that changed; refusals (a capacity below the confirmed count,
// a cancelled or ended event) are explained next to what caused them.
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, data, type EventView, type Schemas } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { Loading, ProblemAlert, SelectField, TextAreaField, TextField } from '../../components/ui';
import { useAction } from '../../lib/use-api';
import { useSession } from '../../session/session';
import { EventActions } from './EventActions';
import {
  CATEGORIES,
  checkForm,
  createBody,
  emptyForm,
  formOf,
  updateBody,
  type Category,
  type EventForm,
  type Visibility,
} from './event-form';
import { EventPageHeading, EventSubnav, hasEnded, NotOrganizer, useEvent } from './organizer-common';
import { browserTimeZone, describeInZone, timeZoneChoices, zonedToIso } from './zoned-time';
import './organizer.css';

export function EventEditorPage() {
  const { eventId } = useParams();
  const { isOrganizer, isAdmin } = useSession();
  if (!isOrganizer && !isAdmin) return <NotOrganizer title={eventId ? 'Edit event' : 'New event'} />;
  return eventId ? <EditEvent eventId={eventId} /> : <NewEvent />;
}

function NewEvent() {
  const navigate = useNavigate();
  const [form, setForm] = useState<EventForm>(emptyForm);
  const save = useAction(async (checked: EventForm) => {
    assertComplete(checked);
    const created = await data(api.POST('/v1/events', { body: createBody(checked) }));
    navigate(`/organizer/events/${created.id}`, {
      state: { notice: 'Draft created. Check it over, then publish it to open registration.' },
    });
  });
  return (
    <section className="page editor">
      <p className="breadcrumb">
        <Link to="/organizer">Your events</Link>
      </p>
      <h1>New event</h1>
      <p className="muted">It starts as a draft: nobody sees it until you publish it.</p>
      <EventFormView
        form={form}
        onChange={setForm}
        problem={save.problem}
        pending={save.pending}
        submitLabel="Create draft"
        pendingLabel="Creating…"
        suggestEnd
        onSubmit={() => void save.run(form)}
      />
    </section>
  );
}

function EditEvent({ eventId }: { eventId: string }) {
  const loaded = useEvent(eventId);
  const event = loaded.data;
  if (loaded.loading && !event) return <Loading label="Loading the event…" />;
  if (!event)
    return (
      <section className="page">
        <h1>Edit event</h1>
        <ProblemAlert problem={loaded.problem} onRetry={loaded.reload} />
      </section>
    );
  return <EditLoadedEvent key={event.id} event={event} onEvent={loaded.setData} />;
}

function EditLoadedEvent({ event, onEvent }: { event: EventView; onEvent(event: EventView): void }) {
  const initial = useMemo(() => formOf(event), [event]);
  const [form, setForm] = useState<EventForm>(initial);
  const [saved, setSaved] = useState<string>();
  const changes = useMemo(() => updateBody(initial, form), [initial, form]);
  const dirty = Object.keys(changes).length > 0;
  const locked =
    event.status === 'cancelled'
      ? 'This event is cancelled: it can no longer be changed.'
      : hasEnded(event)
        ? 'This event has ended: it can no longer be changed.'
        : undefined;

  const save = useAction(async () => {
    assertComplete(form);
    const updated = await data(
      api.PATCH('/v1/events/{id}', {
        params: { path: { id: event.id } },
        body: changes as Schemas['UpdateEventDto'],
      }),
    );
    onEvent(updated);
    setSaved(
      updated.status === 'published'
        ? 'Changes saved. Registered attendees are told about changes that matter to them.'
        : 'Changes saved.',
    );
  });

  // A new event object (saved, published or cancelled here) is the new baseline for "what changed",
  // and the last save's refusal no longer applies.
  const clearSaveProblem = save.clearProblem;
  useEffect(() => {
    setForm(formOf(event));
    clearSaveProblem();
  }, [event]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section className="page editor">
      <EventPageHeading event={event} heading={`Edit “${event.title}”`} crumb={false} />
      <EventSubnav eventId={event.id} />
      <EventActions
        event={event}
        onChange={onEvent}
        publishBlockedBy={dirty ? 'Save your changes first: publishing publishes the saved event.' : undefined}
      />
      {saved && !dirty && (
        <p className="alert alert-ok" role="status">
          {saved}
        </p>
      )}
      {locked && <p className="alert alert-info">{locked}</p>}
      <EventFormView
        form={form}
        onChange={(next) => {
          setSaved(undefined);
          setForm(next);
        }}
        problem={explainCapacity(save.problem)}
        pending={save.pending}
        disabled={!!locked}
        submitLabel="Save changes"
        pendingLabel="Saving…"
        submitDisabled={!dirty}
        submitHint={dirty ? undefined : 'No changes to save yet.'}
        onSubmit={() => void save.run()}
        published={event.status === 'published'}
        confirmedCount={event.confirmedCount}
      />
    </section>
  );
}

/** Fields left empty are said before anything is sent, in the same form as the API's field errors. */
function assertComplete(form: EventForm): void {
  const errors = checkForm(form);
  if (errors.length === 0) return;
  throw new ApiProblem({
    type: 'about:blank',
    title: errors.length === 1 ? 'One field needs your attention' : `${errors.length} fields need your attention`,
    status: 400,
    detail: '',
    code: 'VALIDATION_FAILED',
    errors,
  });
}

/** 409 CAPACITY_BELOW_CONFIRMED carries no field list: say it next to the capacity input too. */
function explainCapacity(problem: ApiProblem | undefined): ApiProblem | undefined {
  if (problem?.code !== 'CAPACITY_BELOW_CONFIRMED') return problem;
  const confirmed = (problem.problem as { confirmed?: number }).confirmed;
  const message =
    confirmed === undefined
      ? 'Capacity cannot go below the number of confirmed attendees.'
      : `${confirmed} ${confirmed === 1 ? 'person is' : 'people are'} already confirmed: capacity cannot go below ${confirmed}.`;
  return new ApiProblem({ ...problem.problem, errors: [{ field: 'capacity', message }] });
}

interface FormViewProps {
  form: EventForm;
  onChange(form: EventForm): void;
  onSubmit(): void;
  problem: ApiProblem | undefined;
  pending: boolean;
  submitLabel: string;
  pendingLabel: string;
  disabled?: boolean;
  submitDisabled?: boolean;
  submitHint?: string;
  published?: boolean;
  confirmedCount?: number;
  /** Fill the end in two hours after the start while it is unset (a new event). */
  suggestEnd?: boolean;
}

function EventFormView(props: FormViewProps) {
  const { form, onChange, problem, disabled } = props;
  const set = <K extends keyof EventForm>(key: K, value: EventForm[K]) => onChange({ ...form, [key]: value });
  const zones = useMemo(() => timeZoneChoices(form.timezone), [form.timezone]);
  const venueProblem = problem?.problem.errors?.find((e) => e.field === 'venue')?.message;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSubmit();
  };

  return (
    <form className="event-form" onSubmit={submit} noValidate>
      <ProblemAlert problem={problem} />
      <fieldset disabled={disabled}>
        <legend>About</legend>
        <TextField
          label="Title"
          name="title"
          problem={problem}
          maxLength={200}
          value={form.title}
          onChange={(e) => set('title', e.target.value)}
        />
        <TextAreaField
          label="Description"
          name="description"
          problem={problem}
          hint="Plain text or Markdown, up to 10,000 characters."
          maxLength={10_000}
          rows={6}
          value={form.description}
          onChange={(e) => set('description', e.target.value)}
        />
        <div className="form-grid">
          <SelectField
            label="Category"
            name="category"
            problem={problem}
            value={form.category}
            onChange={(e) => set('category', e.target.value as Category)}
          >
            {form.category === '' && <option value="">Choose a category…</option>}
            {Object.entries(CATEGORIES).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Tags"
            name="tags"
            problem={problem}
            hint="Separated by commas, up to 10 (e.g. nestjs, typescript)."
            value={form.tags}
            onChange={(e) => set('tags', e.target.value)}
          />
        </div>
      </fieldset>

      <fieldset disabled={disabled}>
        <legend>When</legend>
        <SelectField
          label="Time zone"
          name="timezone"
          problem={problem}
          hint="Where the event takes place. Start and end are wall-clock times there."
          value={form.timezone}
          onChange={(e) => set('timezone', e.target.value)}
        >
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll('_', ' ')}
            </option>
          ))}
        </SelectField>
        <div className="form-grid">
          <TextField
            label="Starts"
            name="startsAt"
            type="datetime-local"
            problem={problem}
            hint={<TimeHint local={form.startsAt} timeZone={form.timezone} />}
            value={form.startsAt}
            onChange={(e) => {
              const startsAt = e.target.value;
              // A new event's end follows its start until it is set: one less field to fix.
              const endsAt = !form.endsAt || form.endsAt <= form.startsAt ? addHours(startsAt, 2) : form.endsAt;
              onChange({ ...form, startsAt, endsAt: props.suggestEnd ? endsAt : form.endsAt });
            }}
          />
          <TextField
            label="Ends"
            name="endsAt"
            type="datetime-local"
            problem={problem}
            min={form.startsAt || undefined}
            hint={<TimeHint local={form.endsAt} timeZone={form.timezone} />}
            value={form.endsAt}
            onChange={(e) => set('endsAt', e.target.value)}
          />
        </div>
      </fieldset>

      <fieldset disabled={disabled} aria-describedby={venueProblem ? 'where-error' : undefined}>
        <legend>Where</legend>
        <div className="choice-row">
          <label className="choice">
            <input
              type="radio"
              name="where"
              value="venue"
              checked={form.where === 'venue'}
              onChange={() => set('where', 'venue')}
            />
            At a venue
          </label>
          <label className="choice">
            <input
              type="radio"
              name="where"
              value="online"
              checked={form.where === 'online'}
              onChange={() => set('where', 'online')}
            />
            Online
          </label>
        </div>
        {venueProblem && (
          <p className="field-error" id="where-error">
            {venueProblem}
          </p>
        )}
        {form.where === 'venue' ? (
          <>
            <div className="form-grid">
              <TextField
                label="Venue name"
                name="venue.name"
                problem={problem}
                maxLength={200}
                value={form.venueName}
                onChange={(e) => set('venueName', e.target.value)}
              />
              <TextField
                label="Address"
                name="venue.address"
                problem={problem}
                maxLength={500}
                autoComplete="street-address"
                value={form.venueAddress}
                onChange={(e) => set('venueAddress', e.target.value)}
              />
            </div>
            <div className="form-grid">
              <TextField
                label="Latitude (optional)"
                name="venue.lat"
                problem={problem}
                inputMode="decimal"
                hint="For the map, e.g. 48.8771"
                value={form.venueLat}
                onChange={(e) => set('venueLat', e.target.value)}
              />
              <TextField
                label="Longitude (optional)"
                name="venue.lng"
                problem={problem}
                inputMode="decimal"
                hint="e.g. 2.3009"
                value={form.venueLng}
                onChange={(e) => set('venueLng', e.target.value)}
              />
            </div>
          </>
        ) : (
          <TextField
            label="Online URL"
            name="onlineUrl"
            type="url"
            problem={problem}
            hint="Where attendees join, e.g. https://meet.example.com/your-room"
            maxLength={2048}
            value={form.onlineUrl}
            onChange={(e) => set('onlineUrl', e.target.value)}
          />
        )}
      </fieldset>

      <fieldset disabled={disabled}>
        <legend>Seats and visibility</legend>
        <div className="form-grid">
          <TextField
            label="Capacity"
            name="capacity"
            type="number"
            inputMode="numeric"
            min={1}
            max={1_000_000}
            step={1}
            problem={problem}
            hint={
              props.published && props.confirmedCount !== undefined
                ? `Seats in total. ${props.confirmedCount} confirmed so far: it cannot go below that; raising it lets waitlisted people in.`
                : 'Seats in total.'
            }
            value={form.capacity}
            onChange={(e) => set('capacity', e.target.value)}
          />
          <SelectField
            label="Visibility"
            name="visibility"
            problem={problem}
            hint={
              form.visibility === 'public'
                ? 'Listed in search once published.'
                : 'Not listed: only people with the link find it.'
            }
            value={form.visibility}
            onChange={(e) => set('visibility', e.target.value as Visibility)}
          >
            <option value="public">Public</option>
            <option value="unlisted">Unlisted</option>
          </SelectField>
        </div>
        <div className="field checkbox-field">
          <label className="choice">
            <input
              type="checkbox"
              name="waitlistEnabled"
              checked={form.waitlistEnabled}
              aria-describedby="waitlist-hint"
              onChange={(e) => set('waitlistEnabled', e.target.checked)}
            />
            Waitlist when full
          </label>
          <p className="field-hint" id="waitlist-hint">
            People who register once every seat is taken wait in line and get a seat, in order, when one frees up.
          </p>
        </div>
      </fieldset>

      {!disabled && (
        <div className="form-actions">
          <button
            type="submit"
            className="button"
            disabled={props.pending || props.submitDisabled}
            aria-describedby={props.submitHint ? 'submit-hint' : undefined}
          >
            {props.pending ? props.pendingLabel : props.submitLabel}
          </button>
          {props.submitHint && (
            <span id="submit-hint" className="muted">
              {props.submitHint}
            </span>
          )}
        </div>
      )}
    </form>
  );
}

/** Under a time input: what was understood, in the viewer's own zone when it differs. */
function TimeHint({ local, timeZone }: { local: string; timeZone: string }): ReactNode {
  const zone = timeZone.replaceAll('_', ' ');
  const zoned = local ? zonedToIso(local, timeZone) : undefined;
  if (!zoned) return `Wall-clock time in ${zone}.`;
  const mine = browserTimeZone();
  const parts: string[] = [];
  if (zoned.adjustedTo)
    parts.push(`That time is skipped by a clock change there: it means ${zoned.adjustedTo.replace('T', ' ')}.`);
  parts.push(`Wall-clock time in ${zone}.`);
  if (mine !== timeZone)
    parts.push(`Where you are (${mine.replaceAll('_', ' ')}): ${describeInZone(zoned.iso, mine)}.`);
  return parts.join(' ');
}

/** `datetime-local` plus some hours, as wall time (good enough for a suggested end). */
function addHours(local: string, hours: number): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return '';
  const [y, mo, d, h, mi] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h + hours, mi));
  return date.toISOString().slice(0, 16);
}
