import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiProblem } from '../../api/problem';
import { ProblemAlert, TextField } from '../../components/ui';
import { useAction } from '../../lib/use-api';
import { useSession } from '../../session/session';
import './account.css';

/** Where to go after signing in: only a path on this site (`?next=//evil.example` is not one). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?next=${encodeURIComponent(next)}`;
}

type FieldError = { field: string; message: string };

/**
 * Empty fields and a short password are answered here, in the shape of the API's 400 problem so the
 * form shows them the same way; everything else (formats, common passwords, taken emails) the API decides.
 */
function localProblem(errors: Array<FieldError | false>): ApiProblem | undefined {
  const found = errors.filter((e): e is FieldError => e !== false);
  if (found.length === 0) return undefined;
  return new ApiProblem({
    type: 'about:blank',
    title: 'Please check the highlighted fields',
    status: 400,
    detail: '',
    code: 'VALIDATION_FAILED',
    errors: found,
  });
}

export function SignInPage() {
  const { user, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(useCallback((e: string, p: string) => signIn(e, p), [signIn]));
  const [local, setLocal] = useState<ApiProblem>();
  const problem = local ?? action.problem;

  // Signed in (here or in another tab): on to where they were going.
  useEffect(() => {
    if (user) navigate(next, { replace: true });
  }, [user, next, navigate]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = localProblem([
      !email.trim() && { field: 'email', message: 'Enter your email address.' },
      !password && { field: 'password', message: 'Enter your password.' },
    ]);
    setLocal(invalid);
    if (!invalid) void action.run(email.trim(), password);
  };

  return (
    <section className="page narrow">
      <h1>Sign in</h1>
      <form className="card acct-form" onSubmit={submit} noValidate>
        <ProblemAlert problem={problem} />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          problem={problem}
        />
        <PasswordField
          label="Password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          problem={problem}
        />
        <button type="submit" className="button acct-submit" disabled={action.pending}>
          {action.pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="acct-alt">
        New to Convene? <Link to={withNext('/signup', next)}>Create an account</Link>
      </p>
    </section>
  );
}

export function SignUpPage() {
  const { user, signUp } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction(useCallback((n: string, e: string, p: string) => signUp(n, e, p), [signUp]));
  const [local, setLocal] = useState<ApiProblem>();
  const problem = local ?? action.problem;
  const emailTaken = problem?.code === 'EMAIL_TAKEN';

  useEffect(() => {
    if (user) navigate(next, { replace: true });
  }, [user, next, navigate]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const invalid = localProblem([
      !displayName.trim() && { field: 'displayName', message: 'Enter the name to show on your tickets.' },
      !email.trim() && { field: 'email', message: 'Enter your email address.' },
      [...password].length < 8 && {
        field: 'password',
        message: password ? 'Use at least 8 characters.' : 'Choose a password.',
      },
    ]);
    setLocal(invalid);
    if (!invalid) void action.run(displayName, email.trim(), password);
  };

  return (
    <section className="page narrow">
      <h1>Create your account</h1>
      <form className="card acct-form" onSubmit={submit} noValidate>
        {emailTaken ? (
          <div className="alert alert-error" role="alert">
            <strong>That email already has an account.</strong>
            <p>
              <Link to={withNext('/signin', next)}>Sign in instead</Link>, or use another email.
            </p>
          </div>
        ) : (
          <ProblemAlert problem={problem} />
        )}
        <TextField
          label="Display name"
          name="displayName"
          autoComplete="name"
          required
          maxLength={80}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          problem={problem}
          hint="Shown to organizers, on your ticket and on your reviews."
        />
        <TextField
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          problem={problem}
          aria-invalid={emailTaken || problem?.fieldError('email') ? true : undefined}
        />
        <PasswordField
          label="Password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          problem={problem}
          hint="8 to 128 characters. Not a common password, and not your email address. A few unrelated words make a strong one."
        />
        <button type="submit" className="button acct-submit" disabled={action.pending}>
          {action.pending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="acct-alt">
        Already have an account? <Link to={withNext('/signin', next)}>Sign in</Link>
      </p>
    </section>
  );
}

function PasswordField({
  label,
  autoComplete,
  value,
  onChange,
  problem,
  hint,
}: {
  label: string;
  autoComplete: string;
  value: string;
  onChange(value: string): void;
  problem: ApiProblem | undefined;
  hint?: string;
}) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="acct-password">
      <TextField
        label={label}
        name="password"
        type={visible ? 'text' : 'password'}
        autoComplete={autoComplete}
        required
        value={value}
        onChange={(e) => onChange(e.target.value)}
        problem={problem}
        hint={hint}
        spellCheck={false}
        autoCapitalize="off"
      />
      <label className="acct-check">
        <input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} />
        Show password
      </label>
    </div>
  );
}
