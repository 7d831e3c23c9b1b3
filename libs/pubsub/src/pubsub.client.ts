import { ClientProxy, type ReadPacket, type WritePacket } from '@nestjs/microservices';
import { type Observable, throwError } from 'rxjs';
import { messageClassOf } from './message-class';
import type { MessagePublisher } from './message-publisher';

const EVENTS_ONLY = 'Pub/Sub carries events only: use emit(); request/response goes over gRPC';

/**
 * `ClientProxy` face of MessagePublisher, for code written against Nest's client API:
 * `client.emit('event.published', new EventPublishedV1(...))`. The pattern must be the message's eventType.
 *
 * Prefer the transactional outbox for domain events: a direct emit is lost if the process dies before it.
 */
export class PubSubClientProxy extends ClientProxy {
  constructor(private readonly publisher: MessagePublisher) {
    super();
  }

  /** Nothing to connect: the PubSub client connects lazily. */
  async connect(): Promise<void> {}

  /** Flushes pending publishes; the client itself belongs to PubSubModule. */
  async close(): Promise<void> {
    await this.publisher.flush();
  }

  unwrap<T>(): T {
    return this.publisher as T;
  }

  override send<TResult = unknown, TInput = unknown>(pattern: unknown, data: TInput): Observable<TResult> {
    void pattern;
    void data;
    return throwError(() => new Error(EVENTS_ONLY));
  }

  protected publish(_packet: ReadPacket, callback: (packet: WritePacket) => void): () => void {
    callback({ err: new Error(EVENTS_ONLY), isDisposed: true });
    return () => undefined;
  }

  protected async dispatchEvent<T = string>(packet: ReadPacket): Promise<T> {
    const message = packet.data as object;
    const { eventType } = messageClassOf(message);
    const pattern = this.normalizePattern(packet.pattern);
    if (pattern !== eventType) {
      throw new Error(`pattern "${pattern}" does not match the message's eventType "${eventType}"`);
    }
    return (await this.publisher.publish(message)) as T;
  }
}
