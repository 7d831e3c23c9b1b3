import type { CryptoKey, JWK } from 'jose';
import type { TicketKeyMessage } from '@convene/contracts';

/** How tickets are signed: the JWS header a door device checks before it trusts the payload. */
export const TICKET_SIGNATURE = { algorithm: 'ES256', type: 'convene-ticket+jwt' } as const;

/**
 * The public half of an event's ticket key, as a JWKS lists it (the contract's TicketKey): the public
 * members only, named one by one, so a private `d` is never copied out by accident.
 */
export type PublicTicketJwk = TicketKeyMessage;

/**
 * An event's ES256 ticket key pair, stored at `ticketKeys/{eventId}` and read by this service only.
 *
 * The private JWK sits in Firestore, in a collection no other service reads. Production should wrap it
 * with Cloud KMS (or sign through the KMS API) so that a database export never contains it; this
 * environment has no KMS.
 */
export interface TicketKey {
  eventId: string;
  kid: string;
  privateJwk: JWK;
  publicJwk: PublicTicketJwk;
  createdAt: string;
}

/** A ticket key ready to use: imported once per process, then kept in memory. */
export interface LoadedTicketKey {
  eventId: string;
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: PublicTicketJwk;
}

/** The public JWK of a freshly exported key pair, with its kid and intended use. */
export function publicTicketJwk(kid: string, exported: JWK): PublicTicketJwk {
  return {
    kid,
    kty: exported.kty ?? 'EC',
    crv: exported.crv ?? 'P-256',
    x: exported.x ?? '',
    y: exported.y ?? '',
    alg: TICKET_SIGNATURE.algorithm,
    use: 'sig',
  };
}
