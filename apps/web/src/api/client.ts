// The typed API client: openapi-fetch over the types openapi-typescript generates from the committed
// spec (openapi/openapi.json → schema.d.ts at build time), so a route or field the gateway does not
// have is a type error here.
import createClient, { type Middleware } from 'openapi-fetch';
import { ApiProblem } from './problem';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type EventView = Schemas['EventResponse'];
export type RegistrationView = Schemas['RegistrationResponse'];
export type UserView = Schemas['UserResponse'];
export type SessionView = Schemas['SessionResponse'];

/** Supplies a fresh access token (or none) before each request; set by the session. */
let tokenSource: () => Promise<string | undefined> = async () => undefined;

export function setAccessTokenSource(source: () => Promise<string | undefined>): void {
  tokenSource = source;
}

const authorize: Middleware = {
  async onRequest({ request, schemaPath }) {
    if (schemaPath.startsWith('/v1/auth/')) return request;
    const token = await tokenSource();
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(authorize);

/** Fetch with the session's token, for what openapi-fetch cannot parse (CSV, event streams). */
export async function authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const token = await tokenSource();
  if (token) headers.set('authorization', `Bearer ${token}`);
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw ApiProblem.network();
  }
  if (!response.ok) throw ApiProblem.from(response.status, await response.json().catch(() => undefined));
  return response;
}

/**
 * The data of an openapi-fetch answer, or an ApiProblem: `const event = await data(api.GET(...))`.
 * Network failures become a problem too, so pages have one kind of error to show.
 */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw ApiProblem.network();
  }
  if (!result.response.ok) throw ApiProblem.from(result.response.status, result.error);
  return result.data as T;
}
