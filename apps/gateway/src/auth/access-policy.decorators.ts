import { SetMetadata } from '@nestjs/common';
import type { Role } from '@convene/contracts';

export const PUBLIC_ROUTE = 'convene:public-route';
export const REQUIRED_ROLES = 'convene:required-roles';

export interface PublicRouteOptions {
  /**
   * A token, when sent, is still verified (401 if bad) and its identity passed on, so a service can
   * show a signed-in caller more (e.g. an organizer's own draft). Without a token the call is anonymous.
   */
  optionalIdentity?: boolean;
}

/** The route needs no access token (every other route does: the guard is global). */
export const Public = (options: PublicRouteOptions = {}): MethodDecorator & ClassDecorator =>
  SetMetadata(PUBLIC_ROUTE, options);

/** The verified token must carry one of these roles (admin passes every role check), else 403. */
export const Roles = (...roles: [Role, ...Role[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_ROLES, roles);
