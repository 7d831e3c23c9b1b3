import Fastify, { type FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import { Observable, startWith, Subject } from 'rxjs';
import { DomainError } from '@convene/common';
import { ServerSentEventStreams } from './server-sent-events';

/**
 * ServerSentEventStreams on a bare Fastify server (the gateway's adapter), read by fetch as a browser
 * would: what is sent, when, and what happens to the source when either side goes away.
 */
describe('ServerSentEventStreams', () => {
  let server: FastifyInstance;
  let baseUrl: string;
  let streams: ServerSentEventStreams;
  let openStreams: Gauge;
  let source: Observable<unknown>;

  beforeEach(async () => {
    openStreams = new Gauge({ name: 'streams_open', help: 'open', registers: [new Registry()] });
    streams = new ServerSentEventStreams({ event: 'tick', heartbeatMs: 100, firstMessageTimeoutMs: 300, openStreams });
    server = Fastify();
    // Stands in for the gateway's onRequest hooks (correlation id, security headers).
    server.addHook('onRequest', async (_request, reply) => {
      void reply.header('x-correlation-id', 'corr-1').header('x-content-type-options', 'nosniff');
    });
    server.get('/stream', async (_request, reply) => {
      try {
        await streams.send(reply, source);
      } catch (error) {
        const code = error instanceof DomainError ? error.code : 'INTERNAL';
        return reply.code(code === 'UPSTREAM_TIMEOUT' ? 504 : 404).send({ code });
      }
    });
    baseUrl = await server.listen({ host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    streams.closeAll();
    await server.close();
  });

  async function openStream(abort?: AbortController) {
    const response = await fetch(`${baseUrl}/stream`, { signal: abort?.signal });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    return {
      response,
      /** Reads until `count` frames (blank-line separated) arrived, or the stream ended. */
      async frames(count: number): Promise<string[]> {
        const frames: string[] = [];
        for (;;) {
          let end = buffered.indexOf('\n\n');
          while (end !== -1 && frames.length < count) {
            frames.push(buffered.slice(0, end + 2));
            buffered = buffered.slice(end + 2);
            end = buffered.indexOf('\n\n');
          }
          if (frames.length >= count) return frames;
          const { value, done } = await reader.read();
          if (done) return frames;
          buffered += decoder.decode(value, { stream: true });
        }
      },
      async rest(): Promise<string> {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return buffered;
          buffered += decoder.decode(value, { stream: true });
        }
      },
    };
  }

  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 3000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not reached within 3 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const gaugeValue = async (): Promise<number> => (await openStreams.get()).values[0]?.value ?? 0;

  it('sends each message as an event, with the headers the hooks had set', async () => {
    const messages = new Subject<unknown>();
    source = messages.pipe(startWith({ n: 1 }));
    const stream = await openStream();

    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    expect(stream.response.headers.get('x-correlation-id')).toBe('corr-1');
    expect(stream.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await stream.frames(1)).toEqual(['event: tick\ndata: {"n":1}\n\n']);

    messages.next({ n: 2 });
    expect(await stream.frames(1)).toEqual(['event: tick\ndata: {"n":2}\n\n']);
    expect(await gaugeValue()).toBe(1);

    messages.complete();
    expect(await stream.rest()).toBe('');
    await until(async () => (await gaugeValue()) === 0);
  });

  it('sends a keep-alive comment while the source is quiet', async () => {
    const messages = new Subject<unknown>();
    source = messages.pipe(startWith({ n: 1 }));
    const stream = await openStream();

    expect(await stream.frames(3)).toEqual(['event: tick\ndata: {"n":1}\n\n', ': keep-alive\n\n', ': keep-alive\n\n']);
    messages.complete();
  });

  it('unsubscribes (cancels the upstream call) when the client goes away', async () => {
    let unsubscribed = false;
    source = new Observable((subscriber) => {
      subscriber.next({ n: 1 });
      return () => (unsubscribed = true);
    });
    const abort = new AbortController();
    const stream = await openStream(abort);
    await stream.frames(1);

    abort.abort();
    await until(() => unsubscribed);
    await until(async () => (await gaugeValue()) === 0);
  });

  it('rejects a failure before the first message, so the route answers a problem instead', async () => {
    source = new Observable((subscriber) => subscriber.error(new DomainError('EVENT_NOT_FOUND', 'no such event')));
    const response = await fetch(`${baseUrl}/stream`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 'EVENT_NOT_FOUND' });
  });

  it('rejects with UPSTREAM_TIMEOUT when the first message does not come in time, and unsubscribes', async () => {
    let unsubscribed = false;
    source = new Observable(() => () => (unsubscribed = true));
    const response = await fetch(`${baseUrl}/stream`);
    expect(response.status).toBe(504);
    expect(unsubscribed).toBe(true);
  });

  it('ends the response when the source fails after the stream started', async () => {
    const messages = new Subject<unknown>();
    source = messages.pipe(startWith({ n: 1 }));
    const stream = await openStream();
    await stream.frames(1);

    messages.error(new DomainError('SERVICE_UNAVAILABLE', 'gone'));
    expect(await stream.rest()).toBe('');
  });

  it('answers an empty stream when the source ends without a message', async () => {
    source = new Observable((subscriber) => subscriber.complete());
    const stream = await openStream();
    expect(stream.response.status).toBe(200);
    expect(await stream.rest()).toBe('');
  });

  it('ends every open stream on closeAll (shutdown)', async () => {
    source = new Observable((subscriber) => subscriber.next({ n: 1 }));
    const first = await openStream();
    const second = await openStream();
    await Promise.all([first.frames(1), second.frames(1)]);

    streams.closeAll();
    expect(await first.rest()).toBe('');
    expect(await second.rest()).toBe('');
  });

  it('gives a client that reads slowly the latest message, not a backlog', async () => {
    const total = 50_000;
    const padding = 'x'.repeat(200);
    // Faster than any socket drains: everything past the socket's buffer waits, and only the last is kept.
    source = new Observable((subscriber) => {
      for (let n = 1; n <= total; n++) subscriber.next({ n, padding });
      subscriber.complete();
    });
    const stream = await openStream();
    const received = (await stream.rest()).match(/"n":\d+/g)!.map((match) => Number(match.slice(4)));

    expect(received.length).toBeLessThan(total / 10);
    expect(received[0]).toBe(1);
    expect(received.at(-1)).toBe(total);
    expect(received).toEqual([...received].sort((a, b) => a - b));
  });
});
