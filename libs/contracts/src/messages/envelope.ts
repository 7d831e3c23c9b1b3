/**
 * Pub/Sub message attributes every Convene message carries. The data is the JSON of a versioned
 * message class (see message-registry.ts); the attributes let a consumer route, dedupe and trace
 * without parsing it.
 */
export interface Envelope {
  /** uuid of this occurrence; consumers dedupe on it. */
  readonly eventId: string;
  /** e.g. `event.published`; also the topic id. */
  readonly eventType: string;
  /** "1", "2", ... as a string: Pub/Sub attributes are strings. */
  readonly schemaVersion: string;
  /** ISO 8601 instant the state change was committed. */
  readonly occurredAt: string;
  readonly correlationId: string;
  /** The publishing service. */
  readonly source: string;
}

export const ENVELOPE_ATTRIBUTES: readonly (keyof Envelope)[] = [
  'eventId',
  'eventType',
  'schemaVersion',
  'occurredAt',
  'correlationId',
  'source',
];

/** Reads an envelope out of message attributes; returns the names of missing attributes instead. */
export function parseEnvelope(attributes: Record<string, string> | undefined): Envelope | { missing: string[] } {
  const attrs = attributes ?? {};
  const missing = ENVELOPE_ATTRIBUTES.filter((name) => !attrs[name]);
  if (missing.length > 0) return { missing };
  return {
    eventId: attrs.eventId,
    eventType: attrs.eventType,
    schemaVersion: attrs.schemaVersion,
    occurredAt: attrs.occurredAt,
    correlationId: attrs.correlationId,
    source: attrs.source,
  };
}
