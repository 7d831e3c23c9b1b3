import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Gauge } from 'prom-client';
import type { Observable, Subscription } from 'rxjs';
import { DomainError } from '@convene/common';
import { sseComment, sseEvent } from './sse-frames';

export interface ServerSentEventsOptions {
  /** The `event:` name of every message. */
  event: string;
  /** How often a comment is sent, so proxies and load balancers do not close a quiet stream. */
  heartbeatMs: number;
  /** How long the first message may take (the stream itself has no deadline); past it: 504. */
  firstMessageTimeoutMs: number;
  /** Counts the streams open now. */
  openStreams: Gauge;
}

/**
 * Answers requests with `text/event-stream`, one event per message of an Observable (a gRPC server
 * stream). Each message is a snapshot that supersedes the ones before it, so a client that reads
 * slowly gets the latest one when it catches up, never a growing backlog.
 *
 * Nothing is sent before the first message: a failure until then (an unknown event, the service down)
 * rejects, and the HTTP error filter answers problem+json as on any route. From the first message on,
 * the reply is taken over from Fastify (hijacked) and written raw, with the headers the onRequest hooks
 * had set (correlation id, security headers, CORS). The source's end or error ends the response (an
 * EventSource reconnects); the client's disconnect unsubscribes, which cancels the gRPC call.
 *
 * Fastify's onResponse hook (the request duration metric) runs when the gateway ends a stream, not
 * when the client walks away; `openStreams` counts the streams in between.
 */
export class ServerSentEventStreams {
  private readonly open = new Set<EventStream<unknown>>();

  constructor(private readonly options: ServerSentEventsOptions) {}

  /** Resolves once the stream is open (or the client left first); rejects on a failure before that. */
  send<T>(reply: FastifyReply, source: Observable<T>): Promise<void> {
    const stream: EventStream<T> = new EventStream<T>(reply, this.options, () => this.open.delete(stream));
    this.open.add(stream);
    return stream.start(source);
  }

  /** Ends every stream: the gateway is shutting down, and the clients reconnect to another replica. */
  closeAll(): void {
    for (const stream of [...this.open]) stream.close();
  }
}

const logger = new Logger(ServerSentEventStreams.name);

class EventStream<T> {
  private subscription?: Subscription;
  private opened = false;
  private closed = false;
  private heartbeat?: NodeJS.Timeout;
  private firstMessageTimer?: NodeJS.Timeout;
  /** The latest message, held back while the client's socket drains. */
  private pending?: { value: T };
  private resolve: () => void = () => undefined;
  private reject: (error: unknown) => void = () => undefined;

  constructor(
    private readonly reply: FastifyReply,
    private readonly options: ServerSentEventsOptions,
    private readonly onClosed: () => void,
  ) {}

  start(source: Observable<T>): Promise<void> {
    const started = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.reply.raw.once('close', this.clientGone);
    this.firstMessageTimer = setTimeout(
      () => this.fail(new DomainError('UPSTREAM_TIMEOUT', 'A backing service did not answer in time')),
      this.options.firstMessageTimeoutMs,
    );
    const subscription = source.subscribe({
      next: (value) => this.next(value),
      error: (error: unknown) => this.fail(error),
      complete: () => this.end(),
    });
    // The source may have finished synchronously, before subscribe() returned.
    if (this.closed) subscription.unsubscribe();
    else this.subscription = subscription;
    return started;
  }

  close(): void {
    if (this.opened) this.end();
    else this.fail(new DomainError('SERVICE_UNAVAILABLE', 'The gateway is shutting down, try again'));
  }

  private next(value: T): void {
    if (this.closed) return;
    if (!this.opened) this.openResponse();
    this.write(value);
  }

  private openResponse(): void {
    this.opened = true;
    clearTimeout(this.firstMessageTimer);
    this.reply.hijack();
    this.reply.raw.writeHead(200, {
      ...headersSetSoFar(this.reply),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx-style proxies buffer responses unless told not to; an event must reach the client now.
      'x-accel-buffering': 'no',
    });
    this.heartbeat = setInterval(() => {
      if (!this.reply.raw.writableNeedDrain) this.reply.raw.write(sseComment('keep-alive'));
    }, this.options.heartbeatMs);
    this.options.openStreams.inc();
    this.resolve();
  }

  private write(value: T): void {
    if (this.reply.raw.writableNeedDrain) {
      this.pending = { value };
      return;
    }
    if (!this.reply.raw.write(sseEvent(this.options.event, value))) this.reply.raw.once('drain', this.flush);
  }

  private readonly flush = (): void => {
    const pending = this.pending;
    this.pending = undefined;
    if (pending && !this.closed) this.write(pending.value);
  };

  /** The source completed, or the gateway shuts down: the latest message still goes out first. */
  private end(): void {
    if (this.closed) return;
    if (!this.opened) this.openResponse();
    const pending = this.pending;
    this.cleanUp();
    if (pending) this.reply.raw.write(sseEvent(this.options.event, pending.value));
    this.reply.raw.end();
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    this.cleanUp();
    if (!this.opened) {
      this.reject(error);
      return;
    }
    const code = error instanceof DomainError ? error.code : 'INTERNAL';
    logger.warn({ message: `event stream ended by its source (${code})`, code });
    this.reply.raw.end();
  }

  private readonly clientGone = (): void => {
    if (this.closed) return;
    this.cleanUp();
    if (this.opened) return;
    // Nothing was sent and nobody is listening: tell Fastify not to answer.
    this.reply.hijack();
    this.resolve();
  };

  private cleanUp(): void {
    this.closed = true;
    clearTimeout(this.firstMessageTimer);
    clearInterval(this.heartbeat);
    this.subscription?.unsubscribe();
    this.reply.raw.off('close', this.clientGone);
    this.reply.raw.off('drain', this.flush);
    if (this.opened) this.options.openStreams.dec();
    this.onClosed();
  }
}

/** What Fastify would have sent: headers set on the reply so far (by hooks), minus unset ones. */
function headersSetSoFar(reply: FastifyReply): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined));
}
