import type { LoggerService } from '@nestjs/common';
import type { LogLevel } from '../config/base-service.config';
import { CorrelationContext } from './correlation-context';
import { safeJsonStringify, serializeError } from './safe-json';

/** Cloud Logging's severity names, which it parses from the `severity` field of a JSON line. */
type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';

const SEVERITY_RANK: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3, CRITICAL: 4 };
const LEVEL_SEVERITY: Record<LogLevel, Severity> = { debug: 'DEBUG', info: 'INFO', warn: 'WARNING', error: 'ERROR' };

// Fields the logger owns: a caller's field of the same name must not forge them.
const RESERVED = new Set(['severity', 'message', 'timestamp', 'correlationId', 'service', 'context']);

// What Nest's Logger passes as a stack trace: "Name: message\n    at fn (file:1:2)".
const STACK_TRACE = /^[^\n]*\n\s+at .+/;

export interface JsonLoggerOptions {
  service: string;
  level?: LogLevel;
}

/** Nest's LoggerService writing one JSON line per entry to stdout, as Cloud Logging ingests it. */
export class JsonLogger implements LoggerService {
  private readonly minimumRank: number;

  constructor(private readonly options: JsonLoggerOptions) {
    this.minimumRank = SEVERITY_RANK[LEVEL_SEVERITY[options.level ?? 'info']];
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('INFO', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('ERROR', message, optionalParams, true);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('WARNING', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('DEBUG', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('DEBUG', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('CRITICAL', message, optionalParams, true);
  }

  private write(severity: Severity, message: unknown, params: unknown[], mayHaveStack = false): void {
    if (SEVERITY_RANK[severity] < this.minimumRank) return;
    try {
      const { context, stack, extras } = splitParams(params, mayHaveStack);
      const fields: Record<string, unknown> = {};
      let text: string;
      if (message instanceof Error) {
        text = message.message;
        fields.error = serializeError(message);
      } else if (typeof message === 'object' && message !== null) {
        Object.assign(fields, message);
        text = typeof fields.message === 'string' ? fields.message : '';
      } else {
        text = String(message);
      }
      for (const extra of extras) {
        if (extra instanceof Error) fields.error = serializeError(extra);
        else if (typeof extra === 'object' && extra !== null) Object.assign(fields, extra);
      }
      if (stack && fields.error === undefined) fields.stack = stack;

      const entry: Record<string, unknown> = {
        severity,
        message: text,
        timestamp: new Date().toISOString(),
        correlationId: CorrelationContext.currentId(),
        service: this.options.service,
        context,
      };
      for (const [key, value] of Object.entries(fields)) {
        if (!RESERVED.has(key)) entry[key] = value;
      }
      process.stdout.write(`${safeJsonStringify(entry)}\n`);
    } catch {
      // Logging must never break the caller (e.g. stdout closed during shutdown).
    }
  }
}

/**
 * Nest's conventions: the last string parameter is the context; for error/fatal a string that
 * looks like a stack trace is the stack. Anything else is extra fields.
 */
function splitParams(
  params: unknown[],
  mayHaveStack: boolean,
): { context?: string; stack?: string; extras: unknown[] } {
  const rest = params.filter((param) => param !== undefined);
  let stack: string | undefined;
  let context: string | undefined;
  if (mayHaveStack) {
    const index = rest.findIndex((param) => typeof param === 'string' && STACK_TRACE.test(param));
    if (index >= 0) stack = rest.splice(index, 1)[0] as string;
  }
  if (typeof rest[rest.length - 1] === 'string') context = rest.pop() as string;
  return { context, stack, extras: rest };
}
