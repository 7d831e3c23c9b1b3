import { DomainError } from '@convene/common';

/**
 * 401s the gateway raises itself. `bearerError` is the RFC 6750 error code the problem filter puts in
 * `WWW-Authenticate` (and keeps out of the body); without it the challenge is a plain `Bearer`.
 */
export function missingAccessToken(): DomainError {
  return new DomainError('UNAUTHENTICATED', 'This operation needs an access token (Authorization: Bearer <token>)');
}

export function invalidAccessToken(reason: 'expired' | 'invalid' = 'invalid'): DomainError {
  const detail = reason === 'expired' ? 'The access token has expired' : 'The access token is invalid';
  return new DomainError('UNAUTHENTICATED', detail, { bearerError: 'invalid_token' });
}
