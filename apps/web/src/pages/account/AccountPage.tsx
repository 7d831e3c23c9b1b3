import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, data, type Schemas } from '../../api/client';
import { asProblem, type ApiProblem } from '../../api/problem';
import { Loading, ProblemAlert, TextField } from '../../components/ui';
import { formatDateTime } from '../../lib/format';
import { useAction, useApi } from '../../lib/use-api';
import { useSession } from '../../session/session';
import './account.css';

export function AccountPage() {
  const me = useApi((signal) => data(api.GET('/v1/me', { signal })), []);

  return (
    <section className="page acct-page">
      <h1>Your account</h1>
      {me.loading && !me.data && <Loading label="Loading your account…" />}
      <ProblemAlert problem={me.problem} onRetry={me.reload} />
      {me.data && (
        <div className="acct-sections">
          <ProfileSection user={me.data} onSaved={(user) => me.setData(user)} />
          <OrganizerSection />
          <PreferencesSection />
          <DeleteSection email={me.data.email} />
        </div>
      )}
    </section>
  );
}

type UserView = Schemas['UserResponse'];

function ProfileSection({ user, onSaved }: { user: UserView; onSaved(user: UserView): void }) {
  const { renew } = useSession();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [saved, setSaved] = useState(false);
  const [copied, setCopied] = useState('');
  const save = useAction(
    useCallback(
      async (name: string) => {
        const updated = await data(api.PATCH('/v1/me', { body: { displayName: name } }));
        onSaved(updated);
        setDisplayName(updated.displayName);
        // The header shows the name from the session: a new token pair carries the new one.
        await renew().catch(() => undefined);
        return updated;
      },
      [onSaved, renew],
    ),
  );

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (await save.run(displayName)) setSaved(true);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(user.id);
      setCopied('User id copied.');
    } catch {
      setCopied('Copying is not available here: select the id and copy it.');
    }
  };

  return (
    <section className="card acct-section" aria-labelledby="acct-profile">
      <h2 id="acct-profile">Profile</h2>
      <form onSubmit={submit} noValidate>
        <ProblemAlert problem={save.problem} />
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="name"
          maxLength={80}
          value={displayName}
          onChange={(e) => {
            setDisplayName(e.target.value);
            setSaved(false);
          }}
          problem={save.problem}
          hint="Shown to organizers, on new tickets and on your reviews."
        />
        <div className="row">
          <button type="submit" className="button" disabled={save.pending || displayName.trim() === user.displayName}>
            {save.pending ? 'Saving…' : 'Save name'}
          </button>
          <p role="status" className="acct-status">
            {saved && 'Your name was saved.'}
          </p>
        </div>
      </form>
      <dl className="acct-facts">
        <div>
          <dt>Email</dt>
          <dd>{user.email}</dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>{formatDateTime(user.createdAt)}</dd>
        </div>
        <div>
          <dt>Your user id</dt>
          <dd className="acct-user-id">
            <code data-testid="user-id">{user.id}</code>
            <button type="button" className="button button-secondary" onClick={() => void copy()}>
              Copy user id
            </button>
          </dd>
        </div>
      </dl>
      <p className="muted acct-note">Organizers ask for your user id to add you as check-in staff for their events.</p>
      <p role="status" className="acct-status">
        {copied}
      </p>
    </section>
  );
}

function OrganizerSection() {
  const { isOrganizer, renew } = useSession();
  const [becameOrganizer, setBecameOrganizer] = useState(false);
  const become = useAction(
    useCallback(async () => {
      await data(api.POST('/v1/me/organizer'));
      // The new role is in the next token pair; renewing shows the Organize area at once.
      await renew();
      setBecameOrganizer(true);
    }, [renew]),
  );

  return (
    <section className="card acct-section" aria-labelledby="acct-organizer">
      <h2 id="acct-organizer">Organizing</h2>
      <ProblemAlert problem={become.problem} />
      {isOrganizer ? (
        <div role="status">
          <p>
            {becameOrganizer ? 'You are an organizer now.' : 'You are an organizer.'} Create events, follow
            registrations live and manage your door staff.
          </p>
          <p className="row">
            <Link to="/organizer" className="button button-secondary">
              Go to Organize
            </Link>
            <Link to="/organizer/events/new" className="button">
              Create an event
            </Link>
          </p>
        </div>
      ) : (
        <>
          <p>Host your own events: create and publish them, see who registered, and check people in at the door.</p>
          <button type="button" className="button" disabled={become.pending} onClick={() => void become.run()}>
            {become.pending ? 'Setting up…' : 'Become an organizer'}
          </button>
        </>
      )}
    </section>
  );
}

type Preferences = Schemas['CategoryPreferencesResponse'];
type Category = keyof Preferences;
type Channel = keyof Schemas['ChannelSwitchesResponse'];

const CATEGORY_TEXT: Array<{ category: Category; label: string; about: string }> = [
  { category: 'registrations', label: 'Registrations', about: 'Confirmed, waitlisted, a seat opened up, cancelled.' },
  { category: 'event-updates', label: 'Event changes', about: 'An event you registered for moved or was cancelled.' },
  { category: 'reminders', label: 'Reminders', about: 'A day and an hour before your events start.' },
  { category: 'reviews', label: 'Reviews', about: 'New reviews of the events you organize.' },
  { category: 'announcements', label: 'Announcements', about: 'News from the organizers of your events.' },
  { category: 'account', label: 'Account', about: 'Welcome and account messages.' },
  { category: 'webhooks', label: 'Webhooks', about: 'For organizers: an endpoint stopped receiving events.' },
];

const CHANNELS: Array<{ channel: Channel; label: string }> = [
  { channel: 'inApp', label: 'In the app' },
  { channel: 'email', label: 'Email' },
];

function PreferencesSection() {
  const prefs = useApi((signal) => data(api.GET('/v1/me/notification-preferences', { signal })), []);
  const [pending, setPending] = useState<string>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [status, setStatus] = useState('');

  const toggle = async (category: Category, channel: Channel, label: string, on: boolean) => {
    const before = prefs.data;
    if (!before) return;
    setPending(`${category}.${channel}`);
    setProblem(undefined);
    setStatus('');
    // Shown at once; put back if the server refuses.
    prefs.setData({
      ...before,
      preferences: { ...before.preferences, [category]: { ...before.preferences[category], [channel]: on } },
    });
    try {
      const answer = await data(
        api.PUT('/v1/me/notification-preferences', { body: { preferences: { [category]: { [channel]: on } } } }),
      );
      prefs.setData(answer);
      setStatus(`Saved: ${label} ${on ? 'on' : 'off'}.`);
    } catch (error) {
      prefs.setData(before);
      setProblem(asProblem(error));
    } finally {
      setPending(undefined);
    }
  };

  return (
    <section className="card acct-section" aria-labelledby="acct-prefs">
      <h2 id="acct-prefs">Notifications</h2>
      <p className="muted">Choose what reaches you, and where. Changes are saved as you switch them.</p>
      {prefs.loading && !prefs.data && <Loading label="Loading your preferences…" />}
      <ProblemAlert problem={prefs.problem} onRetry={prefs.reload} />
      <ProblemAlert problem={problem} />
      {prefs.data && (
        <div className="table-scroll">
          <table className="acct-prefs">
            <caption className="visually-hidden">Notification preferences by kind and channel</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                {CHANNELS.map((c) => (
                  <th scope="col" key={c.channel}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {CATEGORY_TEXT.map(({ category, label, about }) => (
                <tr key={category}>
                  <th scope="row">
                    <span className="acct-pref-name">{label}</span>
                    <span className="acct-pref-about">{about}</span>
                  </th>
                  {CHANNELS.map((c) => {
                    const name = `${label}, ${c.label.toLowerCase()}`;
                    return (
                      <td key={c.channel}>
                        <Switch
                          label={name}
                          checked={prefs.data!.preferences[category][c.channel]}
                          disabled={pending === `${category}.${c.channel}`}
                          onChange={(on) => void toggle(category, c.channel, name, on)}
                        />
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p role="status" className="acct-status">
        {status}
      </p>
    </section>
  );
}

function Switch({
  label,
  checked,
  disabled,
  onChange,
}: {
  label: string;
  checked: boolean;
  disabled: boolean;
  onChange(on: boolean): void;
}) {
  const id = useId();
  return (
    <span className="acct-switch-control">
      <input
        id={id}
        type="checkbox"
        role="switch"
        className="acct-switch-input"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label htmlFor={id} className="acct-switch-label">
        <span className="acct-switch-track" aria-hidden="true" />
        <span className="acct-switch-state" aria-hidden="true">
          {checked ? 'On' : 'Off'}
        </span>
        <span className="visually-hidden">{label}</span>
      </label>
    </span>
  );
}

function DeleteSection({ email }: { email: string }) {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  // Signing out while this signed-in-only page is still shown would send it to the sign-in form: leave
  // first, and end the session once the page is gone.
  const deleted = useRef(false);
  useEffect(
    () => () => {
      if (deleted.current) void signOut();
    },
    [signOut],
  );
  const remove = useAction(
    useCallback(async () => {
      await data(api.DELETE('/v1/me'));
      deleted.current = true;
      await navigate('/', { replace: true, state: { notice: 'Your account and your personal data were deleted.' } });
    }, [navigate]),
  );
  const matches = typed.trim().toLowerCase() === email.toLowerCase();

  return (
    <section className="card acct-section acct-danger" aria-labelledby="acct-delete">
      <h2 id="acct-delete">Delete your account</h2>
      <p>
        This erases your profile, registrations, tickets, reviews and notifications across Convene, and signs you out
        everywhere. It cannot be undone.
      </p>
      {!confirming ? (
        <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
          Delete my account…
        </button>
      ) : (
        <form
          className="acct-confirm"
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) void remove.run();
          }}
        >
          <ProblemAlert problem={remove.problem} />
          <TextField
            label={`Type your email (${email}) to confirm`}
            name="confirmEmail"
            type="email"
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoFocus
          />
          <div className="row">
            <button type="submit" className="button button-danger" disabled={!matches || remove.pending}>
              {remove.pending ? 'Deleting…' : 'Delete account permanently'}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setConfirming(false);
                setTyped('');
                remove.clearProblem();
              }}
            >
              Keep my account
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
