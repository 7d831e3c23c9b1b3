import { pinnedLookup, WebhookTargetGuard, WebhookTargetRefused, type ResolveAll } from './webhook-target-guard';

/** A resolver answering from a table, like DNS would (in unit tests, no network). */
function dns(table: Record<string, string[]>): ResolveAll {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const table = {
  'hooks.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  localhost: ['127.0.0.1', '::1'],
  'internal.example.com': ['10.1.2.3'],
  'mixed.example.com': ['93.184.215.14', '192.168.0.10'],
  'metadata.example.com': ['169.254.169.254'],
  'mapped.example.com': ['::ffff:127.0.0.1'],
  'empty.example.com': [],
};

async function refusal(guard: WebhookTargetGuard, url: string): Promise<string> {
  try {
    await guard.resolve(new URL(url));
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookTargetRefused);
    return (error as Error).message;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('WebhookTargetGuard', () => {
  const guard = new WebhookTargetGuard({ allowPrivateTargets: false, timeoutMs: 1000 }, dns(table));

  it('answers the first address of a public name, and public literals as they are', async () => {
    await expect(guard.resolve(new URL('https://hooks.example.com/x'))).resolves.toEqual({
      address: '93.184.215.14',
      family: 4,
    });
    await expect(guard.resolve(new URL('https://[2606:4700:4700::1111]/x'))).resolves.toEqual({
      address: '2606:4700:4700::1111',
      family: 6,
    });
  });

  it.each([
    ['https://127.0.0.1/x', '127.0.0.1 is a loopback address'],
    ['https://10.0.0.1/x', '10.0.0.1 is a private address'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254 is a link-local address'],
    ['https://[::1]/x', '::1 is a loopback address'],
    ['https://[fe80::1]/x', 'fe80::1 is a link-local address'],
    ['https://[fd00::1]/x', 'fd00::1 is a private address'],
    ['https://[::ffff:10.0.0.1]/x', '::ffff:a00:1 is a private address'],
    ['https://0.0.0.0/x', '0.0.0.0 is an unspecified address'],
    ['https://2130706433/x', '127.0.0.1 is a loopback address'],
    ['https://localhost/x', 'localhost resolves to a loopback address'],
    ['https://internal.example.com/x', 'internal.example.com resolves to a private address'],
    ['https://mixed.example.com/x', 'mixed.example.com resolves to a private address'],
    ['https://metadata.example.com/x', 'metadata.example.com resolves to a link-local address'],
    ['https://mapped.example.com/x', 'mapped.example.com resolves to a loopback address'],
    ['https://nowhere.example.com/x', 'nowhere.example.com does not resolve'],
    ['https://empty.example.com/x', 'empty.example.com does not resolve to any address'],
  ])('refuses %s', async (url, message) => {
    expect(await refusal(guard, url)).toBe(message);
  });

  it('lets local development reach private targets when allowed', async () => {
    const permissive = new WebhookTargetGuard({ allowPrivateTargets: true, timeoutMs: 1000 }, dns(table));
    await expect(permissive.resolve(new URL('http://localhost:4000/x'))).resolves.toEqual({
      address: '127.0.0.1',
      family: 4,
    });
    await expect(permissive.resolve(new URL('http://[::1]:4000/x'))).resolves.toEqual({ address: '::1', family: 6 });
  });

  it('gives up on DNS that does not answer in time', async () => {
    const slow = new WebhookTargetGuard({ allowPrivateTargets: false, timeoutMs: 20 }, () => new Promise(() => {}));
    expect(await refusal(slow, 'https://hooks.example.com/x')).toBe(
      'resolving hooks.example.com took longer than 20 ms',
    );
  });
});

describe('pinnedLookup', () => {
  it('answers the checked address whatever is asked, in both callback shapes', () => {
    const lookup = pinnedLookup({ address: '93.184.215.14', family: 4 });
    const single = jest.fn();
    lookup('rebound.example.com', {}, single);
    expect(single).toHaveBeenCalledWith(null, '93.184.215.14', 4);
    const all = jest.fn();
    lookup('rebound.example.com', { all: true }, all);
    expect(all).toHaveBeenCalledWith(null, [{ address: '93.184.215.14', family: 4 }]);
  });
});
