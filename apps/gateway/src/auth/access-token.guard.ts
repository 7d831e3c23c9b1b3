import { Injectable, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, hasRole, HealthController, MetricsController } from '@convene/common';
import type { Role } from '@convene/contracts';
import { PUBLIC_ROUTE, REQUIRED_ROLES, type PublicRouteOptions } from './access-policy.decorators';
import { AccessTokenVerifier } from './access-token.verifier';
import { invalidAccessToken, missingAccessToken } from './authentication-errors';
import { attachIdentity } from './request-identity';

/**
 * Probes and the metrics scrape come from libs/common, which knows nothing of tokens; Kubernetes and
 * Prometheus call them without one. Listed here rather than decorated there.
 */
const PLATFORM_CONTROLLERS: ReadonlySet<Type> = new Set<Type>([HealthController, MetricsController]);

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Global: every route needs a valid access token unless it is `@Public()`; `@Roles()` then needs one
 * of its roles. The verified identity is the only source of "who is acting".
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: AccessTokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || PLATFORM_CONTROLLERS.has(context.getClass())) return true;
    const targets = [context.getHandler(), context.getClass()];
    const publicRoute = this.reflector.getAllAndOverride<PublicRouteOptions | undefined>(PUBLIC_ROUTE, targets);
    if (publicRoute && !publicRoute.optionalIdentity) return true;

    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) {
      if (publicRoute) return true;
      throw missingAccessToken();
    }
    const identity = await this.verifier.verify(token);
    attachIdentity(request, identity);

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (roles && !hasRole(identity, 'admin', ...roles)) {
      throw new DomainError('FORBIDDEN', `This operation needs the ${roles.join(' or ')} role`);
    }
    return true;
  }
}

/** The token of `Authorization: Bearer <token>`; undefined when no credentials were sent at all. */
function bearerTokenOf(header: string | undefined): string | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = BEARER.exec(header);
  if (!match?.[1]) throw invalidAccessToken();
  return match[1];
}
