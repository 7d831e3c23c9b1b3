import 'reflect-metadata';
import { parseEnvelope } from '@convene/contracts';
import { buildEnvelope, envelopeToAttributes } from './envelope-attributes';

const from = { eventType: 'event.published', schemaVersion: 1, source: 'events' };
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('buildEnvelope', () => {
  it('fills every attribute a consumer requires', () => {
    const envelope = buildEnvelope(
      from,
      undefined,
      () => undefined,
      () => new Date('2030-01-02T03:04:05.000Z'),
    );
    expect(envelope).toEqual({
      eventId: expect.stringMatching(uuid),
      eventType: 'event.published',
      schemaVersion: '1',
      occurredAt: '2030-01-02T03:04:05.000Z',
      correlationId: expect.stringMatching(uuid),
      source: 'events',
    });
    expect(parseEnvelope(envelopeToAttributes(envelope))).toEqual(envelope);
  });

  it('keeps a given eventId, occurredAt and correlationId (an outbox record replays its own)', () => {
    const given = { eventId: 'e-1', occurredAt: '2030-01-01T00:00:00.000Z', correlationId: 'c-1' };
    expect(buildEnvelope(from, given, () => 'ambient')).toMatchObject(given);
  });

  it('takes the ambient correlation id before inventing one', () => {
    expect(buildEnvelope(from, {}, () => 'ambient').correlationId).toBe('ambient');
  });

  it('never lets the caller relabel type, version or source', () => {
    const envelope = buildEnvelope(from, { eventType: 'other', schemaVersion: '9', source: 'auth' }, () => undefined);
    expect(envelope).toMatchObject({ eventType: 'event.published', schemaVersion: '1', source: 'events' });
  });
});
