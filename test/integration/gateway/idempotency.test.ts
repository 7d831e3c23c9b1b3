import { createHash, randomUUID } from 'node:crypto';
import { Body, Controller, Module, Param, Post, Res } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Firestore, Timestamp } from '@google-cloud/firestore';
import { IsInt, Max, Min } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { createHttpApp, createValidationPipe, JsonLogger, ObservabilityModule, type Identity } from '@convene/common';
import { createFirestore, FirestoreModule } from '@convene/firestore';
import { describeRepositoryContract } from '@convene/firestore/testing';
import { AccessTokenGuard } from '../../../apps/gateway/src/auth/access-token.guard';
import { AccessTokenVerifier } from '../../../apps/gateway/src/auth/access-token.verifier';
import { CurrentIdentity } from '../../../apps/gateway/src/auth/current-identity.decorator';
import { JwksCache, JwksSource } from '../../../apps/gateway/src/auth/jwks-cache';
import {
  createSigningKey,
  signAccessToken,
  type TestSigningKey,
} from '../../../apps/gateway/src/auth/testing/test-signing-keys';
import {
  FirestoreIdempotencyStore,
  IDEMPOTENCY_COLLECTION,
} from '../../../apps/gateway/src/idempotency/firestore-idempotency.store';
import type {
  IdempotencyStore,
  PendingIdempotencyRecord,
  StoredResponse,
} from '../../../apps/gateway/src/idempotency/idempotency.store';
import { IdempotencyModule } from '../../../apps/gateway/src/idempotency/idempotency.module';
import { Idempotent } from '../../../apps/gateway/src/idempotency/idempotent.decorator';
import { InMemoryIdempotencyStore } from '../../../apps/gateway/src/idempotency/in-memory-idempotency.store';

jest.setTimeout(30_000);

const projectId = `idempotency-${randomUUID().slice(0, 8)}`;
let signingKey: TestSigningKey;

class RegisterDto {
  @IsInt()
  @Min(1)
  @Max(4)
  seats!: number;
}

/** Every run of the handler, in order. */
const executions: { userId: string; eventId: string; seats: number }[] = [];

/** Stands for the registrations route: slow enough that duplicates arrive while it runs. */
@Controller('v1/events')
class RegistrationsTestController {
  @Post(':id/registrations')
  @Idempotent()
  async register(
    @Param('id') eventId: string,
    @Body() body: RegisterDto,
    @CurrentIdentity() identity: Identity,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ id: string; eventId: string; userId: string; seats: number }> {
    executions.push({ userId: identity.userId, eventId, seats: body.seats });
    await new Promise((resolve) => setTimeout(resolve, 100));
    // A fresh id per run: identical bodies can only be replays.
    const id = randomUUID();
    void reply.header('location', `/v1/registrations/${id}`);
    return { id, eventId, userId: identity.userId, seats: body.seats };
  }
}

/** The gateway's real guard, verifying tokens signed with a test key, and the real Firestore store. */
@Module({
  imports: [
    ObservabilityModule.forRoot({ service: 'gateway' }),
    FirestoreModule.forRoot({ projectId, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST }),
    IdempotencyModule,
  ],
  controllers: [RegistrationsTestController],
  providers: [
    { provide: JwksSource, useValue: { fetch: async () => [signingKey.publicJwk] } satisfies JwksSource },
    {
      provide: JwksCache,
      inject: [JwksSource],
      useFactory: (source: JwksSource) => new JwksCache(source, { ttlSeconds: 300 }),
    },
    {
      provide: AccessTokenVerifier,
      inject: [JwksCache],
      useFactory: (keys: JwksCache) => new AccessTokenVerifier(keys),
    },
    { provide: APP_GUARD, useClass: AccessTokenGuard },
  ],
})
class IdempotencyTestModule {}

interface Reply {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

describe('Idempotency-Key on the Firestore emulator', () => {
  let app: NestFastifyApplication;
  let baseUrl: string;
  let db: Firestore;

  beforeAll(async () => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    signingKey = await createSigningKey('idempotency-test-key');
    app = await createHttpApp(IdempotencyTestModule, {
      service: 'gateway',
      logger: new JsonLogger({ service: 'gateway', level: 'error' }),
    });
    app.useGlobalPipes(createValidationPipe());
    await app.listen(0, '127.0.0.1');
    baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    db = createFirestore({ projectId, emulatorHost: process.env.FIRESTORE_EMULATOR_HOST });
  });

  afterAll(async () => {
    await app?.close();
    await db?.terminate();
    jest.restoreAllMocks();
  });

  beforeEach(() => {
    executions.length = 0;
  });

  async function register(userId: string, key: string, body: unknown, eventId = 'e1'): Promise<Reply> {
    const response = await fetch(`${baseUrl}/v1/events/${eventId}/registrations`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await signAccessToken(signingKey, { sub: userId })}`,
        'content-type': 'application/json',
        'idempotency-key': key,
      },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  it('answers 20 concurrent requests with one key by running once and sending 20 identical responses', async () => {
    const userId = `user-${randomUUID()}`;
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 20 }, () => register(userId, key, { seats: 2 })));

    expect(executions).toEqual([{ userId, eventId: 'e1', seats: 2 }]);
    expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(201));
    const [first] = replies;
    for (const reply of replies) {
      expect(reply.bytes.equals(first!.bytes)).toBe(true);
      expect(reply.headers.get('location')).toBe(first!.headers.get('location'));
      expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
    expect(replies.filter((reply) => reply.headers.get('idempotent-replayed') === 'true')).toHaveLength(19);
    expect(JSON.parse(first!.bytes.toString('utf8'))).toMatchObject({ userId, eventId: 'e1', seats: 2 });

    // The record: keyed by the user and the key, kept for a day (the TTL policy's field).
    const id = createHash('sha256').update(`${userId}\n${key}`).digest('hex');
    const record = (await db.collection(IDEMPOTENCY_COLLECTION).doc(id).get()).data()!;
    expect(record).toMatchObject({ state: 'completed', userId, statusCode: 201, body: first!.bytes.toString('utf8') });
    const createdAt = (record.createdAt as Timestamp).toMillis();
    expect((record.expiresAt as Timestamp).toMillis() - createdAt).toBe(24 * 60 * 60 * 1000);
    expect((record.lockedUntil as Timestamp).toMillis() - createdAt).toBe(30_000);
  });

  it('refuses the same key with another body (422) and runs nothing', async () => {
    const userId = `user-${randomUUID()}`;
    const key = randomUUID();
    const first = await register(userId, key, { seats: 1 });
    const other = await register(userId, key, { seats: 3 });
    const otherEvent = await register(userId, key, { seats: 1 }, 'e2');

    expect(first.status).toBe(201);
    for (const refused of [other, otherEvent]) {
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(refused.bytes.toString('utf8'))).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    }
    expect(executions).toHaveLength(1);
    expect((await register(userId, key, { seats: 1 })).bytes.equals(first.bytes)).toBe(true);
  });

  it('keeps one user’s key apart from another’s: both run', async () => {
    const key = randomUUID();
    const [ada, bob] = await Promise.all([
      register(`ada-${randomUUID()}`, key, { seats: 1 }),
      register(`bob-${randomUUID()}`, key, { seats: 1 }),
    ]);
    expect(executions).toHaveLength(2);
    expect([ada.status, bob.status]).toEqual([201, 201]);
    expect(ada.headers.get('idempotent-replayed')).toBeNull();
    expect(bob.headers.get('idempotent-replayed')).toBeNull();
    expect(ada.bytes.equals(bob.bytes)).toBe(false);
  });
});

const pending = (overrides: Partial<PendingIdempotencyRecord> = {}): PendingIdempotencyRecord => ({
  userId: 'user-1',
  fingerprint: 'fp-1',
  createdAt: '2031-01-01T00:00:00.000Z',
  lockedUntil: '2031-01-01T00:00:30.000Z',
  expiresAt: '2031-01-02T00:00:00.000Z',
  ...overrides,
});

const response: StoredResponse = {
  statusCode: 201,
  contentType: 'application/json; charset=utf-8',
  location: '/v1/registrations/r1',
  body: '{"id":"r1","note":"é\\n"}',
};

describeRepositoryContract<IdempotencyStore>(
  'IdempotencyStore',
  { fake: () => new InMemoryIdempotencyStore(), firestore: (db) => new FirestoreIdempotencyStore(db) },
  (store) => {
    it('creates a record once: a second create of the id gets nothing', async () => {
      const id = randomUUID();
      const lease = await store().create(id, pending());
      expect(lease).toMatchObject({ id });
      expect(await store().create(id, pending({ userId: 'user-2' }))).toBeUndefined();
      expect(await store().find(id)).toEqual({ ...pending(), id, version: lease!.version, state: 'in-progress' });
    });

    it('lets exactly one of concurrent creates win', async () => {
      const id = randomUUID();
      const leases = await Promise.all(Array.from({ length: 10 }, () => store().create(id, pending())));
      expect(leases.filter(Boolean)).toHaveLength(1);
    });

    it('completes a record it holds, and returns the response as stored', async () => {
      const id = randomUUID();
      const lease = (await store().create(id, pending()))!;
      expect(await store().complete(lease, response)).toBe(true);
      expect(await store().find(id)).toMatchObject({ ...pending(), state: 'completed', response });

      const empty = (await store().create(`${id}-empty`, pending()))!;
      await store().complete(empty, { statusCode: 204, body: '' });
      expect(await store().find(`${id}-empty`)).toMatchObject({ response: { statusCode: 204, body: '' } });
    });

    it('takes over a record only from the version it read, and the old holder then cannot write', async () => {
      const id = randomUUID();
      const stale = (await store().create(id, pending()))!;
      const read = (await store().find(id))!;
      const takeovers = await Promise.all([
        store().takeOver(read, pending({ lockedUntil: '2031-01-01T00:01:00.000Z' })),
        store().takeOver(read, pending({ lockedUntil: '2031-01-01T00:01:00.000Z' })),
      ]);
      const winners = takeovers.filter((lease) => lease !== undefined);
      expect(winners).toHaveLength(1);

      expect(await store().complete(stale, response)).toBe(false);
      await store().release(stale);
      expect(await store().find(id)).toMatchObject({ state: 'in-progress', lockedUntil: '2031-01-01T00:01:00.000Z' });

      expect(await store().complete(winners[0]!, response)).toBe(true);
    });

    it('takes over a completed (expired) record as a fresh one, without its old response', async () => {
      const id = randomUUID();
      const lease = (await store().create(id, pending()))!;
      await store().complete(lease, response);
      const taken = await store().takeOver((await store().find(id))!, pending({ fingerprint: 'fp-2' }));
      expect(taken).toBeDefined();
      const record = await store().find(id);
      expect(record).toMatchObject({ state: 'in-progress', fingerprint: 'fp-2' });
      expect(record).not.toHaveProperty('response');
    });

    it('releases a record it holds, so the id can be created again', async () => {
      const id = randomUUID();
      const lease = (await store().create(id, pending()))!;
      await store().release(lease);
      expect(await store().find(id)).toBeUndefined();
      await store().release(lease); // already gone: nothing to do
      expect(await store().create(id, pending())).toBeDefined();
    });
  },
);
