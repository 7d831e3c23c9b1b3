import Fastify, { type FastifyInstance } from 'fastify';
import { connect } from 'node:net';
import { Gauge, Registry } from 'prom-client';
import { Observable, Subject } from 'rxjs';
import { eventFrame, ResumableEventStreams, type ResumableEventStreamsOptions } from './resumable-event-streams';

/**
 * ResumableEventStreams on a bare Fastify server (the gateway's adapter), read by fetch as a browser
 * would: every message in order with its id, what happens to the source when either side goes away,
 * and a reader too slow to keep up.
 */
describe('ResumableEventStreams', () => {
  let server: FastifyInstance;
  let baseUrl: string;
  let streams: ResumableEventStreams;
  let options: ResumableEventStreamsOptions;
  let registry: Registry;
  let source: Subject<{ n: number; pad?: string }>;
  let subscribed = 0;
  let unsubscribed = 0;
  let lateSent: () => void;

  beforeAll(() => {
    // The streams log (JSON in the app) when one ends badly; here that would only clutter the output.
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  afterAll(() => jest.restoreAllMocks());

  beforeEach(async () => {
    registry = new Registry();
    const openStreams = new Gauge({ name: 'streams_open', help: 'open', registers: [registry] });
    // Room for a burst the reader is slower than; the slow-reader test lowers it.
    options = { event: 'note', heartbeatMs: 100, maxBacklog: 10_000, openStreams };
    streams = new ResumableEventStreams(options);
    source = new Subject();
    subscribed = 0;
    unsubscribed = 0;
    const counted = new Observable<{ n: number; pad?: string }>((subscriber) => {
      subscribed += 1;
      const subscription = source.subscribe(subscriber);
      return () => {
        unsubscribed += 1;
        subscription.unsubscribe();
      };
    });
    server = Fastify();
    // Stands in for the gateway's onRequest hooks (correlation id, security headers).
    server.addHook('onRequest', async (_request, reply) => {
      void reply.header('x-correlation-id', 'corr-1').header('x-content-type-options', 'nosniff');
    });
    server.get('/stream', async (_request, reply) => {
      streams.send(reply, counted, (message) => `id-${message.n}`);
    });
    server.get('/late', async (request, reply) => {
      // The client leaves while the route is still checking the request.
      await new Promise((resolve) => request.raw.socket.once('close', resolve));
      streams.send(reply, counted, (message) => `id-${message.n}`);
      lateSent();
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
    };
  }

  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error('condition not reached within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const gauge = async () => (await registry.getSingleMetricAsString('streams_open')).split('\n').at(-1);

  it('opens before any message, with the hooks’ headers, and counts the stream', async () => {
    const stream = await openStream();
    expect(stream.response.status).toBe(200);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('cache-control')).toBe('no-store');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.response.headers.get('x-correlation-id')).toBe('corr-1');
    expect(stream.response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await stream.frames(1)).toEqual([': open\n\n']);
    expect(subscribed).toBe(1);
    expect(await gauge()).toBe('streams_open 1');
  });

  it('sends every message, in order, each with its id, however fast they come', async () => {
    const stream = await openStream();
    await stream.frames(1);
    const pad = 'x'.repeat(2000);
    for (let n = 0; n < 2000; n++) source.next({ n, pad });
    const frames = (await stream.frames(2000)).filter((frame) => !frame.startsWith(':'));
    expect(frames.slice(0, 2)).toEqual([
      `id: id-0\nevent: note\ndata: {"n":0,"pad":"${pad}"}\n\n`,
      `id: id-1\nevent: note\ndata: {"n":1,"pad":"${pad}"}\n\n`,
    ]);
    const ids = frames.map((frame) => Number(/^id: id-(\d+)$/m.exec(frame)![1]));
    // Heartbeats may be interleaved and filtered out; read the rest until all 2000 arrived.
    while (ids.length < 2000) {
      const more = (await stream.frames(1)).filter((frame) => !frame.startsWith(':'));
      if (more.length === 0) break;
      ids.push(...more.map((frame) => Number(/^id: id-(\d+)$/m.exec(frame)![1])));
    }
    expect(ids).toEqual(Array.from({ length: 2000 }, (_, n) => n));
  });

  it('sends a comment heartbeat while nothing happens', async () => {
    const stream = await openStream();
    expect(await stream.frames(3)).toEqual([': open\n\n', ': keep-alive\n\n', ': keep-alive\n\n']);
  });

  it('unsubscribes (cancels the call) when the client leaves', async () => {
    const abort = new AbortController();
    const stream = await openStream(abort);
    await stream.frames(1);
    abort.abort();
    await until(() => unsubscribed === 1);
    await until(async () => (await gauge()) === 'streams_open 0');
  });

  it('ends the response when the source fails or completes, and when the gateway shuts down', async () => {
    const failing = await openStream();
    source.next({ n: 1 });
    source.error(new Error('the service went away'));
    const frames = await failing.frames(10);
    expect(frames.filter((frame) => !frame.startsWith(':'))).toEqual(['id: id-1\nevent: note\ndata: {"n":1}\n\n']);

    source = new Subject();
    const completing = await openStream();
    await completing.frames(1);
    source.complete();
    expect(await completing.frames(10)).toEqual([]);

    source = new Subject();
    const shutDown = await openStream();
    await shutDown.frames(1);
    streams.closeAll();
    expect(await shutDown.frames(10)).toEqual([]);
    await until(() => unsubscribed === 3);
    expect(await gauge()).toBe('streams_open 0');
  });

  it('ends the stream of a client that stops reading once its backlog is full, instead of holding more', async () => {
    options.maxBacklog = 5;
    // A raw socket that never reads: the kernel's buffers fill, then the stream's backlog.
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
    socket.write('GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n');
    socket.pause();
    await until(() => subscribed === 1);
    const pad = 'x'.repeat(64 * 1024);
    for (let n = 0; unsubscribed === 0 && n < 5000; n++) {
      source.next({ n, pad });
      if (n % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(unsubscribed).toBe(1);
    await until(async () => (await gauge()) === 'streams_open 0');
    socket.destroy();
  });

  it('never subscribes for a client that left before the stream started', async () => {
    const sent = new Promise<void>((resolve) => (lateSent = resolve));
    const socket = connect(Number(new URL(baseUrl).port), '127.0.0.1');
    socket.write('GET /late HTTP/1.1\r\nHost: localhost\r\n\r\n', () => socket.destroy());
    await sent;
    expect(subscribed).toBe(0);
    expect(await gauge()).toBe('streams_open 0');
  });

  it('refuses an id that would break the framing', () => {
    expect(() => eventFrame('a\nb', 'note', {})).toThrow();
    expect(() => eventFrame('a\0b', 'note', {})).toThrow();
    expect(eventFrame('a', 'note', { x: 1 })).toBe('id: a\nevent: note\ndata: {"x":1}\n\n');
  });
});
