// Issue 10, access control: the matrix of every operation of the committed OpenAPI spec × who calls
// it, generated from the spec and the access table (access-table.ts). Each operation is called with no
// token, a garbage, a forged and an expired token (401), by the wrong role (403: BFLA), and by other
// people on each owned resource (403/404: BOLA), with the valid request it would accept from its
// rightful caller; none of those changes anything. Reads are also called by their rightful callers,
// which must get in. A spec operation missing from the table fails the test.
import type { Firestore } from '@google-cloud/firestore';
import { randomUUID } from 'node:crypto';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { ACCESS_TOKEN } from '@convene/contracts';
import { registerAccount, type TestAccount } from '../../support/accounts';
import { api, eventually } from '../../support/gateway';
import { systemFirestore } from '../../support/firestore';
import { ACCESS_TABLE, type AccessRule } from './access-table';
import { writeFigures } from './figures';
import { describeOperation, fillPath, specOperations, type Operation } from './openapi-operations';
import { inPool, rawClient, type RawAnswer, type RawRequest } from './raw-http';
import { diff, scopeOf, settledSnapshot, snapshot } from './state-snapshot';
import { accessRuleOf, entitledCaller, validRequest } from './targets';
import { buildWorld, type World } from './world';

jest.setTimeout(120_000);

const CONCURRENCY = 4;

type Intruder = [column: string, account: TestAccount, expect: Expectation];

type Expectation =
  /** 401 problem+json with a Bearer challenge. */
  | 'unauthenticated'
  /** 403 problem+json: the caller is who they say, and may not. */
  | 'forbidden'
  /** 403 or 404 problem+json: someone else's resource (404 when its existence is not theirs to know). */
  | 'not-theirs'
  /** 2xx: the rightful caller, or anyone on a public operation. */
  | 'allowed';

interface Cell {
  operationId: string;
  /** Column of the matrix: no token, garbage token, wrong role: attendee, other organizer, … */
  column: string;
  expect: Expectation;
  request: RawRequest;
}

let db: Firestore;
let world: World;
const client = rawClient();

beforeAll(async () => {
  db = systemFirestore();
  world = await buildWorld(db);
}, 120_000);

afterAll(async () => {
  await world?.close();
  // The rightful rotateSigningKey call made auth sign with a new key some seconds later: hand the system
  // to the next file only once a token signed with that key is issued and accepted.
  const newest = db && (await db.collection('signingKeys').orderBy('createdAt', 'desc').limit(1).get()).docs[0];
  await db?.terminate();
  if (!newest) return;
  const kidOf = (jwt: string): string =>
    JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8')).kid as string;
  let { refreshToken } = await registerAccount();
  const began = Date.now();
  await eventually(
    async () => {
      const session = await api('/v1/auth/refresh', { json: { refreshToken } });
      refreshToken = session.body.refreshToken;
      if (kidOf(session.body.accessToken) !== newest.id) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        return undefined;
      }
      return (await api('/v1/me', { token: session.body.accessToken })).status === 200 ? true : undefined;
    },
    60_000,
    'a token signed with the rotated key to be accepted',
  );
  console.log(
    `access-matrix: the rotated key's tokens accepted ${((Date.now() - began) / 1000).toFixed(1)} s after the suite`,
  );
}, 90_000);

describe('the access table', () => {
  it('classifies exactly the operations of the spec', () => {
    const inSpec = specOperations().map((operation) => operation.operationId);
    expect({
      inTheSpecButNotTheTable: inSpec
        .filter((id) => !(id in ACCESS_TABLE))
        .map((id) => describeOperation(specOperations().find((o) => o.operationId === id)!)),
      inTheTableButNotTheSpec: Object.keys(ACCESS_TABLE).filter((id) => !inSpec.includes(id)),
    }).toEqual({ inTheSpecButNotTheTable: [], inTheTableButNotTheSpec: [] });
  });

  it('agrees with the spec on which operations take no token, or an optional one', () => {
    const disagreements = specOperations()
      .filter((operation) => operation.operationId in ACCESS_TABLE)
      .flatMap((operation) => {
        const rule = accessRuleOf(operation);
        const tableSays =
          rule.access !== 'public'
            ? 'bearer'
            : 'optionalIdentity' in rule && rule.optionalIdentity
              ? 'optional'
              : 'none';
        return tableSays === operation.security
          ? []
          : [`${describeOperation(operation)}: the table says ${tableSays}, the spec ${operation.security}`];
      });
    expect(disagreements).toEqual([]);
  });
});

/** A valid access token of `account`, except that it expired a minute ago (signed with the real key). */
async function expiredTokenOf(account: TestAccount): Promise<string> {
  const header = JSON.parse(Buffer.from(account.accessToken.split('.')[0]!, 'base64url').toString());
  const claims = JSON.parse(Buffer.from(account.accessToken.split('.')[1]!, 'base64url').toString());
  const stored = (await db.collection('signingKeys').doc(header.kid).get()).data();
  if (!stored) throw new Error(`signing key ${header.kid} is not in the emulator`);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, iat: now - 900, nbf: now - 900, exp: now - 60, jti: randomUUID() })
    .setProtectedHeader({ alg: 'ES256', kid: header.kid, typ: ACCESS_TOKEN.type })
    .sign(await importJWK(stored.privateJwk, 'ES256'));
}

/** The same claims, signed by a key the system never issued (the kid is unknown to it). */
async function forgedTokenOf(account: TestAccount): Promise<string> {
  const claims = JSON.parse(Buffer.from(account.accessToken.split('.')[1]!, 'base64url').toString());
  const { privateKey } = await generateKeyPair('ES256');
  return new SignJWT({ ...claims, roles: ['admin'] })
    .setProtectedHeader({ alg: 'ES256', kid: `forged-${randomUUID()}`, typ: ACCESS_TOKEN.type })
    .sign(privateKey);
}

function requestOf(operation: Operation, token: string | undefined, world: World): RawRequest {
  const valid = validRequest(operation, world);
  const body = valid.body === undefined ? undefined : JSON.stringify(valid.body);
  return {
    method: operation.method.toUpperCase(),
    path: fillPath(operation.path, valid.path),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body,
  };
}

/** Who may not call the operation although signed in: wrong role (BFLA) and other people (BOLA). */
function intrudersOf(rule: AccessRule, operation: Operation, w: World): Intruder[] {
  const { a, b } = w;
  switch (rule.access) {
    case 'public':
    case 'self':
      return [];
    case 'organizer-role':
      return [['wrong role: attendee', a.attendee, 'forbidden']];
    case 'admin':
      return [
        ['wrong role: organizer', a.organizer, 'forbidden'],
        ['wrong role: attendee', a.attendee, 'forbidden'],
      ];
    case 'attendee-of-event':
      return [
        ['never attended', b.attendee, 'forbidden'],
        ['its organizer', a.organizer, 'forbidden'],
      ];
    case 'organizer-of-event':
      return [
        ['wrong role: attendee', a.attendee, 'forbidden'],
        ['other organizer', b.organizer, 'not-theirs'],
        rule.staff
          ? ['staff of another event', b.staff, 'not-theirs']
          : // Staff work the door; they never manage the event or its reviews.
            ['its check-in staff', a.staff, 'not-theirs'],
      ];
    case 'owner':
      switch (rule.resource) {
        case 'registration':
          return [
            ['other attendee', b.attendee, 'not-theirs'],
            ['other organizer', b.organizer, 'not-theirs'],
            ['staff of its event', a.staff, 'not-theirs'],
            ...(rule.alsoOrganizer ? [] : [['organizer of its event', a.organizer, 'not-theirs'] satisfies Intruder]),
          ];
        case 'review':
          return [
            ['other attendee', b.attendee, 'not-theirs'],
            ['other organizer', b.organizer, 'not-theirs'],
            ['organizer of its event', a.organizer, 'not-theirs'],
          ];
        case 'webhook':
          return [
            ['other organizer', b.organizer, 'not-theirs'],
            ['attendee', a.attendee, 'not-theirs'],
          ];
        case 'notification':
          return [
            ['other attendee', b.attendee, 'not-theirs'],
            ['organizer', a.organizer, 'not-theirs'],
          ];
      }
  }
  throw new Error(`${operation.operationId}: no intruders for ${JSON.stringify(rule)}`);
}

/** Who must get in, for reads (a write by its rightful caller would change what the refusals must not). */
function rightfulReaders(rule: AccessRule, operation: Operation, w: World): Array<[string, TestAccount]> {
  if (operation.method !== 'get' || rule.access === 'public') return [];
  const entitled: Array<[string, TestAccount]> = [['rightful caller', entitledCaller(operation, w)]];
  if (rule.access === 'organizer-of-event' && rule.staff) entitled.push(['its check-in staff', w.a.staff]);
  if (rule.access === 'owner' && rule.alsoOrganizer) entitled.push(['organizer of its event', w.a.organizer]);
  return entitled;
}

/** The session operations need a session of their own: a fresh account, then one chained login. */
const SESSION_OPERATIONS = new Set(['register', 'login', 'refresh', 'logout']);

function judge(cell: Cell, answer: RawAnswer): string | undefined {
  const { status } = answer;
  if (cell.expect === 'allowed') return status >= 200 && status < 300 ? undefined : `expected 2xx, got ${status}`;
  const wanted = { unauthenticated: [401], forbidden: [403], 'not-theirs': [403, 404] }[cell.expect];
  if (!wanted.includes(status)) return `expected ${wanted.join(' or ')}, got ${status}`;
  if (!answer.contentType.startsWith('application/problem+json') || answer.body?.status !== status) {
    return `a ${status} that is not problem+json with its status`;
  }
  if (status === 401 && !String(answer.headers['www-authenticate'] ?? '').startsWith('Bearer')) {
    return 'a 401 without a Bearer challenge';
  }
  return undefined;
}

describe('every operation of the spec', () => {
  it('lets in only whom the table says: 401 without a valid token, 403 for the wrong role, 403/404 on others’ resources, nothing changed', async () => {
    const operations = specOperations().filter((operation) => operation.operationId in ACCESS_TABLE);
    const expired = new Map<string, string>();
    const forged = new Map<string, string>();
    for (const account of new Set(operations.map((operation) => entitledCaller(operation, world)))) {
      expired.set(account.id, await expiredTokenOf(account));
      forged.set(account.id, await forgedTokenOf(account));
    }

    // Refusals: none may change anything.
    const refusals: Cell[] = [];
    const reads: Cell[] = [];
    for (const operation of operations) {
      const rule = accessRuleOf(operation);
      const cell = (column: string, token: string | undefined, expect: Expectation): Cell => ({
        operationId: operation.operationId,
        column,
        expect,
        request: requestOf(operation, token, world),
      });
      const entitled = entitledCaller(operation, world);
      if (rule.access !== 'public') refusals.push(cell('no token', undefined, 'unauthenticated'));
      if (rule.access !== 'public' || rule.optionalIdentity) {
        refusals.push(cell('garbage token', 'not-a.jwt', 'unauthenticated'));
        refusals.push(cell('expired token', expired.get(entitled.id), 'unauthenticated'));
        refusals.push(cell('token signed by another key', forged.get(entitled.id), 'unauthenticated'));
      }
      for (const [column, intruder, expect] of intrudersOf(rule, operation, world)) {
        refusals.push(cell(column, intruder.accessToken, expect));
      }
      if (rule.access === 'public' && !SESSION_OPERATIONS.has(operation.operationId)) {
        reads.push(cell('no token (public)', undefined, 'allowed'));
      }
      for (const [column, reader] of rightfulReaders(rule, operation, world)) {
        reads.push(cell(column, reader.accessToken, 'allowed'));
      }
    }

    const scope = scopeOf(world);
    const before = await settledSnapshot(db, scope);
    const refusalAnswers = await inPool(refusals, CONCURRENCY, (c) => client.send(c.request));
    const changed = diff(before, await snapshot(db, scope));
    const readAnswers = await inPool(reads, CONCURRENCY, (c) => client.send(c.request));
    const sessions = await publicSessions();
    // Last, as they change things: every write by its rightful caller, one at a time, then who sees
    // the review it hid.
    const writes = rightfulWrites(operations);
    const sequentially = async (list: Cell[]) => {
      const out: RawAnswer[] = [];
      for (const c of list) out.push(await client.send(c.request));
      return out;
    };
    const early = writes.filter((c) => !LAST_WRITES.includes(c.operationId));
    const late = writes.filter((c) => LAST_WRITES.includes(c.operationId));
    const earlyAnswers = await sequentially(early);
    const hidden = hiddenReviewCells();
    const hiddenAnswers = await inPool(hidden, CONCURRENCY, (c) => client.send(c.request));
    const lateAnswers = await sequentially(late);

    const cells = [...refusals, ...reads, ...early, ...hidden, ...late];
    const answers = [...refusalAnswers, ...readAnswers, ...earlyAnswers, ...hiddenAnswers, ...lateAnswers];
    const failures = cells.flatMap((c, i) => {
      const problem = judge(c, answers[i]!);
      return problem ? [`${c.operationId} / ${c.column}: ${problem} (${answers[i]!.text.slice(0, 160)})`] : [];
    });
    failures.push(...sessions.failures);

    const matrix = operations.map((operation) => ({
      operationId: operation.operationId,
      access: accessRuleOf(operation),
      cells: Object.fromEntries(
        cells
          .map((c, i) => [c, answers[i]!] as const)
          .filter(([c]) => c.operationId === operation.operationId)
          .map(([c, answer]) => [c.column, answer.status]),
      ),
      ...(SESSION_OPERATIONS.has(operation.operationId)
        ? { cells: { 'no token (public)': sessions.statuses[operation.operationId] } }
        : {}),
    }));
    const columns = new Set(cells.map((c) => c.column));
    const figures = {
      operations: operations.length,
      columns: [...columns],
      refusalRequests: refusals.length,
      rightfulRequests: cells.filter((c) => c.expect === 'allowed').length + Object.keys(sessions.statuses).length,
      hiddenReviewCells: hidden.length,
      bolaCells: cells.filter((c) => c.expect === 'not-theirs').length,
      bflaCells: cells.filter((c) => c.expect === 'forbidden').length,
      unauthenticatedCells: cells.filter((c) => c.expect === 'unauthenticated').length,
      operationsWithOwnershipChecks: new Set(cells.filter((c) => c.expect === 'not-theirs').map((c) => c.operationId))
        .size,
      failures: failures.length,
      stateChanged: changed.added.length + changed.removed.length + changed.changed.length > 0,
      matrix,
    };
    writeFigures('access-matrix', { ...figures, failureDetails: failures, stateDiff: changed });
    console.log(
      `access-matrix: ${figures.operations} operations × ${columns.size} kinds of caller, ` +
        `${figures.unauthenticatedCells + figures.bflaCells + figures.bolaCells} refusals (${figures.unauthenticatedCells} unauthenticated, ${figures.bflaCells} wrong role, ` +
        `${figures.bolaCells} others' resources on ${figures.operationsWithOwnershipChecks} operations) and ` +
        `${figures.rightfulRequests} rightful calls; ${failures.length ? `${failures.length} OPEN` : 'all closed'}, ` +
        `state ${figures.stateChanged ? 'CHANGED' : 'unchanged'}`,
    );

    expect(failures).toEqual([]);
    expect(changed).toEqual({ added: [], removed: [], changed: [] });
  });
});

/**
 * Writes that end something go last (after the hidden review is looked at), on side B where they end
 * a registration or an event that other writes use on side A.
 */
const LAST_WRITES = [
  'cancelRegistration',
  'cancelEvent',
  'deleteReview',
  'deleteWebhook',
  'rotateSigningKey',
  'deleteMe',
];
const ON_SIDE_B = new Set(['cancelRegistration', 'cancelEvent']);

function rightfulWrites(operations: Operation[]): Cell[] {
  const writes = operations.filter((operation) => {
    const rule = accessRuleOf(operation);
    return operation.method !== 'get' && rule.access !== 'public';
  });
  const rank = (operation: Operation) => LAST_WRITES.indexOf(operation.operationId);
  writes.sort((x, y) => rank(x) - rank(y));
  return writes.map((operation) => {
    const side = ON_SIDE_B.has(operation.operationId) ? world.b : world.a;
    const valid = validRequest(operation, world, side);
    const body = valid.body === undefined ? undefined : JSON.stringify(valid.body);
    return {
      operationId: operation.operationId,
      column: 'rightful caller',
      expect: 'allowed',
      request: {
        method: operation.method.toUpperCase(),
        path: fillPath(operation.path, valid.path),
        headers: {
          authorization: `Bearer ${entitledCaller(operation, world, side).accessToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body,
      },
    };
  });
}

/** After its organizer hid it, a review is shown to its author and the organizer only: others get 404. */
function hiddenReviewCells(): Cell[] {
  const path = `/v1/reviews/${world.review.id}`;
  const cell = (column: string, account: TestAccount | undefined, expect: Expectation): Cell => ({
    operationId: 'getReview',
    column: `hidden review: ${column}`,
    expect,
    request: { method: 'GET', path, headers: account ? { authorization: `Bearer ${account.accessToken}` } : {} },
  });
  return [
    cell('anonymous', undefined, 'not-theirs'),
    cell('other attendee', world.b.attendee, 'not-theirs'),
    cell('other organizer', world.b.organizer, 'not-theirs'),
    cell('its author', world.reviewer, 'allowed'),
    cell('its organizer', world.a.organizer, 'allowed'),
    cell('admin', world.admin, 'allowed'),
  ];
}

/** register → login → refresh → logout, each without an access token, each answered. */
async function publicSessions(): Promise<{ statuses: Record<string, number>; failures: string[] }> {
  const statuses: Record<string, number> = {};
  const failures: string[] = [];
  const post = async (operationId: string, path: string, body: unknown, expected: number) => {
    const answer = await client.send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    statuses[operationId] = answer.status;
    if (answer.status !== expected)
      failures.push(
        `${operationId} / no token (public): expected ${expected}, got ${answer.status} ${answer.text.slice(0, 160)}`,
      );
    return answer.body;
  };
  const credentials = { email: `matrix-${randomUUID()}@example.com`, password: 'correct horse battery staple' };
  await post('register', '/v1/auth/register', { ...credentials, displayName: 'Matrix' }, 201);
  const login = await post('login', '/v1/auth/login', credentials, 200);
  const refreshed = await post('refresh', '/v1/auth/refresh', { refreshToken: login?.refreshToken }, 200);
  await post('logout', '/v1/auth/logout', { refreshToken: refreshed?.refreshToken }, 204);
  return { statuses, failures };
}
