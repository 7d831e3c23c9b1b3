// A small HTTP client for e2e tests: the running system's gateway, as any API client sees it.
import { request } from 'node:http';
export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export function gatewayUrl(): string {
  const url = process.env.CONVENE_GATEWAY_URL;
  if (!url) throw new Error('CONVENE_GATEWAY_URL is not set: run e2e tests through `npm test`');
  return url;
}

export function appUrl(app: string): string {
  const urls = JSON.parse(process.env.CONVENE_APP_URLS ?? '{}') as Record<string, string>;
  if (!urls[app]) throw new Error(`no URL for ${app}: run e2e tests through \`npm test\``);
  return urls[app];
}

export async function api<T = any>(
  path: string,
  init: { method?: string; json?: unknown; body?: string; headers?: Record<string, string>; token?: string } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = JSON.stringify(init.json);
  }
  const response = await fetch(`${gatewayUrl()}${path}`, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * POSTs a request that declares a `declaredBytes` body but sends only its first bytes, and reads the
 * answer. A server that refuses on the declared size answers at once; sending the whole body instead
 * races the server closing the connection (the client may see EPIPE instead of the response).
 */
export function postDeclaringSize(
  path: string,
  declaredBytes: number,
  token?: string,
): Promise<{ status: number; contentType?: string; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${gatewayUrl()}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': declaredBytes,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer to a ${declaredBytes}-byte declaration within 10 s`));
    }, 10_000);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        req.destroy();
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: JSON.parse(text) });
      });
    });
    req.on('error', () => undefined); // the server closing after its answer is expected
    req.write('{"title": "');
  });
}
