// For each operation of the spec: a request that would be accepted, aimed at one side's real
// resources, and the caller entitled to send it (from the access table). The fuzzer breaks one thing
// of it at a time; the access matrix sends it as the wrong people. Path parameters are found from the
// path (the resource named before them), so a new route on a known resource needs nothing here.
import type { TestAccount } from '../../support/accounts';
import { newEventBody } from '../../support/event-fixtures';
import { ACCESS_TABLE, type AccessRule } from './access-table';
import type { Operation } from './openapi-operations';
import type { Side, World } from './world';

export interface ValidRequest {
  /** Values of the path's parameters. */
  path: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** The JSON body (operations that take one). */
  body?: Record<string, unknown>;
}

/** The operations whose target differs from the path's resource on purpose, and why. */
const TARGET_OVERRIDES: Record<string, (side: Side, world: World) => Partial<ValidRequest['path']>> = {
  // Publishing is only possible once: a draft, so a request that slipped through would show.
  publishEvent: (side) => ({ id: side.draft.id }),
  // Someone who is not staff yet (granting staff is idempotent: an existing member would not show).
  addEventStaff: (_side, world) => ({ userId: world.newcomer.id }),
};

/** The id a path parameter stands for, from the resource named before it in the path. */
function pathValue(operation: Operation, name: string, side: Side, world: World): string {
  const override = TARGET_OVERRIDES[operation.operationId]?.(side, world)[name];
  if (override) return override;
  const segments = operation.path.split('/');
  const before = segments[segments.indexOf(`{${name}}`) - 1];
  switch (`${before}/{${name}}`) {
    case 'events/{id}':
      return side.event.id;
    case 'staff/{userId}':
      return side.staff.id;
    case 'registrations/{id}':
      return side.registration.id;
    case 'reviews/{id}':
      return world.review.id;
    case 'webhooks/{id}':
      return side.webhook.id;
    case 'deliveries/{deliveryId}':
      return side.delivery.id;
    case 'notifications/{id}':
      return side.notification.id;
    case 'users/{userId}':
      return side.attendee.id;
    default:
      throw new Error(`${operation.operationId}: no resource of the world stands for {${name}} in ${operation.path}`);
  }
}

/**
 * Bodies that would be accepted, each different from what is stored, so that one that slipped past
 * validation would change something the state snapshot sees.
 */
function validBody(operation: Operation, side: Side, world: World): Record<string, unknown> | undefined {
  if (!operation.body) return undefined;
  const event = newEventBody({ title: 'fuzz event', tags: ['fuzz'], waitlistEnabled: false, visibility: 'unlisted' });
  const bodies: Record<string, () => Record<string, unknown>> = {
    grantRole: () => ({ role: 'organizer' }),
    login: () => ({ email: world.spare.email, password: world.spare.password }),
    refresh: () => ({ refreshToken: world.spare.refreshToken }),
    logout: () => ({ refreshToken: world.spare.refreshToken }),
    register: () => ({ email: REGISTER_EMAIL, password: 'correct horse battery staple', displayName: 'Fuzz' }),
    createEvent: () => event,
    updateEvent: () => event,
    addEventStaffByEmail: () => ({ email: world.newcomer.email }),
    cancelEvent: () => ({ reason: 'fuzz' }),
    checkIn: () => ({ ticket: side.ticket, nonce: 'fuzz-nonce' }),
    createReview: () => ({ rating: 1, comment: 'fuzz' }),
    updateMe: () => ({ displayName: 'Fuzzed Name' }),
    updateMyNotificationPreferences: () => ({
      preferences: { registrations: { inApp: false, email: false }, reviews: { inApp: false, email: false } },
      updatedAt: new Date().toISOString(),
    }),
    updateReview: () => ({ rating: 1, comment: 'fuzzed' }),
    hideReview: () => ({ reason: 'fuzz' }),
    replyToReview: () => ({ text: 'fuzz' }),
    createWebhook: () => ({ url: side.webhook.url, eventTypes: ['review.created'], description: 'fuzz' }),
  };
  const body = bodies[operation.operationId];
  if (!body) throw new Error(`${operation.operationId} takes a body: give it a valid one in targets.ts`);
  return body();
}

/** The address a refused registration must not create. */
export const REGISTER_EMAIL = 'resilience-fuzz-register@example.com';

export function validRequest(operation: Operation, world: World, side: Side = world.a): ValidRequest {
  const names = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  return {
    path: Object.fromEntries(names.map((name) => [name, pathValue(operation, name, side, world)])),
    body: validBody(operation, side, world),
  };
}

export function accessRuleOf(operation: Pick<Operation, 'operationId'>): AccessRule {
  const rule = ACCESS_TABLE[operation.operationId];
  if (!rule) throw new Error(`${operation.operationId} is not in the access table (access-table.ts)`);
  return rule;
}

/** Whoever may send the operation's valid request on `side`'s resources. */
export function entitledCaller(operation: Operation, world: World, side: Side = world.a): TestAccount {
  const rule = accessRuleOf(operation);
  switch (rule.access) {
    case 'public':
      return side.attendee;
    case 'self':
      if (operation.operationId === 'deleteMe') return world.spare;
      if (operation.operationId === 'registerForEvent') return world.newcomer;
      return side.attendee;
    case 'organizer-role':
    case 'organizer-of-event':
      return side.organizer;
    case 'attendee-of-event':
      return world.eligibleReviewer;
    case 'admin':
      return world.admin;
    case 'owner':
      switch (rule.resource) {
        case 'registration':
        case 'notification':
          return side.attendee;
        case 'review':
          return world.reviewer;
        case 'webhook':
          return side.organizer;
      }
  }
}
