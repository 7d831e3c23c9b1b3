import { ROLES, type Role } from '@convene/contracts';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The roles plus `role`, without duplicates, in the canonical order of ROLES. */
export function withRole(roles: readonly Role[], role: Role): Role[] {
  return ROLES.filter((candidate) => candidate === role || roles.includes(candidate));
}
