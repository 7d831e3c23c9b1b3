import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { PubSub } from '@google-cloud/pubsub';
import { Controller, type DynamicModule, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventPublishedV1, Topics } from '@convene/contracts';
import {
  createPubSub,
  MessagePublisher,
  PubSubServer,
  PubSubTopology,
  type PubSubContext,
  type PubSubServerOptions,
} from '@convene/pubsub';
import { startEmulator, type RunningEmulator } from '../../../scripts/lib/emulators.mts';

/** Projects isolate data in both emulators: one per test keeps tests from seeing each other's messages. */
export function uniqueProjectId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function emulatorHost(name: 'FIRESTORE_EMULATOR_HOST' | 'PUBSUB_EMULATOR_HOST'): string {
  const host = process.env[name];
  if (!host) throw new Error(`${name} is not set`);
  return host;
}

export function eventPublished(overrides: Partial<EventPublishedV1> = {}): EventPublishedV1 {
  const startsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
  return Object.assign(new EventPublishedV1(), {
    id: randomUUID(),
    title: 'Pub/Sub integration test',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3600 * 1000).toISOString(),
    timezone: 'Europe/Paris',
    capacity: 10,
    visibility: 'public',
    publishedAt: new Date().toISOString(),
    ...overrides,
  });
}

export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export type EventPublishedHandler = (message: EventPublishedV1, context: PubSubContext) => Promise<void>;

const HANDLER = Symbol('HANDLER');

/** A thin controller, as in the apps: it hands the message to the test's function. */
@Controller()
class EventPublishedController {
  constructor(@Inject(HANDLER) private readonly handle: EventPublishedHandler) {}

  @EventPattern<string>(Topics.eventPublished)
  async onEventPublished(@Payload() message: EventPublishedV1, @Ctx() context: PubSubContext): Promise<void> {
    await this.handle(message, context);
  }
}

@Module({})
class ConsumerTestModule {
  static with(handler: EventPublishedHandler): DynamicModule {
    return {
      module: ConsumerTestModule,
      controllers: [EventPublishedController],
      providers: [{ provide: HANDLER, useValue: handler }],
    };
  }
}

/** A Nest microservice on PubSubServer consuming `notifications.event.published`. */
export async function startConsumer(
  pubsub: PubSub,
  handler: EventPublishedHandler,
  options: Partial<PubSubServerOptions> = {},
): Promise<INestMicroservice> {
  const strategy = new PubSubServer({
    pubsub,
    service: 'notifications',
    reconnectBackoff: { initialMs: 200, maxMs: 2_000 },
    drainTimeoutMs: 2_000,
    ...options,
  });
  const app = await NestFactory.createMicroservice(ConsumerTestModule.with(handler), {
    strategy,
    logger: ['error', 'warn'],
  });
  await app.listen();
  return app;
}

export const FAST_TOPOLOGY = {
  maxDeliveryAttempts: 5,
  retryBackoff: { minimumMs: 100, maximumMs: 500 },
  adminTimeoutMs: 10_000,
} as const;

/** What a Pub/Sub test file works with; valid inside its tests (set up in beforeAll). */
export interface PubSubTestBed {
  readonly projectId: string;
  pubsub(): PubSub;
  topology(): PubSubTopology;
  publisher(): MessagePublisher;
  /** Starts a consumer of `notifications.event.published`; the bed closes it after the file. */
  consume(handler: EventPublishedHandler, options?: Partial<PubSubServerOptions>): Promise<INestMicroservice>;
}

/**
 * A Pub/Sub client, topology and publisher on an emulator of the file's own, closed after it in order.
 * Files do not share one emulator: in a Jest run the shared one was seen to stop completing new
 * connections for ~10 s right after another file tore down its clients (never reproduced outside
 * Jest), which failed whichever file came next.
 */
export function pubsubTestBed(prefix: string): PubSubTestBed {
  const projectId = uniqueProjectId(prefix);
  let emulator: RunningEmulator | undefined;
  let pubsub: PubSub | undefined;
  let topology: PubSubTopology | undefined;
  let publisher: MessagePublisher | undefined;
  const consumers: INestMicroservice[] = [];

  beforeAll(async () => {
    emulator = await startEmulator('pubsub', { projectId });
    pubsub = createPubSub({ projectId, emulatorHost: emulator.host });
    topology = new PubSubTopology(pubsub, FAST_TOPOLOGY);
    publisher = new MessagePublisher(pubsub, topology, { source: 'events' });
  }, 60_000);

  afterAll(async () => {
    for (const consumer of consumers.splice(0)) await consumer.close();
    await publisher?.close();
    await pubsub?.close();
    await emulator?.stop();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the Pub/Sub test bed is used outside its tests');
    return value;
  };
  return {
    projectId,
    pubsub: () => ready(pubsub),
    topology: () => ready(topology),
    publisher: () => ready(publisher),
    consume: async (handler, options = {}) => {
      const consumer = await startConsumer(ready(pubsub), handler, { topology: ready(topology), ...options });
      consumers.push(consumer);
      return consumer;
    },
  };
}
