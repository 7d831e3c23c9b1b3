import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DomainError, invalidField } from '@convene/common';

/** Far deeper than any body of the API (preferences: 3 levels), far shallower than what recursion survives. */
export const MAX_JSON_DEPTH = 32;

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/**
 * The API takes JSON bodies only, as its spec says (resilience fuzzing, issue 10):
 * - Nest parses `application/x-www-form-urlencoded` into the same DTOs by default, so a form post
 *   granted roles and cancelled events: anything sent that is not JSON is 415.
 * - Everything after the parser walks a body recursively (the idempotency fingerprint,
 *   class-transformer): 1 MiB of nested brackets exhausted the stack there (a 500). Deeper than
 *   MAX_JSON_DEPTH is 400 before any of it runs.
 * - An operation that takes a body needs a JSON object: the validation pipe reads `null` or no body
 *   as `{}`, which an all-optional PATCH accepted as "change nothing".
 * - A JSON string may escape a lone surrogate ("\ud800"), which is not text: validator's isEmail threw
 *   on it (a 500) and Firestore stored it as U+FFFD, silently changing what was sent. 400 naming it.
 * An interceptor because it runs before the route's own (idempotency) and its pipes, for every route.
 */
@Injectable()
export class JsonRequestBodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http') {
      const request = context.switchToHttp().getRequest<FastifyRequest>();
      checkJsonBody(request, takesBody(context));
    }
    return next.handle();
  }
}

export function checkJsonBody(request: Pick<FastifyRequest, 'headers' | 'body'>, bodyRequired: boolean): void {
  const { headers } = request;
  const sent = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
  if (sent && !JSON_MEDIA_TYPE.test(String(headers['content-type'] ?? ''))) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'The request body must be application/json');
  }
  const flaw = flawOf(request.body, MAX_JSON_DEPTH);
  if (flaw === 'too-deep') {
    throw new DomainError('MALFORMED_REQUEST', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  if (flaw) throw invalidField(flaw.field, `${flaw.field} must be well-formed Unicode text (it has a lone surrogate)`);
  if (bodyRequired && (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body))) {
    throw invalidField('body', 'body must be a JSON object');
  }
}

/** Whether the route's handler reads the body (`@Body()`). */
function takesBody(context: ExecutionContext): boolean {
  const args: Record<string, unknown> =
    Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), context.getHandler().name) ?? {};
  return Object.keys(args).some((key) => key.split(':')[0] === String(RouteParamtypes.BODY));
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first thing wrong with a parsed JSON value: nesting deeper than `limit`, or a string (value or
 * key) that is not well-formed Unicode, by its dotted path. Without recursion: the point is to survive
 * a body that would exhaust the stack.
 */
export function flawOf(value: unknown, limit: number): 'too-deep' | { field: string } | undefined {
  const stack: Array<{ node: unknown; depth: number; path: string }> = [{ node: value, depth: 1, path: '' }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (typeof node === 'string') {
      if (LONE_SURROGATE.test(node)) return { field: path || 'body' };
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    if (depth > limit) return 'too-deep';
    for (const [key, child] of Object.entries(node)) {
      const childPath = path ? `${path}.${key}` : key;
      if (LONE_SURROGATE.test(key)) return { field: path || 'body' };
      stack.push({ node: child, depth: depth + 1, path: childPath });
    }
  }
  return undefined;
}
