import { randomUUID } from 'node:crypto';
import { base64url, decodeProtectedHeader, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { DomainError } from '@convene/common';
import { signTicket, verifyTicket, type TicketKeyLookup } from './ticket-token';

interface TestKey {
  eventId: string;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

async function eventKey(): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { eventId: randomUUID(), kid: randomUUID(), privateKey, publicKey };
}

/** A key store holding exactly these events' keys. */
function lookupOf(...keys: TestKey[]): TicketKeyLookup {
  return async (eventId, kid) => keys.find((k) => k.eventId === eventId && k.kid === kid)?.publicKey;
}

function claimsFor(key: TestKey) {
  return { rid: randomUUID(), eid: key.eventId, name: 'Ada Lovelace', sub: 'user-1' };
}

async function reasonOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'TICKET_INVALID') return error.details.reason;
    throw error;
  }
  throw new Error('expected TICKET_INVALID');
}

const ISSUED = new Date('2030-03-01T10:00:00.000Z');

describe('ticket tokens', () => {
  let eventA: TestKey;
  let eventB: TestKey;

  beforeAll(async () => {
    [eventA, eventB] = await Promise.all([eventKey(), eventKey()]);
  });

  it('verifies a ticket signed with its event key and returns its claims', async () => {
    const claims = claimsFor(eventA);
    const token = await signTicket(claims, eventA, ISSUED);
    await expect(verifyTicket(token, eventA.eventId, lookupOf(eventA, eventB))).resolves.toEqual({
      ...claims,
      iat: ISSUED.getTime() / 1000,
    });
  });

  it('puts alg, kid and the ticket type in the header', async () => {
    const token = await signTicket(claimsFor(eventA), eventA, ISSUED);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: eventA.kid, typ: 'convene-ticket+jwt' });
  });

  it("tells a genuine ticket of another event apart from a forgery ('other-event')", async () => {
    const token = await signTicket(claimsFor(eventB), eventB, ISSUED);
    expect(await reasonOf(verifyTicket(token, eventA.eventId, lookupOf(eventA, eventB)))).toBe('other-event');
  });

  it("refuses a payload changed after signing ('forged')", async () => {
    const token = await signTicket(claimsFor(eventA), eventA, ISSUED);
    const [header, , signature] = token.split('.');
    const tampered = base64url.encode(JSON.stringify({ ...claimsFor(eventA), name: 'Mallory', iat: 1 }));
    expect(await reasonOf(verifyTicket(`${header}.${tampered}.${signature}`, eventA.eventId, lookupOf(eventA)))).toBe(
      'forged',
    );
  });

  it("refuses a ticket signed with a key the event does not have ('forged')", async () => {
    const impostor = { ...(await eventKey()), eventId: eventA.eventId, kid: eventA.kid };
    const token = await signTicket(claimsFor(eventA), impostor, ISSUED);
    expect(await reasonOf(verifyTicket(token, eventA.eventId, lookupOf(eventA)))).toBe('forged');
  });

  it("refuses an unknown kid, and a claimed event with no key ('forged')", async () => {
    const unknownKid = await signTicket(claimsFor(eventA), { ...eventA, kid: 'not-a-kid' }, ISSUED);
    expect(await reasonOf(verifyTicket(unknownKid, eventA.eventId, lookupOf(eventA)))).toBe('forged');
    const unknownEvent = await signTicket(claimsFor(eventB), eventB, ISSUED);
    expect(await reasonOf(verifyTicket(unknownEvent, eventA.eventId, lookupOf(eventA)))).toBe('forged');
  });

  it("refuses an unsigned (alg: none) or HMAC-signed token ('forged')", async () => {
    const claims = claimsFor(eventA);
    const payload = base64url.encode(JSON.stringify({ ...claims, iat: 1 }));
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', kid: eventA.kid, typ: 'convene-ticket+jwt' }))}.${payload}.`;
    expect(await reasonOf(verifyTicket(none, eventA.eventId, lookupOf(eventA)))).toBe('forged');
    const hmac = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'HS256', kid: eventA.kid, typ: 'convene-ticket+jwt' })
      .sign(new TextEncoder().encode('a-shared-secret-of-thirty-two-bytes!'));
    expect(await reasonOf(verifyTicket(hmac, eventA.eventId, lookupOf(eventA)))).toBe('forged');
  });

  it("refuses a correctly signed token of another type ('forged')", async () => {
    const token = await new SignJWT({ ...claimsFor(eventA) })
      .setProtectedHeader({ alg: 'ES256', kid: eventA.kid, typ: 'at+jwt' })
      .setIssuedAt()
      .sign(eventA.privateKey);
    expect(await reasonOf(verifyTicket(token, eventA.eventId, lookupOf(eventA)))).toBe('forged');
  });

  it("refuses a correctly signed token missing ticket claims ('forged')", async () => {
    const token = await new SignJWT({ eid: eventA.eventId })
      .setProtectedHeader({ alg: 'ES256', kid: eventA.kid, typ: 'convene-ticket+jwt' })
      .setIssuedAt()
      .sign(eventA.privateKey);
    expect(await reasonOf(verifyTicket(token, eventA.eventId, lookupOf(eventA)))).toBe('forged');
  });

  it.each(['', 'garbage', 'a.b.c', `${'x'.repeat(5000)}.y.z`])(
    "refuses %p without looking up a key ('forged')",
    async (token) => {
      const lookup = jest.fn(lookupOf(eventA));
      expect(await reasonOf(verifyTicket(token, eventA.eventId, lookup))).toBe('forged');
      expect(lookup).not.toHaveBeenCalled();
    },
  );

  it('does not look up a key for an event id that is not a uuid (it would become a document path)', async () => {
    const token = await signTicket({ ...claimsFor(eventA), eid: '../ticketKeys/x' }, eventA, ISSUED);
    const lookup = jest.fn(lookupOf(eventA));
    expect(await reasonOf(verifyTicket(token, eventA.eventId, lookup))).toBe('forged');
    expect(lookup).not.toHaveBeenCalled();
  });
});
