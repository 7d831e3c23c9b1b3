import type { FastifyRequest } from 'fastify';
import type { Identity } from '@convene/common';

// Kept beside the request, not on it: nothing a client sends can end up here, only what the guard verified.
const identities = new WeakMap<FastifyRequest, Identity>();

export function attachIdentity(request: FastifyRequest, identity: Identity): void {
  identities.set(request, identity);
}

export function identityOf(request: FastifyRequest): Identity | undefined {
  return identities.get(request);
}
