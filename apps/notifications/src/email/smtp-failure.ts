/** Why a send failed, and whether trying again can help. */
export interface SmtpFailure {
  permanent: boolean;
  reason: string;
}

/** The fields nodemailer sets on its errors (see nodemailer's smtp-connection). */
interface NodemailerError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

/**
 * Failures that are ours, not the recipient's, even when the server answers 5xx: wrong credentials,
 * authentication or TLS required. Retried (with backoff, up to the attempt limit) so that fixing the
 * configuration lets the queued emails out instead of failing them all.
 */
const OUR_SIDE_CODES = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS']);
const OUR_SIDE_RESPONSES = new Set([530, 534, 535, 538]);

/** Problems with the message or its envelope that no retry fixes (e.g. no valid recipient address). */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

/**
 * Classifies a send error. SMTP's own answer decides when there is one (RFC 5321 §4.2.1): 4xx is
 * transient, 5xx permanent. Without one, an envelope or message error is permanent; anything else
 * (refused or dropped connection, timeout, DNS) is transient.
 */
export function classifySmtpFailure(error: unknown): SmtpFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as NodemailerError;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const status = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const reason = describe(e, error);
  if (code && OUR_SIDE_CODES.has(code)) return { permanent: false, reason };
  if (status !== undefined && status >= 500 && status < 600) {
    return { permanent: !OUR_SIDE_RESPONSES.has(status), reason };
  }
  if (status !== undefined && status >= 400 && status < 500) return { permanent: false, reason };
  if (code && PERMANENT_CODES.has(code)) return { permanent: true, reason };
  return { permanent: false, reason };
}

function describe(e: NodemailerError, error: unknown): string {
  const text =
    typeof e.response === 'string' && e.response
      ? `${e.command ? `${e.command}: ` : ''}${e.response}`
      : typeof e.message === 'string' && e.message
        ? e.message
        : String(error);
  const line = `${e.code ? `${e.code} ` : ''}${text}`.replace(/\s+/g, ' ').trim();
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}
