import { DomainError } from '@convene/common';

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

/**
 * The media type among `supported` (in the server's order of preference) that the `Accept` header
 * prefers (RFC 9110 §12.5.1): each type takes the quality of the most specific range that matches it
 * (`image/png` over `image/*` over the wildcard); the highest quality wins, ties go to the earlier type. No
 * header means the first type; undefined means none is acceptable (answer 406).
 */
export function preferredMediaType<T extends string>(
  accept: string | undefined,
  supported: readonly T[],
): T | undefined {
  if (accept === undefined || accept.trim() === '') return supported[0];
  const ranges = accept.split(',').flatMap(parseRange);
  let best: { type: T; q: number } | undefined;
  for (const type of supported) {
    const q = qualityOf(type, ranges);
    if (q > 0 && (best === undefined || q > best.q)) best = { type, q };
  }
  return best?.type;
}

function parseRange(text: string): MediaRange[] {
  const [range = '', ...parameters] = text.split(';').map((part) => part.trim().toLowerCase());
  const [type, subtype, ...rest] = range.split('/');
  if (!type || !subtype || rest.length > 0) return [];
  const qParameter = parameters.find((parameter) => parameter.startsWith('q='));
  const q = qParameter === undefined ? 1 : Number(qParameter.slice(2));
  return Number.isFinite(q) && q >= 0 && q <= 1 ? [{ type, subtype, q }] : [];
}

function qualityOf(mediaType: string, ranges: readonly MediaRange[]): number {
  const [type, subtype] = mediaType.toLowerCase().split('/');
  let specificity = 0;
  let q = 0;
  for (const range of ranges) {
    const matches =
      (range.type === '*' && range.subtype === '*') ||
      (range.type === type && (range.subtype === '*' || range.subtype === subtype));
    if (!matches) continue;
    const rangeSpecificity = range.type === '*' ? 1 : range.subtype === '*' ? 2 : 3;
    if (rangeSpecificity > specificity) {
      specificity = rangeSpecificity;
      q = range.q;
    }
  }
  return q;
}

/** 406 problem: the client accepts none of the formats the route can answer with. */
export function notAcceptable(formats: readonly string[]): DomainError {
  return new DomainError('NOT_ACCEPTABLE', `Accept must allow one of: ${formats.join(', ')}`);
}
