import { randomUUID } from 'node:crypto';
import type { Envelope } from '@convene/contracts';

export interface EnvelopeSource {
  readonly eventType: string;
  readonly schemaVersion: number | string;
  /** The publishing service. */
  readonly source: string;
}

/**
 * Completes an envelope: the caller may fix eventId/occurredAt/correlationId (an outbox record replays
 * its own); type, version and source always come from the message class and the publisher, so a caller
 * cannot mislabel a payload.
 */
export function buildEnvelope(
  from: EnvelopeSource,
  given: Partial<Envelope> | undefined,
  ambientCorrelationId: () => string | undefined,
  now: () => Date = () => new Date(),
): Envelope {
  return {
    eventId: given?.eventId || randomUUID(),
    eventType: from.eventType,
    schemaVersion: String(from.schemaVersion),
    occurredAt: given?.occurredAt || now().toISOString(),
    correlationId: given?.correlationId || ambientCorrelationId() || randomUUID(),
    source: from.source,
  };
}

/** Pub/Sub attributes are a flat string map; the envelope already is one. */
export function envelopeToAttributes(envelope: Envelope): Record<string, string> {
  return {
    eventId: envelope.eventId,
    eventType: envelope.eventType,
    schemaVersion: envelope.schemaVersion,
    occurredAt: envelope.occurredAt,
    correlationId: envelope.correlationId,
    source: envelope.source,
  };
}
