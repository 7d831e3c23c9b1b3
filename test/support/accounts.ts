import { randomUUID } from 'node:crypto';
import { api } from './gateway';

export interface TestAccount {
  id: string;
  email: string;
  password: string;
  displayName: string;
  accessToken: string;
  refreshToken: string;
}

/** A fresh account through the public API. */
export async function registerAccount(overrides: { email?: string; displayName?: string } = {}): Promise<TestAccount> {
  const email = overrides.email ?? `e2e-${randomUUID()}@example.com`;
  const password = `pw-${randomUUID()}`;
  const displayName = overrides.displayName ?? 'E2E Attendee';
  const response = await api('/v1/auth/register', { json: { email, password, displayName } });
  if (response.status !== 201) throw new Error(`register ${email} → ${response.status} ${response.text}`);
  const { user, accessToken, refreshToken } = response.body;
  return { id: user.id, email, password, displayName, accessToken, refreshToken };
}

/** A fresh account that became an organizer; its access token carries the role. */
export async function registerOrganizer(): Promise<TestAccount> {
  const account = await registerAccount({ displayName: 'E2E Organizer' });
  const response = await api('/v1/me/organizer', { method: 'POST', token: account.accessToken });
  if (response.status !== 200) throw new Error(`become organizer → ${response.status} ${response.text}`);
  return { ...account, accessToken: response.body.accessToken };
}

const ADMIN_PASSWORD = 'e2e-admin-pass-7f3a';

/** The e2e system's bootstrap admin (ADMIN_EMAILS): registered by whichever test file asks first. */
export async function adminAccount(): Promise<TestAccount> {
  const email = process.env.CONVENE_E2E_ADMIN_EMAIL;
  if (!email) throw new Error('CONVENE_E2E_ADMIN_EMAIL is not set: run e2e tests through `npm test`');
  const credentials = { email, password: ADMIN_PASSWORD };
  let response = await api('/v1/auth/register', { json: { ...credentials, displayName: 'E2E Admin' } });
  if (response.status === 409) response = await api('/v1/auth/login', { json: credentials });
  if (response.status !== 201 && response.status !== 200)
    throw new Error(`admin → ${response.status} ${response.text}`);
  const { user, accessToken, refreshToken } = response.body;
  return { id: user.id, ...credentials, displayName: user.displayName, accessToken, refreshToken };
}
