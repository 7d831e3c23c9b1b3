import { DomainError } from '@convene/common';
import { hostOf, MAX_WEBHOOK_URL_LENGTH, parseWebhookUrl } from './webhook-url';

function refusal(raw: unknown, allowHttp = false): { field: string; message: string } {
  try {
    parseWebhookUrl(raw, { allowHttp });
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('VALIDATION_FAILED');
    return (error as DomainError).details.errors![0];
  }
  throw new Error(`expected ${String(raw)} to be refused`);
}

describe('parseWebhookUrl', () => {
  it('accepts https URLs and normalizes them', () => {
    expect(parseWebhookUrl('https://Example.COM/hooks?a=1', { allowHttp: false }).href).toBe(
      'https://example.com/hooks?a=1',
    );
    expect(parseWebhookUrl('https://hooks.example.com:8443/convene', { allowHttp: false }).port).toBe('8443');
  });

  it('accepts http only where private targets are allowed (local development)', () => {
    expect(refusal('http://example.com/hook')).toEqual({ field: 'url', message: 'url must use https' });
    expect(parseWebhookUrl('http://127.0.0.1:4000/hook', { allowHttp: true }).protocol).toBe('http:');
  });

  it.each([
    [undefined, 'url is required'],
    ['', 'url is required'],
    ['example.com/hook', 'url must be an absolute URL'],
    ['/hooks', 'url must be an absolute URL'],
    ['ftp://example.com/hook', 'url must use https'],
    ['javascript:alert(1)', 'url must use https'],
    ['https://user:pass@example.com/hook', 'url must not contain credentials'],
    ['https://token@example.com/hook', 'url must not contain credentials'],
    ['https://example.com/hook#part', 'url must not contain a fragment'],
    ['https://example.com/ hook', 'url must not contain whitespace'],
    [`https://example.com/${'a'.repeat(MAX_WEBHOOK_URL_LENGTH)}`, `url must be at most ${MAX_WEBHOOK_URL_LENGTH}`],
  ])('refuses %j, naming url', (raw, message) => {
    const error = refusal(raw);
    expect(error.field).toBe('url');
    expect(error.message).toContain(message);
  });

  it('gives the host to resolve, IPv6 literals without brackets, numeric IPv4 forms canonical', () => {
    expect(hostOf(parseWebhookUrl('https://[::1]:8443/x', { allowHttp: false }))).toBe('::1');
    expect(hostOf(parseWebhookUrl('https://[::ffff:127.0.0.1]/x', { allowHttp: false }))).toBe('::ffff:7f00:1');
    expect(hostOf(parseWebhookUrl('https://2130706433/x', { allowHttp: false }))).toBe('127.0.0.1');
    expect(hostOf(parseWebhookUrl('https://0x7f.1/x', { allowHttp: false }))).toBe('127.0.0.1');
  });
});
