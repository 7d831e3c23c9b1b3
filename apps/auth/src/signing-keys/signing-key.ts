import type { JWK } from 'jose';

/**
 * An ES256 key pair that signs access tokens. Instants are ISO 8601 strings (UTC).
 *
 * We keep the private JWK in Firestore, in a collection only this service's identity may read.
 * Production should hold private keys in Secret Manager or Cloud KMS (signing through the KMS API)
 * so that a database export never contains them.
 */
export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: string;
  /**
   * When it starts signing. A rotated-in key is published in the JWKS first and signs only from here
   * on, so every gateway has fetched it before it sees a token it signed. Absent: from createdAt.
   */
  activatesAt?: string;
  /** When a newer key took over signing; it still verifies tokens until they have expired. */
  retiredAt?: string;
}

export function activationOf(key: SigningKey): string {
  return key.activatesAt ?? key.createdAt;
}
