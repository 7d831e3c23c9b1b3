import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENT_REPLAYED_HEADER } from './idempotency-key';
import { IdempotencyInterceptor } from './idempotency.interceptor';

/**
 * The route honours an optional `Idempotency-Key` header (per authenticated user, kept 24 h): a retry
 * with the same key and request gets the first response again, byte for byte, and changes nothing.
 * The route must be authenticated and return JSON (or nothing); its module needs IdempotencyModule.
 */
export const Idempotent = (): MethodDecorator =>
  applyDecorators(
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      description:
        'A client-chosen unique key (e.g. a UUID) that makes retrying this request safe. A retry with the same ' +
        `key and the same request gets the first response again (with \`${IDEMPOTENT_REPLAYED_HEADER}: true\`) ` +
        'and changes nothing; the same key with another request answers 422; while the first request is still ' +
        'running a retry waits for it, or answers 409 after 10 s. Keys are per user and kept 24 hours. ' +
        'Server errors (5xx) are not kept: retry them with the same key.',
      schema: { type: 'string', minLength: 1, maxLength: IDEMPOTENCY_KEY_MAX_LENGTH, pattern: '^[\\x21-\\x7E]+$' },
    }),
  );
