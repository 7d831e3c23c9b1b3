import { api, appUrl, gatewayUrl } from '../support/gateway';

describe('gateway platform behaviour', () => {
  it('answers an unknown route with 404 problem+json', async () => {
    const response = await api('/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' });
  });

  it.each(['/healthz', '/v1/events/not-a-uuid', '/v1/nothing-here'])(
    'sets API security headers on %s',
    async (path) => {
      const response = await api(path);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('strict-transport-security')).toContain('max-age=');
      expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    },
  );

  it('lets the API docs page load its own scripts and styles, nothing else', async () => {
    const response = await fetch(`${gatewayUrl()}/docs`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('*');
  });

  it('allows CORS from a configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${gatewayUrl()}/v1/events`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the OpenAPI spec and its UI', async () => {
    const spec = await api('/openapi.json');
    expect(spec.status).toBe(200);
    expect(spec.body.paths['/v1/events']).toBeDefined();
    const ui = await fetch(`${gatewayUrl()}/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it.each(['gateway', 'auth', 'events', 'registrations', 'reviews', 'notifications'])(
    '%s answers /healthz, /readyz and /metrics',
    async (app) => {
      const base = appUrl(app);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { firestore: { status: 'up' } } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('process_cpu_seconds_total');
      expect(metrics).toContain('convene_http_request_duration_seconds');
    },
  );

  it('labels HTTP metrics with route templates, never raw ids', async () => {
    await api('/v1/events/00000000-0000-4000-8000-000000000000');
    const metrics = await (await fetch(`${gatewayUrl()}/metrics`)).text();
    expect(metrics).toMatch(/convene_http_request_duration_seconds_count\{[^}]*route="\/v1\/events\/:id"/);
    expect(metrics).not.toContain('00000000-0000-4000-8000-000000000000');
  });

  it('exports gRPC request durations from the events service', async () => {
    await api('/v1/events/00000000-0000-4000-8000-000000000000');
    const metrics = await (await fetch(`${appUrl('events')}/metrics`)).text();
    expect(metrics).toMatch(/convene_grpc_request_duration_seconds_count\{[^}]*method="GetEvent"[^}]*code="NOT_FOUND"/);
  });
});
