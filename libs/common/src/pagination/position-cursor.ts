import { invalidField } from '../errors/domain-error';

/**
 * Where a page ended, for lists ordered by an instant and then the document id: the cursor is
 * base64url of `[instant, id]`, opaque to clients. Decoding refuses anything this API did not issue
 * (VALIDATION_FAILED naming `cursor`), including an id that would be a Firestore path.
 */
export function encodePositionCursor(at: string, id: string): string {
  return Buffer.from(JSON.stringify([at, id])).toString('base64url');
}

export function decodePositionCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof at === 'string' && !Number.isNaN(Date.parse(at)) && typeof id === 'string' && id && !id.includes('/')) {
      return { at, id };
    }
  } catch {
    // fall through
  }
  throw invalidField('cursor', 'cursor is not one this API issued');
}
