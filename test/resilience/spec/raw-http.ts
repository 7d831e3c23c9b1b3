// Requests exactly as a misbehaving client writes them: any method with any body bytes, any
// Content-Type or none, a path already percent-encoded as given, a Content-Length that lies. fetch()
// cannot send most of these (it refuses a GET body, normalizes paths), so this speaks node:http.
import { request } from 'node:http';
import { gatewayUrl } from '../../support/gateway';

export interface RawRequest {
  method: string;
  /** Path and query, sent as is (encode it yourself). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Declare this Content-Length but send only the body's first bytes: a server that refuses on the
   * declared size answers at once (sending it all would race the server closing the connection).
   */
  declaredLength?: number;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed JSON body, when it is JSON. */
  body: any;
  /** The answer was a server-sent event stream: its first bytes were read, then the request was ended. */
  stream: boolean;
}

const TIMEOUT_MS = 20_000;

/**
 * A connection per request, never pooled: a server closes one after refusing a request (a malformed
 * URL, headers too large), and node's Agent hands a freed socket to the next queued request even
 * without keep-alive, which would then fail for the client's reuse, not for the server's answer.
 * Callers bound the concurrency (inPool).
 */
export function rawClient() {
  const base = new URL(gatewayUrl());

  function send(raw: RawRequest): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const body = raw.body === undefined ? undefined : Buffer.from(raw.body);
      const headers: Record<string, string | number> = { ...raw.headers };
      if (raw.declaredLength !== undefined) headers['content-length'] = raw.declaredLength;
      else if (body) headers['content-length'] = body.length;
      const req = request({
        host: base.hostname,
        port: base.port,
        method: raw.method,
        path: raw.path,
        headers: { ...headers, connection: 'close' },
        agent: false,
      });
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms to ${raw.method} ${raw.path.slice(0, 200)}`));
      }, TIMEOUT_MS);
      req.on('response', (res) => {
        const contentType = String(res.headers['content-type'] ?? '');
        const stream = contentType.startsWith('text/event-stream');
        const chunks: Buffer[] = [];
        const finish = () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode ?? 0, contentType, headers: res.headers, text, body: parsed, stream });
        };
        if (stream) {
          // An open stream never ends by itself: its status and headers are the answer.
          res.destroy();
          req.destroy();
          finish();
          return;
        }
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          if (raw.declaredLength !== undefined) req.destroy();
          finish();
        });
        res.on('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      if (body && raw.declaredLength !== undefined) req.write(body.subarray(0, Math.min(body.length, 64)));
      else if (body) req.end(body);
      else req.end();
    });
  }

  return { send };
}

/** Runs `work` over `items` with at most `concurrency` at a time, in order of `items`. */
export async function inPool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
