import type { Metadata } from '@grpc/grpc-js';
import { GrpcMetadataKeys, ROLES, type Role } from '@convene/contracts';
import { DomainError } from '../errors/domain-error';

/** Who is acting: the subject and roles of an access token the gateway verified. */
export interface Identity {
  readonly userId: string;
  readonly roles: readonly Role[];
  /** The display name the token carried (for printing only, never for authorization). */
  readonly displayName?: string;
}

export function hasRole(identity: Identity, ...roles: Role[]): boolean {
  return roles.some((role) => identity.roles.includes(role));
}

/** Gateway side: puts a verified identity (and the client address) on an outgoing call. */
export function writeIdentity(metadata: Metadata, identity: Identity | undefined, clientIp?: string): void {
  if (identity) {
    metadata.set(GrpcMetadataKeys.userId, identity.userId);
    metadata.set(GrpcMetadataKeys.userRoles, identity.roles.join(','));
    // Binary metadata: a name may hold any Unicode.
    if (identity.displayName) metadata.set(GrpcMetadataKeys.userName, Buffer.from(identity.displayName, 'utf8'));
  }
  if (clientIp) metadata.set(GrpcMetadataKeys.clientIp, clientIp);
}

/** Service side: the caller's identity, or undefined for an anonymous call. */
export function readIdentity(metadata: Metadata | undefined): Identity | undefined {
  const userId = first(metadata, GrpcMetadataKeys.userId);
  if (!userId) return undefined;
  const roles = (first(metadata, GrpcMetadataKeys.userRoles) ?? '')
    .split(',')
    .filter((role): role is Role => (ROLES as readonly string[]).includes(role));
  const name = metadata?.get(GrpcMetadataKeys.userName)[0];
  const displayName = Buffer.isBuffer(name) && name.length > 0 ? name.toString('utf8') : undefined;
  return displayName ? { userId, roles, displayName } : { userId, roles };
}

/** Service side: the caller's identity, or UNAUTHENTICATED. */
export function requireIdentity(metadata: Metadata | undefined): Identity {
  const identity = readIdentity(metadata);
  if (!identity) throw new DomainError('UNAUTHENTICATED', 'this operation needs an authenticated user');
  return identity;
}

export function readClientIp(metadata: Metadata | undefined): string | undefined {
  return first(metadata, GrpcMetadataKeys.clientIp);
}

function first(metadata: Metadata | undefined, key: string): string | undefined {
  const value = metadata?.get(key)[0];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
