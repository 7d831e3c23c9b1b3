import { invalidField } from '@convene/common';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Checks the form of an endpoint URL (where it points is the target guard's job): absolute, https
 * (http only where private targets are allowed, i.e. local development), no credentials, no
 * fragment, at most MAX_WEBHOOK_URL_LENGTH characters. Returns the URL normalized, or throws
 * VALIDATION_FAILED naming `url`.
 */
export function parseWebhookUrl(raw: unknown, options: { allowHttp: boolean }): URL {
  if (typeof raw !== 'string' || raw.length === 0) throw invalidField('url', 'url is required');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) {
    throw invalidField('url', `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  if (/\s/.test(raw)) throw invalidField('url', 'url must not contain whitespace');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField('url', 'url must be an absolute URL, e.g. https://example.com/webhooks');
  }
  if (url.protocol !== 'https:' && !(options.allowHttp && url.protocol === 'http:')) {
    throw invalidField('url', options.allowHttp ? 'url must use https or http' : 'url must use https');
  }
  if (url.username || url.password) throw invalidField('url', 'url must not contain credentials');
  if (url.hash) throw invalidField('url', 'url must not contain a fragment');
  if (!url.hostname) throw invalidField('url', 'url must name a host');
  if (url.href.length > MAX_WEBHOOK_URL_LENGTH) {
    throw invalidField('url', `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  }
  return url;
}

/** The host to resolve or connect to: an IPv6 literal without its brackets. */
export function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
