import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startGateway } from '../testing/route-test-kit';
import { isPageRequest } from './web-app';

const page = (url: string, accept = 'text/html,application/xhtml+xml') => ({ method: 'GET', url, headers: { accept } });

describe('isPageRequest', () => {
  it.each(['/', '/events/123', '/organizer/events/1/attendees?status=confirmed', '/door/abc'])(
    'takes a browser navigation to %s for a page',
    (url) => expect(isPageRequest(page(url))).toBe(true),
  );

  it.each(['/v1/events', '/docs', '/openapi.json', '/metrics', '/healthz', '/readyz', '/.well-known/jwks.json'])(
    'leaves %s to the API',
    (url) => expect(isPageRequest(page(url))).toBe(false),
  );

  it('leaves files, API clients and writes alone', () => {
    expect(isPageRequest(page('/favicon.svg'))).toBe(false);
    expect(isPageRequest(page('/events/123', 'application/json'))).toBe(false);
    expect(isPageRequest({ method: 'POST', url: '/events', headers: { accept: 'text/html' } })).toBe(false);
  });
});

describe('the gateway serving a built web app', () => {
  let dir: string;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'convene-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><div id="root"></div><script src="/assets/app-1.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log("app")');
    writeFileSync(join(dir, 'assets', 'app-1.js.br'), brotliCompressSync('console.log("app")'));
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    ({ app, baseUrl } = await startGateway({
      AUTH_GRPC_URL: '127.0.0.1:1',
      EVENTS_GRPC_URL: '127.0.0.1:1',
      REGISTRATIONS_GRPC_URL: '127.0.0.1:1',
      REVIEWS_GRPC_URL: '127.0.0.1:1',
      NOTIFICATIONS_GRPC_URL: '127.0.0.1:1',
      WEB_APP_DIR: dir,
    }));
  });

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a page route with the app shell, under a CSP that allows only its own origin', async () => {
    const response = await fetch(`${baseUrl}/events/42`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await response.text()).toContain('<div id="root">');
  });

  it('serves hashed assets for a year', async () => {
    const response = await fetch(`${baseUrl}/assets/app-1.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await response.text()).toBe('console.log("app")');
    expect((await fetch(`${baseUrl}/favicon.svg`)).headers.get('content-type')).toContain('image/svg+xml');
  });

  it('sends the Brotli copy the build wrote to a browser that takes it', async () => {
    // fetch() would decode it: read the raw bytes through node:http's defaults instead.
    const { request } = await import('node:http');
    const raw = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
      request(`${baseUrl}/assets/app-1.js`, { headers: { 'accept-encoding': 'br, gzip' } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    });
    expect(raw.encoding).toBe('br');
    expect(brotliDecompressSync(raw.body).toString()).toBe('console.log("app")');
  });

  it('keeps unknown API routes and missing assets as 404 problems', async () => {
    for (const path of ['/v1/nothing-here', '/assets/missing.js']) {
      const response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'text/html' } });
      await response.text();
      expect(response.status).toBe(404);
    }
    const api = await fetch(`${baseUrl}/events/42`, { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });
});
