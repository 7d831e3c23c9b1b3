import { lookup } from 'node:dns/promises';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './webhook-address';
import { hostOf } from './webhook-url';

/** A resolved address the delivery connects to. */
export interface ResolvedTarget {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (`dns.lookup` with `all`, what a connection would use). */
export type ResolveAll = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolveAll: ResolveAll = (hostname) => lookup(hostname, { all: true, verbatim: true });

/** The target may not receive webhooks; `message` says why, fit for the organizer. */
export class WebhookTargetRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookTargetRefused';
  }
}

export interface WebhookTargetGuardOptions {
  /** Local development only: private, loopback and link-local targets are accepted. */
  readonly allowPrivateTargets: boolean;
  /** Longest wait for DNS. */
  readonly timeoutMs: number;
}

/**
 * The SSRF guard. Webhook URLs are chosen by organizers, and the service calls them from inside the
 * cluster: a URL naming (or resolving to) a private, loopback, link-local (cloud metadata) or other
 * non-public address is refused. It runs when an endpoint is created and again before every attempt,
 * and the attempt connects to the address checked here (`pinnedLookup`), so a name that re-resolves
 * elsewhere between check and connect (DNS rebinding) gains nothing.
 */
export class WebhookTargetGuard {
  constructor(
    private readonly options: WebhookTargetGuardOptions,
    private readonly resolveAll: ResolveAll = systemResolveAll,
  ) {}

  /** The address to connect to for `url`; throws WebhookTargetRefused when it may not be called. */
  async resolve(url: URL): Promise<ResolvedTarget> {
    const host = hostOf(url);
    const literal = isIP(host);
    const addresses = literal ? [{ address: host, family: literal }] : await this.lookup(host);
    if (addresses.length === 0) throw new WebhookTargetRefused(`${host} does not resolve to any address`);
    if (!this.options.allowPrivateTargets) {
      // Every address must be public: a name with one public and one internal address would let
      // the connection pick the internal one.
      for (const { address } of addresses) {
        const kind = classifyAddress(address);
        if (kind !== 'public') {
          const described = `${/^[aeiou]/.test(kind) ? 'an' : 'a'} ${kind} address`;
          throw new WebhookTargetRefused(literal ? `${host} is ${described}` : `${host} resolves to ${described}`);
        }
      }
    }
    const [first] = addresses;
    return { address: first.address, family: first.family === 6 ? 6 : 4 };
  }

  private async lookup(host: string): Promise<Array<{ address: string; family: number }>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new WebhookTargetRefused(`resolving ${host} took longer than ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.resolveAll(host), timeout]);
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new WebhookTargetRefused(
        code === 'ENOTFOUND' || code === 'ENODATA'
          ? `${host} does not resolve`
          : `${host} could not be resolved (${code ?? 'DNS error'})`,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A `lookup` for http(s).request that answers the checked address whatever it is asked, so the
 * connection goes exactly where the guard looked. (TLS still verifies the certificate against the
 * URL's host name: pinning changes where we connect, not whom we trust.)
 */
export function pinnedLookup(target: ResolvedTarget): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
}
