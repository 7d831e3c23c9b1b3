import { isUUID } from 'class-validator';
import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { DomainError } from '@convene/common';
import { TICKET_SIGNATURE } from './ticket-key';

/** What a ticket says, signed with its event's key (short names: the token is printed as a QR code). */
export interface TicketClaims {
  /** Registration id. */
  rid: string;
  /** Event id. */
  eid: string;
  /** Holder's name, so the door can greet them without a lookup. */
  name: string;
  /** Holder's user id. */
  sub: string;
  /** Issued at (seconds since the epoch). */
  iat: number;
}

/** Far above a real ticket (~400 characters): anything longer is not worth decoding. */
const MAX_TOKEN_LENGTH = 4096;

/** Why a scanned ticket or typed code is refused (TICKET_INVALID's `reason`). */
export type TicketRejection =
  | 'forged'
  | 'other-event'
  | 'cancelled'
  | 'not-confirmed'
  /** No registration of the event holds the typed code (a code of another event included). */
  | 'unknown-code'
  /** Two registrations of the event hold it: neither is checked in. */
  | 'ambiguous-code';

export function ticketInvalid(reason: TicketRejection, message: string): DomainError {
  return new DomainError('TICKET_INVALID', message, { reason });
}

/** A compact JWS over the claims: header {alg: ES256, kid, typ: convene-ticket+jwt}. */
export async function signTicket(
  claims: Omit<TicketClaims, 'iat'>,
  key: { kid: string; privateKey: CryptoKey },
  issuedAt: Date,
): Promise<string> {
  return new SignJWT({ rid: claims.rid, eid: claims.eid, name: claims.name })
    .setProtectedHeader({ alg: TICKET_SIGNATURE.algorithm, kid: key.kid, typ: TICKET_SIGNATURE.type })
    .setSubject(claims.sub)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .sign(key.privateKey);
}

/** The public key that verifies tickets of `eventId` signed under `kid`, if that event has such a key. */
export type TicketKeyLookup = (eventId: string, kid: string) => Promise<CryptoKey | undefined>;

/**
 * The claims of a ticket presented at `eventId`'s door, or TICKET_INVALID. The key is chosen by the
 * ticket's own (unverified) event id and kid, then the signature is verified with it: a ticket passes
 * only if the event it names signed it. A genuine ticket of another event is told apart from a forgery
 * so the door can send its holder to the right entrance.
 */
export async function verifyTicket(token: string, eventId: string, findKey: TicketKeyLookup): Promise<TicketClaims> {
  const forged = () => ticketInvalid('forged', 'the ticket is not one this event issued');
  if (token.length > MAX_TOKEN_LENGTH) throw forged();
  let kid: unknown;
  let named: unknown;
  try {
    kid = decodeProtectedHeader(token).kid;
    named = decodeJwt(token).eid;
  } catch {
    throw forged();
  }
  if (typeof kid !== 'string' || typeof named !== 'string' || !isUUID(named)) throw forged();
  const key = await findKey(named, kid);
  if (!key) throw forged();
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [TICKET_SIGNATURE.algorithm],
      typ: TICKET_SIGNATURE.type,
    }));
  } catch {
    throw forged();
  }
  if (!isTicketClaims(payload)) throw forged();
  if (payload.eid !== eventId) {
    throw ticketInvalid('other-event', 'the ticket is for another event');
  }
  return payload;
}

function isTicketClaims(payload: unknown): payload is TicketClaims {
  const claims = payload as Partial<TicketClaims>;
  return (
    typeof claims.rid === 'string' &&
    isUUID(claims.rid) &&
    typeof claims.eid === 'string' &&
    typeof claims.name === 'string' &&
    typeof claims.sub === 'string' &&
    typeof claims.iat === 'number'
  );
}
