import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/**
 * Security headers for a JSON API (OWASP REST Security Cheat Sheet), computed once. helmet computes
 * its Content-Security-Policy on every request and adds headers meant for HTML pages; on this gateway
 * that halved /healthz throughput (docs/benchmarks.md), so we set a short fixed set instead.
 */
const COMMON = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
} as const;

/** API responses are data, never a document: nothing may load or frame them. */
const API_HEADERS = { ...COMMON, 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" };

/** Swagger UI at /docs is a page: its own scripts and styles (some inline) and data: images. */
const DOCS_HEADERS = {
  ...COMMON,
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
};

export function registerSecurityHeaders(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.headers(request.url.startsWith('/docs') ? DOCS_HEADERS : API_HEADERS);
      done();
    });
}
