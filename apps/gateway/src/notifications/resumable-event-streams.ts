import { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import type { Gauge } from 'prom-client';
import type { Observable, Subscription } from 'rxjs';
import { DomainError } from '@convene/common';
import { sseComment, sseEvent } from '../registrations/sse-frames';

export interface ResumableEventStreamsOptions {
  /** The `event:` name of every message. */
  event: string;
  /** How often a comment is sent, so proxies and load balancers do not close a quiet stream. */
  heartbeatMs: number;
  /**
   * Frames held for a client that reads slower than they come. Past it the stream ends and the client
   * resumes from its Last-Event-ID, reading the rest from the source instead of from gateway memory.
   */
  maxBacklog: number;
  /** Counts the streams open now. */
  openStreams: Gauge;
}

/**
 * Answers requests with `text/event-stream`, one event per message of an Observable (a gRPC server
 * stream), every message in order with its `id:` so that a client that reconnects (EventSource does,
 * sending the last id as Last-Event-ID) gets exactly what it missed from the source.
 *
 * Unlike ServerSentEventStreams (availability: each message supersedes the previous one, so the
 * response waits for the first), nothing may be dropped and the first message may take hours: the
 * response opens at once, and whatever had to be refused (a bad Last-Event-ID, the service down) was
 * checked by the caller before. From then on a failure of the source ends the response, as does the
 * gateway shutting down; the client's disconnect unsubscribes, which cancels the gRPC call.
 */
export class ResumableEventStreams {
  private readonly open = new Set<{ end(): void }>();

  constructor(private readonly options: ResumableEventStreamsOptions) {}

  /** Takes the reply over (hijacked) and relays `source` into it until either side ends. */
  send<T>(reply: FastifyReply, source: Observable<T>, idOf: (message: T) => string): void {
    const stream: ResumableEventStream<T> = new ResumableEventStream<T>(reply, this.options, idOf, () =>
      this.open.delete(stream),
    );
    this.open.add(stream);
    stream.start(source);
  }

  /** Ends every stream: the gateway is shutting down, and the clients reconnect to another replica. */
  closeAll(): void {
    for (const stream of [...this.open]) stream.end();
  }
}

const logger = new Logger(ResumableEventStreams.name);

class ResumableEventStream<T> {
  private subscription?: Subscription;
  private closed = false;
  private heartbeat?: NodeJS.Timeout;
  /** The client's socket holds more than it can take: frames wait in `backlog` until it drains. */
  private draining = false;
  private readonly backlog: string[] = [];

  constructor(
    private readonly reply: FastifyReply,
    private readonly options: ResumableEventStreamsOptions,
    private readonly idOf: (message: T) => string,
    private readonly onClosed: () => void,
  ) {}

  start(source: Observable<T>): void {
    this.reply.hijack();
    // The client may have left while the caller was checking the request: nobody to stream to.
    if (this.reply.raw.destroyed || this.reply.request.raw.socket.destroyed) {
      this.closed = true;
      this.onClosed();
      return;
    }
    this.reply.raw.writeHead(200, {
      ...headersSetSoFar(this.reply),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // nginx-style proxies buffer responses unless told not to; an event must reach the client now.
      'x-accel-buffering': 'no',
    });
    // Sends the headers now: the client knows the stream is open before the first event.
    this.reply.raw.write(sseComment('open'));
    this.reply.raw.once('close', this.clientGone);
    this.heartbeat = setInterval(() => {
      if (!this.draining) this.reply.raw.write(sseComment('keep-alive'));
    }, this.options.heartbeatMs);
    this.options.openStreams.inc();
    const subscription = source.subscribe({
      next: (message) => this.write(message),
      error: (error: unknown) => this.fail(error),
      complete: () => this.end(),
    });
    // The source may have finished synchronously, before subscribe() returned.
    if (this.closed) subscription.unsubscribe();
    else this.subscription = subscription;
  }

  /** The source completed, or the gateway shuts down. */
  end(): void {
    if (this.closed) return;
    this.cleanUp();
    this.reply.raw.end();
  }

  private write(message: T): void {
    if (this.closed) return;
    const frame = eventFrame(this.idOf(message), this.options.event, message);
    if (!this.draining) {
      if (!this.reply.raw.write(frame)) this.waitForDrain();
      return;
    }
    if (this.backlog.length >= this.options.maxBacklog) {
      // What is held goes with the connection; the client resumes after the last event it received.
      logger.warn({ message: 'event stream ended: the client reads too slowly', backlog: this.backlog.length });
      this.end();
      return;
    }
    this.backlog.push(frame);
  }

  private waitForDrain(): void {
    this.draining = true;
    this.reply.raw.once('drain', this.flush);
  }

  private readonly flush = (): void => {
    this.draining = false;
    while (!this.closed && this.backlog.length > 0) {
      if (!this.reply.raw.write(this.backlog.shift()!)) {
        this.waitForDrain();
        return;
      }
    }
  };

  private fail(error: unknown): void {
    if (this.closed) return;
    const code = error instanceof DomainError ? error.code : 'INTERNAL';
    logger.warn({ message: `event stream ended by its source (${code})`, code });
    this.end();
  }

  private readonly clientGone = (): void => {
    if (!this.closed) this.cleanUp();
  };

  private cleanUp(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    this.subscription?.unsubscribe();
    this.reply.raw.off('close', this.clientGone);
    this.reply.raw.off('drain', this.flush);
    this.backlog.length = 0;
    this.options.openStreams.dec();
    this.onClosed();
  }
}

/** An event with its id: the value a reconnecting client sends back as Last-Event-ID. */
export function eventFrame(id: string, event: string, data: unknown): string {
  // A line break would end the field; NUL makes clients ignore the id (HTML, "Server-sent events").
  if (/[\r\n\0]/.test(id)) throw new Error('an event id cannot contain a line break or NUL');
  return `id: ${id}\n${sseEvent(event, data)}`;
}

/** What Fastify would have sent: headers set on the reply so far (by hooks), minus unset ones. */
function headersSetSoFar(reply: FastifyReply): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined));
}
