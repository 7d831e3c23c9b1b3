import type { EventCategory } from '@convene/contracts';

/** What a visitor may filter the public listing by. Instants are ISO strings. */
export interface ListEventsFilter {
  /** One search word, already normalized (see normalizeSearchTerm). */
  q?: string;
  category?: EventCategory;
  organizerId?: string;
  /** Only events with seats left (as of their `hasSeats` flag); false or absent: no filter. */
  hasSeats?: boolean;
  from?: string;
  to?: string;
  limit: number;
  /** Position after which the page starts (from the previous page's last event). */
  after?: EventPosition;
}

/** Events are ordered by start time, then id: a total order, so pages never skip or repeat. */
export interface EventPosition {
  startsAt: string;
  id: string;
}

/**
 * The shape of the Firestore query for a filter: which fields are compared for equality, which array
 * is searched, and the ordering. The Firestore adapter builds its query from this shape, and the index
 * test checks every possible shape against firestore.indexes.json — so a new filter cannot ship
 * without its composite index.
 */
export interface ListQueryShape {
  equalities: string[];
  arrayContains?: string;
  /** Range filters and ordering are on this field, then on the document id. */
  orderedBy: 'startsAt';
}

export function listQueryShape(
  filter: Pick<ListEventsFilter, 'q' | 'category' | 'organizerId' | 'hasSeats'>,
): ListQueryShape {
  return {
    equalities: [
      'status',
      'visibility',
      ...(filter.hasSeats ? ['hasSeats'] : []),
      ...(filter.category ? ['category'] : []),
      ...(filter.organizerId ? ['organizerId'] : []),
    ],
    ...(filter.q ? { arrayContains: 'searchTokens' } : {}),
    orderedBy: 'startsAt',
  };
}

const MAX_TOKENS = 60;

/** Lowercase, accents removed, letters and digits only: "Café-Théâtre" → "cafe theatre". */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The words a search may match: those of the title and of the tags (2+ characters each). */
export function searchTokensOf(title: string, tags: readonly string[]): string[] {
  const words = [title, ...tags].flatMap((text) => fold(text).split(' ')).filter((word) => word.length >= 2);
  return [...new Set(words)].slice(0, MAX_TOKENS);
}

/**
 * The search term folded like stored tokens. Firestore matches one array element per query, so a term
 * is one word; undefined when nothing searchable is left (e.g. only punctuation).
 */
export function normalizeSearchTerm(q: string | undefined): { term?: string; words: number } {
  const folded = q === undefined ? '' : fold(q);
  return folded ? { term: folded, words: folded.split(' ').length } : { words: 0 };
}

/** The organizer's own events, every state: equality on organizerId, ordered like the listing. */
export function ownEventsQueryShape(): ListQueryShape {
  return { equalities: ['organizerId'], orderedBy: 'startsAt' };
}
