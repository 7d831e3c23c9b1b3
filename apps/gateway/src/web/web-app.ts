import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/** Paths that belong to the API and the platform, never to the web app's pages. */
const NOT_PAGES = /^\/(v1|docs|openapi|\.well-known|metrics|healthz|readyz|internal|assets)(\/|\.|$)/;

/**
 * The web app's page: scripts, styles and the API from this origin only; data: and blob: images (QR
 * codes); the camera's stream for the door scanner; WebAssembly for its QR decoder.
 */
const PAGE_HEADERS = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  // The shell changes with every deploy (it names the hashed assets): always revalidate it.
  'cache-control': 'no-cache',
  'permissions-policy': 'camera=(self), geolocation=(), microphone=()',
};

/** A browser navigating to one of the app's client-side routes (/, /events/…, /organizer/…). */
export function isPageRequest(request: Pick<FastifyRequest, 'method' | 'url' | 'headers'>): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  if (NOT_PAGES.test(path)) return false;
  // A file name (favicon.svg) is an asset, not a route.
  if (/\.[a-z0-9]+$/i.test(path.slice(path.lastIndexOf('/')))) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

/**
 * Serves the built web app: hashed assets (cached for a year) and, for any page route a browser asks
 * for, the app's index.html (the client-side router takes it from there). API routes are untouched:
 * an unknown one still answers 404 problem+json. Without a build (unit tests), serves nothing.
 */
export async function serveWebApp(app: NestFastifyApplication, dir: string): Promise<boolean> {
  if (!dir) return false;
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return false;
  const index = readFileSync(indexFile);
  const fastify = app.getHttpAdapter().getInstance();
  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    immutable: true,
    maxAge: '365d',
    index: false,
    // The build wrote .br and .gz copies (apps/web/vite.config.mts): sent to browsers that take them.
    preCompressed: true,
  });
  const favicon = join(dir, 'favicon.svg');
  if (existsSync(favicon)) {
    const icon = readFileSync(favicon);
    fastify.get('/favicon.svg', (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').send(icon);
    });
  }
  fastify.addHook('onRequest', async (request, reply) => {
    if (!isPageRequest(request)) return;
    return reply.headers(PAGE_HEADERS).type('text/html; charset=utf-8').send(index);
  });
  return true;
}
