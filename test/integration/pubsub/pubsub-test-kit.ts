import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { PubSub } from '@google-cloud/pubsub';
import { Controller, type DynamicModule, Inject, type INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventPublishedV1, Topics } from '@convene/contracts';
import { PubSubServer, type PubSubContext, type PubSubServerOptions } from '@convene/pubsub';
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

/**
 * A Pub/Sub emulator for one test file, started before its tests. Files do not share one: in a Jest
 * run the shared emulator was seen to stop completing new connections for ~10 s right after another
 * file tore down its clients (never reproduced outside Jest), which failed whichever file came next.
 * Call `stop()` at the end of the file's afterAll, after closing its clients.
 */
export function privatePubSubEmulator(projectId: string): { host(): string; stop(): Promise<void> } {
  let emulator: RunningEmulator | undefined;
  beforeAll(async () => {
    emulator = await startEmulator('pubsub', { projectId });
  }, 60_000);
  return {
    host: () => {
      if (!emulator) throw new Error('the private Pub/Sub emulator is not running');
      return emulator.host;
    },
    stop: async () => {
      await emulator?.stop();
      emulator = undefined;
    },
  };
}
