import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore } from '@convene/firestore';
import { PROTO_LOADER_OPTIONS } from '@convene/contracts';
import { freePort } from '../../scripts/lib/emulators.mts';

/**
 * Invariant 1 with a process killed mid-request: the registrations service is SIGKILLed while a crowd
 * registers, restarted, and everyone whose request failed retries once. The real events and
 * registrations apps run from their builds, in a Google Cloud project of this file's own on the shared
 * emulators, and are called over gRPC as the gateway would.
 */
jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const LOG_DIR = join(ROOT, '.convene', 'test', 'logs');
const PROJECT = `convene-crash-${randomUUID().slice(0, 8)}`;
const CAPACITY = 100;
const PEOPLE = 300;

type Call = (
  request: object,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, reply?: any) => void,
) => void;
type Client = grpc.Client & Record<string, Call>;

function clientOf(proto: string, pkg: string[], service: string, url: string): Client {
  const definition = protoLoader.loadSync(join(ROOT, 'libs/contracts/proto', proto), PROTO_LOADER_OPTIONS);
  let namespace: any = grpc.loadPackageDefinition(definition);
  for (const part of pkg) namespace = namespace[part];
  return new namespace[service](url, grpc.credentials.createInsecure()) as Client;
}

function call<T>(client: Client, method: string, request: object, metadata: grpc.Metadata): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method].call(client, request, metadata, (error, reply) => (error ? reject(error) : resolve(reply as T))),
  );
}

function as(userId: string, roles: string, name: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set('x-convene-user-id', userId);
  metadata.set('x-convene-user-roles', roles);
  metadata.set('x-convene-user-name-bin', Buffer.from(name));
  return metadata;
}

async function until(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).status === 200) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms`);
}

describe('registrations killed mid-request', () => {
  let db: Firestore;
  let events: ChildProcess;
  let registrations: ChildProcess | undefined;
  const ports = { eventsHttp: 0, eventsGrpc: 0, registrationsHttp: 0, registrationsGrpc: 0 };
  const env = () => ({
    ...process.env,
    GCP_PROJECT_ID: PROJECT,
    EVENTS_GRPC_URL: `127.0.0.1:${ports.eventsGrpc}`,
    REGISTRATIONS_GRPC_URL: `127.0.0.1:${ports.registrationsGrpc}`,
    AUTH_GRPC_URL: '127.0.0.1:9', // not asked: the holder's name travels with the identity
    LOG_LEVEL: 'warn',
  });
  // Their logs, for when this test fails: .convene/test/logs/crash-<app>.log (appended across restarts).
  const startApp = (app: 'events' | 'registrations', http: number, grpcPort: number): ChildProcess => {
    mkdirSync(LOG_DIR, { recursive: true });
    const log = openSync(join(LOG_DIR, `crash-${app}.log`), 'a');
    const child = spawn(process.execPath, [join(ROOT, 'dist/apps', app, 'src/main.js')], {
      env: { ...env(), HTTP_PORT: String(http), GRPC_PORT: String(grpcPort) },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    return child;
  };

  beforeAll(async () => {
    db = createFirestore({ projectId: PROJECT, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST });
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
    events = startApp('events', ports.eventsHttp, ports.eventsGrpc);
    registrations = startApp('registrations', ports.registrationsHttp, ports.registrationsGrpc);
    await until(`http://127.0.0.1:${ports.eventsHttp}/readyz`);
    await until(`http://127.0.0.1:${ports.registrationsHttp}/readyz`);
  }, 90_000);

  afterAll(async () => {
    registrations?.kill('SIGKILL');
    events?.kill('SIGKILL');
    await db?.terminate();
  });

  it('keeps confirmed within capacity, one registration per person, counts equal to documents', async () => {
    const eventsClient = clientOf(
      'events.proto',
      ['convene', 'events', 'v1'],
      'EventsService',
      `127.0.0.1:${ports.eventsGrpc}`,
    );
    const organizer = as(randomUUID(), 'attendee,organizer', 'Organizer');
    const startsAt = new Date(Date.now() + 86_400_000);
    const draft = await call<{ id: string }>(
      eventsClient,
      'createEvent',
      {
        title: 'Crash night',
        description: '',
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
        timezone: 'Europe/Paris',
        venue: { name: 'Hall', address: '1 rue du Test, Paris' },
        category: 'concert',
        tags: [],
        capacity: CAPACITY,
        waitlistEnabled: true,
        visibility: 'public',
      },
      organizer,
    );
    await call(eventsClient, 'publishEvent', { id: draft.id }, organizer);

    const registrationsUrl = `127.0.0.1:${ports.registrationsGrpc}`;
    let client = clientOf(
      'registrations.proto',
      ['convene', 'registrations', 'v1'],
      'RegistrationsService',
      registrationsUrl,
    );
    const people = Array.from({ length: PEOPLE }, () => randomUUID());
    const register = (userId: string) =>
      call<{ status: string }>(
        client,
        'register',
        { eventId: draft.id },
        as(userId, 'attendee', `Fan ${userId.slice(0, 4)}`),
      );

    // Killed once the first answers are back: some batches committed, others are in flight.
    let answered = 0;
    const first = Promise.allSettled(people.map((userId) => register(userId).finally(() => (answered += 1))));
    const deadline = Date.now() + 20_000;
    while (answered < 10 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    registrations!.kill('SIGKILL');
    const outcomes = await first;
    const failed = people.filter((_, i) => outcomes[i].status === 'rejected');
    expect(failed.length).toBeGreaterThan(0); // the kill landed mid-rush...
    expect(failed.length).toBeLessThan(PEOPLE); // ...after some registrations were answered

    registrations = startApp('registrations', ports.registrationsHttp, ports.registrationsGrpc);
    await until(`http://127.0.0.1:${ports.registrationsHttp}/readyz`);
    client.close();
    client = clientOf(
      'registrations.proto',
      ['convene', 'registrations', 'v1'],
      'RegistrationsService',
      registrationsUrl,
    );
    // Each person whose request failed retries once: a registration that did commit answers ALREADY_EXISTS.
    const retries = await Promise.allSettled(failed.map(register));
    for (const retry of retries) {
      if (retry.status === 'rejected')
        expect((retry.reason as grpc.ServiceError).code).toBe(grpc.status.ALREADY_EXISTS);
    }
    client.close();
    eventsClient.close();

    const [stored, shards, keys, waitlist] = await Promise.all([
      db.collection('registrations').where('eventId', '==', draft.id).get(),
      db.collection('inventory').doc(draft.id).collection('shards').get(),
      db.collection('registrationKeys').where('eventId', '==', draft.id).get(),
      db.collection('waitlist').doc(draft.id).collection('entries').get(),
    ]);
    const byStatus = (status: string) => stored.docs.filter((d) => d.get('status') === status).length;
    const perPerson = new Map<string, number>();
    for (const doc of stored.docs) perPerson.set(doc.get('userId'), (perPerson.get(doc.get('userId')) ?? 0) + 1);

    expect(byStatus('confirmed')).toBe(CAPACITY);
    expect(shards.docs.reduce((sum, d) => sum + (d.get('taken') as number), 0)).toBe(CAPACITY);
    expect(byStatus('waitlisted')).toBe(PEOPLE - CAPACITY);
    expect(waitlist.size).toBe(PEOPLE - CAPACITY);
    expect(keys.size).toBe(PEOPLE);
    expect(perPerson.size).toBe(PEOPLE);
    expect([...perPerson.values()].every((n) => n === 1)).toBe(true);
  });
});
