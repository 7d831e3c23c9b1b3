// Who may check people in at the door: added by the email of their Convene account, removed in one
// click (adding them again is as easy).
import { useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { api, data, type Schemas } from '../../api/client';
import { EmptyState, Loading, ProblemAlert, TextField } from '../../components/ui';
import { useAction, useApi } from '../../lib/use-api';
import { useSession } from '../../session/session';
import { EventPageHeading, EventSubnav, hasEnded, NotOrganizer, useEvent } from './organizer-common';
import './organizer.css';

type StaffMember = Schemas['StaffMemberResponse'];

export function StaffPage() {
  const { eventId = '' } = useParams();
  const { isOrganizer, isAdmin } = useSession();
  if (!isOrganizer && !isAdmin) return <NotOrganizer title="Check-in staff" />;
  return <Staff eventId={eventId} />;
}

function Staff({ eventId }: { eventId: string }) {
  const event = useEvent(eventId);
  const staff = useApi(
    (signal) => data(api.GET('/v1/events/{id}/staff', { params: { path: { id: eventId } }, signal })),
    [eventId],
  );
  const [email, setEmail] = useState('');
  const [notice, setNotice] = useState<string>();
  const emailField = useRef<HTMLDivElement>(null);

  const add = useAction(async (address: string) => {
    const member = await data(
      api.POST('/v1/events/{id}/staff', { params: { path: { id: eventId } }, body: { email: address } }),
    );
    staff.setData((current) => ({
      items: [...(current?.items ?? []).filter((m) => m.userId !== member.userId), member],
    }));
    setEmail('');
    setNotice(`${member.displayName} (${member.email}) can now check people in at the door.`);
    return member;
  });
  const remove = useAction(async (member: StaffMember) => {
    await data(
      api.DELETE('/v1/events/{id}/staff/{userId}', { params: { path: { id: eventId, userId: member.userId } } }),
    );
    staff.setData((current) => ({ items: (current?.items ?? []).filter((m) => m.userId !== member.userId) }));
    setNotice(`${member.displayName} is no longer check-in staff.`);
    // The row and its button are gone: keep the keyboard in the form rather than at the top of the page.
    emailField.current?.querySelector('input')?.focus();
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNotice(undefined);
    void add.run(email.trim());
  };

  const title = event.data?.title;
  const closed = event.data
    ? event.data.status === 'cancelled'
      ? 'This event is cancelled: staff can no longer be added.'
      : hasEnded(event.data)
        ? 'This event has ended: staff can no longer be added.'
        : undefined
    : undefined;
  const doorUrl = `${window.location.origin}/door/${eventId}`;

  return (
    <section className="page stack">
      <EventPageHeading event={event.data} heading={`Check-in staff${title ? ` for “${title}”` : ''}`} />
      <EventSubnav eventId={eventId} />
      <p>
        Staff check tickets at the door with their own Convene account, on the check-in page{' '}
        <a href={`/door/${eventId}`}>{doorUrl}</a>. They see the attendee list of this event, nothing else.
      </p>

      <div aria-live="polite">{notice && <p className="alert alert-ok">{notice}</p>}</div>

      {closed ? (
        <p className="alert alert-info">{closed}</p>
      ) : (
        <form className="card stack" onSubmit={submit} noValidate aria-labelledby="add-staff-title">
          <h2 id="add-staff-title">Add a staff member</h2>
          <div ref={emailField}>
            <TextField
              label="Email"
              name="email"
              type="email"
              autoComplete="off"
              problem={add.problem}
              hint="The email they sign in to Convene with. No account yet? Ask them to sign up first."
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          {add.problem && add.problem.code === 'USER_NOT_FOUND' ? (
            <div className="alert alert-error" role="alert">
              <strong>No Convene account uses {email.trim() || 'this email'}.</strong>
              <p>Check the spelling, or ask them to sign up first and then add them again.</p>
            </div>
          ) : (
            add.problem && !add.problem.fieldError('email') && <ProblemAlert problem={add.problem} />
          )}
          <div>
            <button type="submit" className="button" disabled={add.pending}>
              {add.pending ? 'Adding…' : 'Add staff'}
            </button>
          </div>
        </form>
      )}

      <section aria-labelledby="staff-list-title" className="stack">
        <h2 id="staff-list-title">Current staff</h2>
        <ProblemAlert problem={remove.problem} />
        <ProblemAlert problem={staff.problem} onRetry={staff.reload} />
        {staff.loading && !staff.data ? (
          <Loading label="Loading staff…" />
        ) : staff.data && staff.data.items.length === 0 ? (
          <EmptyState>No staff yet: only you can check people in.</EmptyState>
        ) : (
          staff.data && (
            <ul className="staff-list">
              {staff.data.items.map((member) => (
                <li key={member.userId} className="card staff-row">
                  <div>
                    <strong>{member.displayName}</strong>
                    <br />
                    <span className="muted">{member.email}</span>
                  </div>
                  <button
                    type="button"
                    className="button button-secondary"
                    disabled={remove.pending}
                    onClick={() => {
                      setNotice(undefined);
                      void remove.run(member);
                    }}
                  >
                    Remove<span className="visually-hidden"> {member.displayName}</span>
                  </button>
                </li>
              ))}
            </ul>
          )
        )}
      </section>
    </section>
  );
}
