// What the world's resources are in Firestore, the source of truth behind every service: taken before
// and after a barrage of refused requests, the two must be equal. Read straight from the emulator,
// so a write the API would not show (a bumped field, a stray document) still counts.
import { Timestamp, type DocumentSnapshot, type Firestore, type Query } from '@google-cloud/firestore';
import { isDeepStrictEqual } from 'node:util';
import type { World } from './world';

/** Document path → its data (Timestamps as ISO strings), or null where a document must stay absent. */
export type Snapshot = Record<string, unknown>;

/** Firestore's `in` takes at most 30 values. */
function chunks<T>(values: T[], size = 30): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    const path = (value as { path?: unknown }).path;
    if (typeof path === 'string' && 'firestore' in value) return `ref:${path}`;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, plain((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export interface SnapshotScope {
  userIds: string[];
  organizerIds: string[];
  eventIds: string[];
  registrationIds: string[];
  webhookIds: string[];
  /** Documents that must not come to exist (e.g. the account a refused registration would create). */
  absent: string[];
}

export function scopeOf(world: World, extra: Partial<SnapshotScope> = {}): SnapshotScope {
  const sides = [world.a, world.b];
  return {
    userIds: world.accounts.map((account) => account.id),
    organizerIds: sides.map((side) => side.organizer.id),
    eventIds: sides.flatMap((side) => [side.event.id, side.draft.id]),
    registrationIds: sides.map((side) => side.registration.id),
    webhookIds: sides.map((side) => side.webhook.id),
    absent: [],
    ...extra,
  };
}

/**
 * Every document of the scope: accounts and their preferences and inbox, the organizers' events (a
 * refused create must not add one), inventory, registrations, check-ins, reviews, webhook endpoints
 * and deliveries, and the active signing key.
 */
export async function snapshot(db: Firestore, scope: SnapshotScope): Promise<Snapshot> {
  const out: Snapshot = {};
  const keep = (doc: DocumentSnapshot) => {
    out[doc.ref.path] = doc.exists ? plain(doc.data()) : null;
  };
  const byIds = async (collection: string, ids: string[]) => {
    if (ids.length === 0) return;
    (await db.getAll(...ids.map((id) => db.collection(collection).doc(id)))).forEach(keep);
  };
  const byField = async (collection: string, field: string, values: string[]) => {
    for (const values30 of chunks(values)) {
      if (values30.length === 0) continue;
      (await db.collection(collection).where(field, 'in', values30).get()).docs.forEach(keep);
    }
  };
  const all = async (query: Query) => (await query.get()).docs.forEach(keep);

  await Promise.all([
    byIds('users', scope.userIds),
    byIds('notificationPreferences', scope.userIds),
    byField('notifications', 'recipientId', scope.userIds),
    byField('events', 'organizerId', scope.organizerIds),
    byIds('events', scope.eventIds),
    byIds('inventory', scope.eventIds),
    ...scope.eventIds.map((id) => all(db.collection('inventory').doc(id).collection('shards'))),
    ...scope.eventIds.map((id) => all(db.collection('waitlist').doc(id).collection('entries'))),
    byField('registrations', 'eventId', scope.eventIds),
    byIds('checkins', scope.registrationIds),
    byField('reviews', 'eventId', scope.eventIds),
    byField('webhookEndpoints', 'ownerId', scope.organizerIds),
    byField('webhookDeliveries', 'endpointId', scope.webhookIds),
    byIds('signingKeys', ['_active']),
    ...scope.absent.map(async (path) => keep(await db.doc(path).get())),
  ]);
  // Check-ins of registrations made meanwhile (a refused check-in or registration must add none).
  const registrations = Object.keys(out)
    .filter((path) => path.startsWith('registrations/'))
    .map((path) => path.slice('registrations/'.length));
  await byIds('checkins', registrations);
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => x.localeCompare(y)));
}

export interface SnapshotDiff {
  added: string[];
  removed: string[];
  changed: Array<{ path: string; before: unknown; after: unknown }>;
}

export function diff(before: Snapshot, after: Snapshot): SnapshotDiff {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  const result: SnapshotDiff = { added: [], removed: [], changed: [] };
  for (const path of paths) {
    const was = before[path] ?? null;
    const is = after[path] ?? null;
    if (was === null && is !== null) result.added.push(path);
    else if (was !== null && is === null) result.removed.push(path);
    else if (!isDeepStrictEqual(was, is)) result.changed.push({ path, before: was, after: is });
  }
  return result;
}

export function isEmptyDiff(d: SnapshotDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

/**
 * The snapshot once the system has stopped moving: building the world sets off messages (seat and
 * rating projections, notifications, webhook deliveries) that land for a while after. Waits until
 * nothing changed for `quietMs`; the deadline only turns a system that never settles into a failure.
 */
export async function settledSnapshot(
  db: Firestore,
  scope: SnapshotScope,
  { quietMs = 3_000, timeoutMs = 45_000 } = {},
): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let previous = await snapshot(db, scope);
  let quietSince = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const current = await snapshot(db, scope);
    const moved = diff(previous, current);
    if (!isEmptyDiff(moved)) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return current;
    if (Date.now() > deadline) {
      throw new Error(`the world kept changing for ${timeoutMs} ms: ${JSON.stringify(moved).slice(0, 2_000)}`);
    }
    previous = current;
  }
}
