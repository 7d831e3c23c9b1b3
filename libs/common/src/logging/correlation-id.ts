import { CorrelationContext } from './correlation-context';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

// A client-chosen id ends up in logs and headers: accept only short, plain tokens.
const SANE_CORRELATION_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** The caller's correlation id when it is a sane token, otherwise a fresh one. */
export function acceptOrCreateCorrelationId(candidate: unknown): string {
  const value = Array.isArray(candidate) ? candidate[0] : candidate;
  if (Buffer.isBuffer(value)) return acceptOrCreateCorrelationId(value.toString('utf8'));
  return typeof value === 'string' && SANE_CORRELATION_ID.test(value) ? value : CorrelationContext.newId();
}
