import { authTestKit, rejection } from '../testing/auth-test-kit';

const ADMIN = { userId: 'admin-1', roles: ['attendee', 'admin'] as const };

describe('SigningKeysService rotation', () => {
  it('publishes a rotated-in key at once but signs with it only after the activation delay', async () => {
    const kit = authTestKit({ SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '360' });
    const before = await kit.signingKeys.activeKey();

    const rotated = await kit.signingKeys.rotate({ ...ADMIN, roles: [...ADMIN.roles] });

    expect((await kit.signingKeys.jwks()).map((k) => k.kid).sort()).toEqual([before.kid, rotated.kid].sort());
    expect((await kit.signingKeys.activeKey()).kid).toBe(before.kid);
    kit.clock.advance(359_000);
    expect((await kit.signingKeys.activeKey()).kid).toBe(before.kid);
    kit.clock.advance(1_000);
    expect((await kit.signingKeys.activeKey()).kid).toBe(rotated.kid);
    expect(rotated.activatesAt).toBe(new Date(Date.parse(rotated.createdAt) + 360_000).toISOString());
  });

  it('keeps the outgoing key in the JWKS for a token lifetime after it stopped signing, then drops it', async () => {
    const kit = authTestKit({ SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '0' });
    const before = await kit.signingKeys.activeKey();
    await kit.signingKeys.rotate({ ...ADMIN, roles: [...ADMIN.roles] });
    kit.clock.advance(15 * 60_000);
    expect((await kit.signingKeys.jwks()).map((k) => k.kid)).toContain(before.kid);
    kit.clock.advance(6 * 60_000);
    expect((await kit.signingKeys.jwks()).map((k) => k.kid)).not.toContain(before.kid);
  });

  it('lets only admins rotate', async () => {
    const kit = authTestKit();
    expect((await rejection(kit.signingKeys.rotate({ userId: 'u', roles: ['attendee'] }))).code).toBe('FORBIDDEN');
  });
});
