import { Logger } from '@nestjs/common';
import { DomainError } from '@convene/common';
import type { JwkMessage } from '@convene/contracts';
import { AccessTokenVerifier } from './access-token.verifier';
import { JwksCache, JwksSource } from './jwks-cache';
import { createSigningKey, signAccessToken, type TestSigningKey } from './testing/test-signing-keys';

class StubJwksSource extends JwksSource {
  calls = 0;
  failure: Error | undefined;
  constructor(public keys: JwkMessage[]) {
    super();
  }
  async fetch(): Promise<JwkMessage[]> {
    this.calls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.failure) throw this.failure;
    return this.keys;
  }
}

describe('JwksCache', () => {
  let current: TestSigningKey;
  let next: TestSigningKey;
  let source: StubJwksSource;
  let clock: number;
  let verifier: AccessTokenVerifier;
  let cache: JwksCache;

  beforeAll(async () => {
    current = await createSigningKey('key-1');
    next = await createSigningKey('key-2');
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });

  afterAll(() => jest.restoreAllMocks());

  beforeEach(() => {
    clock = 1_000_000;
    source = new StubJwksSource([current.publicJwk]);
    cache = new JwksCache(source, { ttlSeconds: 300, now: () => clock });
    verifier = new AccessTokenVerifier(cache);
  });

  const advance = (seconds: number): void => {
    clock += seconds * 1000;
  };

  it('picks up a pre-published key within a TTL shorter than the refetch limit', async () => {
    const short = new JwksCache(source, { ttlSeconds: 10, now: () => clock });
    expect((await short.publicKeys()).map((k) => k.kid)).toEqual(['key-1']);
    source.keys = [current.publicJwk, next.publicJwk];
    advance(10);
    expect((await short.publicKeys()).map((k) => k.kid)).toEqual(['key-1', 'key-2']);
    expect(source.calls).toBe(2);
  });

  it('fetches once, then verifies from memory until the TTL passes', async () => {
    const token = await signAccessToken(current);
    await Promise.all([verifier.verify(token), verifier.verify(token), verifier.verify(token)]);
    expect(source.calls).toBe(1);
    advance(299);
    await verifier.verify(token);
    expect(source.calls).toBe(1);
    advance(1);
    await verifier.verify(token);
    expect(source.calls).toBe(2);
  });

  it('picks up a rotated key without a restart', async () => {
    await verifier.verify(await signAccessToken(current));
    advance(31);
    source.keys = [current.publicJwk, next.publicJwk];
    await expect(verifier.verify(await signAccessToken(next))).resolves.toMatchObject({ userId: 'user-1' });
    expect(source.calls).toBe(2);
  });

  it('refetches for unknown kids at most once per 30 s', async () => {
    await verifier.verify(await signAccessToken(current));
    const forged = await signAccessToken(next, { header: { kid: 'made-up' } });
    advance(31);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect(source.calls).toBe(2);
    advance(29);
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(source.calls).toBe(2);
    advance(1);
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(source.calls).toBe(3);
  });

  it('drops keys auth no longer lists', async () => {
    const token = await signAccessToken(current);
    await verifier.verify(token);
    source.keys = [next.publicJwk];
    advance(300);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('answers 503, not 401, while auth is unreachable and nothing is cached; recovers when it is back', async () => {
    source.failure = new DomainError('SERVICE_UNAVAILABLE', 'down');
    const token = await signAccessToken(current);
    const error = await verifier.verify(token).catch((refusal: unknown) => refusal);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('SERVICE_UNAVAILABLE');
    await expect(cache.publicKeys()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    source.failure = undefined;
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('keeps verifying with the cached keys when a refresh fails', async () => {
    const token = await signAccessToken(current);
    await verifier.verify(token);
    source.failure = new Error('UNAVAILABLE');
    advance(600);
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
    expect(source.calls).toBe(2); // the failed refresh is not retried on every request
  });

  it('publishes only public EC P-256 signing keys, never a private member', async () => {
    source.keys = [
      { ...current.publicJwk, d: 'private-part' } as JwkMessage,
      { ...next.publicJwk, crv: 'P-384' },
      { ...next.publicJwk, kid: 'enc', use: 'enc' },
    ];
    expect(await cache.publicKeys()).toEqual([
      {
        kty: 'EC',
        crv: 'P-256',
        x: current.publicJwk.x,
        y: current.publicJwk.y,
        kid: 'key-1',
        alg: 'ES256',
        use: 'sig',
      },
    ]);
  });
});
