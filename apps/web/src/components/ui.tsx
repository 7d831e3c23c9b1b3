// Small building blocks every page uses: problem display, labelled fields, loading states.
import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import type { ApiProblem } from '../api/problem';

/** The API's problem+json, said plainly; `role="alert"` so screen readers announce it. */
export function ProblemAlert({ problem, onRetry }: { problem: ApiProblem | undefined; onRetry?: () => void }) {
  if (!problem) return null;
  const fields = problem.problem.errors ?? [];
  return (
    <div className="alert alert-error" role="alert">
      <strong>{problem.problem.title}</strong>
      {problem.problem.detail && fields.length === 0 && <p>{problem.problem.detail}</p>}
      {fields.length > 0 && (
        <ul>
          {fields.map((e) => (
            <li key={`${e.field}:${e.message}`}>{e.message}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

interface FieldProps {
  label: string;
  /** The API's name for this field, to show its message from a 400 problem next to the input. */
  name: string;
  problem?: ApiProblem;
  hint?: ReactNode;
}

function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The id, the API's message for this field, and the attributes that tie an input to its label and messages. */
function useFieldWiring({ name, problem, hint }: FieldProps) {
  const id = useId();
  const error = problem?.fieldError(name);
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return {
    frame: { id, hint, error },
    control: { id, name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy },
  };
}

export function TextField({
  label,
  name,
  problem,
  hint,
  ...input
}: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const { frame, control } = useFieldWiring({ label, name, problem, hint });
  return (
    <FieldFrame label={label} {...frame}>
      <input {...control} {...input} />
    </FieldFrame>
  );
}

export function TextAreaField({
  label,
  name,
  problem,
  hint,
  ...input
}: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { frame, control } = useFieldWiring({ label, name, problem, hint });
  return (
    <FieldFrame label={label} {...frame}>
      <textarea {...control} {...input} />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  name,
  problem,
  hint,
  children,
  ...input
}: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const { frame, control } = useFieldWiring({ label, name, problem, hint });
  return (
    <FieldFrame label={label} {...frame}>
      <select {...control} {...input}>
        {children}
      </select>
    </FieldFrame>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      {label}
    </p>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * The "Load more" of a cursor-paged list: shown while there is a next page, with the problem of the
 * last attempt (and a retry) when it failed.
 */
export function LoadMore({
  hasMore,
  loading,
  problem,
  onLoad,
  label = 'Load more',
}: {
  hasMore: boolean;
  loading: boolean;
  problem?: ApiProblem;
  onLoad(): void;
  label?: string;
}) {
  return (
    <>
      <ProblemAlert problem={problem} onRetry={onLoad} />
      {hasMore && (
        <div className="load-more">
          <button type="button" className="button button-secondary" disabled={loading} onClick={onLoad}>
            {loading ? 'Loading…' : label}
          </button>
        </div>
      )}
    </>
  );
}
