import { createHmac } from 'node:crypto';
import { signConveneSignature, verifyConveneSignature } from './webhook-signature';
import { generateWebhookSecret } from './webhook';

describe('Convene-Signature', () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ id: 'e-1', type: 'registration.confirmed', occurredAt: '2030-01-01T00:00:00Z' });
  const sentAt = new Date('2030-01-01T00:00:00.000Z');
  const t = Math.floor(sentAt.getTime() / 1000);

  it('is the documented recipe: hex HMAC-SHA256 of "<t>.<body>" keyed by the whole secret', () => {
    const header = signConveneSignature(secret, body, t);
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies what it signed, as a string or as the raw bytes received', () => {
    const header = signConveneSignature(secret, body, t);
    expect(verifyConveneSignature(secret, header, body, sentAt)).toBe(true);
    expect(verifyConveneSignature(secret, header, Buffer.from(body), new Date(sentAt.getTime() + 299_000))).toBe(true);
  });

  it('refuses a tampered body, timestamp or signature, and another secret', () => {
    const header = signConveneSignature(secret, body, t);
    expect(verifyConveneSignature(secret, header, body.replace('e-1', 'e-2'), sentAt)).toBe(false);
    expect(verifyConveneSignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, sentAt)).toBe(false);
    const flipped = header.slice(0, -1) + (header.endsWith('0') ? '1' : '0');
    expect(verifyConveneSignature(secret, flipped, body, sentAt)).toBe(false);
    expect(verifyConveneSignature(generateWebhookSecret(), header, body, sentAt)).toBe(false);
  });

  it('refuses a replay outside the window, in either direction, and honours a custom window', () => {
    const header = signConveneSignature(secret, body, t);
    expect(verifyConveneSignature(secret, header, body, new Date(sentAt.getTime() + 301_000))).toBe(false);
    expect(verifyConveneSignature(secret, header, body, new Date(sentAt.getTime() - 301_000))).toBe(false);
    expect(verifyConveneSignature(secret, header, body, new Date(sentAt.getTime() + 60_000), 30)).toBe(false);
    expect(verifyConveneSignature(secret, header, body, new Date(sentAt.getTime() + 20_000), 30)).toBe(true);
  });

  it('refuses missing or malformed headers', () => {
    const v1 = signConveneSignature(secret, body, t).split(',')[1];
    for (const header of [undefined, '', `t=${t}`, v1, `t=abc,${v1}`, `t=${t},v1=zz`, `t=${t},v0=${v1.slice(3)}`]) {
      expect(verifyConveneSignature(secret, header, body, sentAt)).toBe(false);
    }
  });

  it('accepts a header with several v1 values when one matches (secret rotation)', () => {
    const header = signConveneSignature(secret, body, t);
    const other = signConveneSignature(generateWebhookSecret(), body, t).split(',')[1];
    expect(
      verifyConveneSignature(secret, `${header.split(',')[0]},${other},${header.split(',')[1]}`, body, sentAt),
    ).toBe(true);
  });
});
