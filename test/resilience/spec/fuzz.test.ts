// Issue 10, fuzzing: every operation of the committed OpenAPI spec gets generated bad requests (wrong
// types, missing and unknown fields, huge and empty strings, odd Unicode, bad numbers, malformed JSON,
// wrong content types, oversized bodies), each from a caller entitled to the operation and aimed at
// real resources, so it reaches validation. Promise: no 5xx, every 4xx a problem+json (a 400 naming
// the field that was broken), and nothing written.
import type { Firestore } from '@google-cloud/firestore';
import { randomUUID } from 'node:crypto';
import { registerOrganizer } from '../../support/accounts';
import { systemFirestore } from '../../support/firestore';
import { api, gatewayUrl } from '../../support/gateway';
import { createPublishedEvent } from '../../support/registration-fixtures';
import { writeFigures } from './figures';
import { fuzzCasesFor, ODD_UNICODE, seededRandom, type FuzzCase } from './fuzz-cases';
import { describeOperation, specOperations } from './openapi-operations';
import { inPool, rawClient, type RawAnswer } from './raw-http';
import { diff, isEmptyDiff, scopeOf, settledSnapshot, snapshot, type SnapshotScope } from './state-snapshot';
import { entitledCaller, REGISTER_EMAIL, validRequest } from './targets';
import { buildWorld, type World } from './world';

jest.setTimeout(180_000);

const SEED = 0x10f022;
/** Modest: the gateway and the services share 2 cores with the emulators. */
const CONCURRENCY = 6;

let db: Firestore;
let world: World;
let cases: FuzzCase[];
const client = rawClient();

beforeAll(async () => {
  db = systemFirestore();
  world = await buildWorld(db);
  const random = seededRandom(SEED);
  const foreignIds = [world.review.id, world.a.registration.id, world.a.webhook.id, world.a.event.id];
  const perOperation = specOperations().map((operation) =>
    fuzzCasesFor(
      {
        operation,
        valid: validRequest(operation, world),
        token: entitledCaller(operation, world).accessToken,
        foreignIds,
      },
      random,
    ),
  );
  // Round-robin over operations: the requests in flight together aim at different resources, as a
  // crowd of clients would, rather than six at one document (which the emulator serializes with
  // multi-second lock waits).
  cases = [];
  for (let round = 0; perOperation.some((list) => round < list.length); round++) {
    for (const list of perOperation) if (round < list.length) cases.push(list[round]!);
  }
}, 120_000);

afterAll(async () => {
  await world?.close();
  await db?.terminate();
});

describe('the generator', () => {
  it('covers every operation of the spec, and every parameter and body property each declares', () => {
    const uncovered: string[] = [];
    for (const operation of specOperations()) {
      const targets = new Set(cases.filter((c) => c.operationId === operation.operationId).map((c) => c.target));
      if (targets.size === 0) uncovered.push(`${describeOperation(operation)}: no case at all`);
      for (const parameter of operation.parameters) {
        if (!targets.has(`${parameter.in}.${parameter.name}`)) {
          uncovered.push(`${describeOperation(operation)}: ${parameter.in} parameter ${parameter.name}`);
        }
      }
      for (const property of Object.keys(operation.body?.properties ?? {})) {
        if (![...targets].some((t) => t === `body.${property}` || t.startsWith(`body.${property}.`))) {
          uncovered.push(`${describeOperation(operation)}: body property ${property}`);
        }
      }
      if (operation.method !== 'get' && !targets.has('body')) {
        uncovered.push(`${describeOperation(operation)}: malformed bodies and content types`);
      }
    }
    expect(uncovered).toEqual([]);
  });
});

interface Finding {
  case: string;
  status: number;
  contentType: string;
  body: string;
  problem: string;
}

function describeCase(c: FuzzCase): string {
  return `${c.operationId} ${c.family} ${c.target} (${c.label})`;
}

/** What is wrong with the answer to a bad request, if anything. */
function judge(c: FuzzCase, answer: RawAnswer): string | undefined {
  const { status } = answer;
  if (status >= 500) return 'a server error';
  if (status >= 400) {
    if (!answer.contentType.startsWith('application/problem+json')) return 'a 4xx that is not problem+json';
    if (answer.body?.status !== status || typeof answer.body?.title !== 'string') {
      return 'a problem without its status and title';
    }
    if (c.field && status === 400) {
      const fields: string[] = Array.isArray(answer.body.errors) ? answer.body.errors.map((e: any) => e.field) : [];
      const named = fields.some((f) => f === c.field || f.startsWith(`${c.field}.`) || c.field!.startsWith(`${f}.`));
      if (!named) return `a 400 that does not name ${c.field} (errors: ${JSON.stringify(fields)})`;
    }
    return undefined;
  }
  if (c.expect === 'reject') return 'accepted';
  return undefined;
}

describe('every operation, given bad requests by an entitled caller', () => {
  it('answers each with a 4xx problem+json naming what is wrong, never a 5xx, and changes nothing', async () => {
    const scope: SnapshotScope = scopeOf(world, { absent: [`userEmails/${REGISTER_EMAIL}`] });
    const before = await settledSnapshot(db, scope);
    const started = Date.now();
    const answers = await inPool(cases, CONCURRENCY, async (c) => {
      try {
        return await client.send(c.request);
      } catch (error) {
        return { status: 0, contentType: '', headers: {}, text: String(error), body: undefined, stream: false };
      }
    });
    const seconds = (Date.now() - started) / 1000;
    const after = await snapshot(db, scope);
    const changed = diff(before, after);

    const findings: Finding[] = [];
    const histogram: Record<string, number> = {};
    const byFamily: Record<string, number> = {};
    answers.forEach((answer, index) => {
      const c = cases[index]!;
      histogram[answer.status] = (histogram[answer.status] ?? 0) + 1;
      byFamily[c.family] = (byFamily[c.family] ?? 0) + 1;
      const problem = answer.status === 0 ? `no answer: ${answer.text}` : judge(c, answer);
      if (problem) {
        findings.push({
          case: describeCase(c),
          status: answer.status,
          contentType: answer.contentType,
          body: answer.text.slice(0, 300),
          problem,
        });
      }
    });
    const count = (what: string) => findings.filter((f) => f.problem.startsWith(what)).length;
    const figures = {
      seed: SEED,
      concurrency: CONCURRENCY,
      operations: specOperations().length,
      operationsCovered: new Set(cases.map((c) => c.operationId)).size,
      requests: cases.length,
      seconds,
      statusHistogram: histogram,
      families: byFamily,
      serverErrors: count('a server error'),
      nonProblem4xx: count('a 4xx that is not problem+json'),
      problemsWithoutStatusOrTitle: count('a problem without'),
      badRequestsAccepted: count('accepted'),
      fieldNotNamed: count('a 400 that does not name'),
      noAnswer: count('no answer'),
      toleratedAnswered2xx: answers.filter((a, i) => cases[i]!.expect === 'tolerate' && a.status > 0 && a.status < 400)
        .length,
      stateChanged: !isEmptyDiff(changed),
      findings: findings.slice(0, 200),
    };
    writeFigures('fuzz', { ...figures, stateDiff: changed });
    console.log(
      `fuzz: ${figures.operationsCovered}/${figures.operations} operations, ${figures.requests} requests in ` +
        `${seconds.toFixed(1)} s; statuses ${JSON.stringify(histogram)}; ${figures.serverErrors} 5xx, ` +
        `${figures.nonProblem4xx} non-problem 4xx, ${figures.badRequestsAccepted} bad requests accepted, ` +
        `${figures.fieldNotNamed} 400s not naming the field; state ${figures.stateChanged ? 'CHANGED' : 'unchanged'}`,
    );

    // One assertion, so a failure shows both what was answered wrongly and what was written.
    expect({
      answeredWrongly: findings.map((f) => `${f.case} → ${f.status}: ${f.problem}`),
      written: [
        ...changed.added.map((path) => `added ${path}`),
        ...changed.removed.map((path) => `removed ${path}`),
        ...changed.changed.map((c) => `changed ${c.path}: ${changedFields(c.before, c.after)}`),
      ],
    }).toEqual({ answeredWrongly: [], written: [] });
  });
});

describe('unusual text in valid requests', () => {
  // Text that is well-formed but odd (NUL, bidi controls, emoji, combining marks, joiners, a BOM) is
  // stored and read back exactly, through every representation that prints it (the ticket as JSON, SVG
  // and PNG, the attendee export). A lone surrogate is not text: refused with a 400 naming the field.
  it('is stored and read back as sent, or refused with a 400 when it is not well-formed', async () => {
    const organizer = await registerOrganizer();
    const isLoneSurrogate = (text: string) => /^[\ud800-\udfff]$/.test(text);
    const samples = ODD_UNICODE.filter((odd) => odd.text).map((odd) => ({
      name: odd.name,
      text: `Ada ${odd.text} L`,
      wellFormed: !isLoneSurrogate(odd.text!),
    }));
    const outcomes: Array<{ sample: string; step: string; status: number; problem?: string }> = [];
    const record = (sample: string, step: string, status: number, problem?: string) =>
      outcomes.push({ sample, step, status, ...(problem ? { problem } : {}) });
    const title = `odd ${samples
      .filter((s) => s.wellFormed)
      .map((s) => s.text)
      .join(' ')}`;
    const event = await createPublishedEvent(organizer, { title });
    const read = await api(`/v1/events/${event.id}`);
    record('all well-formed', 'event title', read.status, read.body?.title === title ? undefined : 'title changed');

    const accepted: string[] = [];
    for (const sample of samples) {
      const registered = await api('/v1/auth/register', {
        json: {
          email: `odd-${randomUUID()}@example.com`,
          password: 'correct horse battery staple',
          displayName: sample.text,
        },
      });
      if (!sample.wellFormed) {
        const named = registered.body?.errors?.some((e: any) => e.field === 'displayName');
        record(
          sample.name,
          'refused',
          registered.status,
          registered.status === 400 && named ? undefined : 'not a 400 naming displayName',
        );
        continue;
      }
      const token = registered.body?.accessToken;
      record(sample.name, 'register account', registered.status, registered.status === 201 ? undefined : 'refused');
      if (registered.status !== 201) continue;
      const me = await api('/v1/me', { token });
      record(sample.name, 'GET me', me.status, me.body?.displayName === sample.text ? undefined : 'name changed');
      const registration = await api(`/v1/events/${event.id}/registrations`, { method: 'POST', token });
      record(sample.name, 'register for the event', registration.status);
      if (registration.status !== 201) continue;
      accepted.push(sample.text);
      for (const accept of ['application/json', 'image/svg+xml', 'image/png']) {
        const ticket = await fetch(`${gatewayUrl()}/v1/registrations/${registration.body.id}/ticket`, {
          headers: { authorization: `Bearer ${token}`, accept },
        });
        const text = Buffer.from(await ticket.arrayBuffer()).toString('utf8');
        const shown = accept !== 'application/json' || JSON.parse(text).holderName === sample.text;
        record(sample.name, `ticket ${accept}`, ticket.status, shown ? undefined : 'holder name changed');
      }
    }
    const csv = await fetch(`${gatewayUrl()}/v1/events/${event.id}/attendees`, {
      headers: { authorization: `Bearer ${organizer.accessToken}`, accept: 'text/csv' },
    });
    const exported = await csv.text();
    const missing = accepted.filter((name) => !exported.includes(name));
    record(
      'all well-formed',
      'attendees CSV',
      csv.status,
      missing.length ? `missing ${JSON.stringify(missing)}` : undefined,
    );
    writeFigures('fuzz-odd-text', { outcomes });
    console.log(
      `fuzz-odd-text: ${outcomes.length} requests, ${outcomes.filter((o) => o.status >= 500).length} 5xx, ` +
        `${outcomes.filter((o) => o.problem).length} problems: ${JSON.stringify(outcomes.filter((o) => o.problem))}`,
    );

    expect(outcomes.filter((o) => o.status >= 500 || o.status === 0 || o.problem)).toEqual([]);
    expect(outcomes.filter((o) => o.step === 'register for the event').map((o) => o.status)).toEqual(
      samples.filter((s) => s.wellFormed).map(() => 201),
    );
  });
});

/** `field: before → after` for each top-level field that differs, briefly. */
function changedFields(before: unknown, after: unknown): string {
  const was = (before ?? {}) as Record<string, unknown>;
  const is = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(was), ...Object.keys(is)])]
    .filter((key) => JSON.stringify(was[key]) !== JSON.stringify(is[key]))
    .map((key) => `${key}: ${JSON.stringify(was[key])} → ${JSON.stringify(is[key])}`.slice(0, 300))
    .join('; ');
}
