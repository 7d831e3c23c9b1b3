import { isIP } from 'node:net';

/**
 * What an IP address reaches, for the SSRF guard: only `public` addresses may receive webhooks
 * (unless private targets are allowed for local development).
 */
export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

/** Classifies an IPv4 or IPv6 address (IPv6 may carry a zone, `fe80::1%eth0`). Throws on anything else. */
export function classifyAddress(address: string): AddressClass {
  const zoneless = address.split('%')[0];
  switch (isIP(zoneless)) {
    case 4:
      return classifyIpv4(ipv4Bytes(zoneless));
    case 6:
      return classifyIpv6(ipv6Bytes(zoneless));
    default:
      throw new Error(`not an IP address: ${address}`);
  }
}

function classifyIpv4([a, b, c]: number[]): AddressClass {
  if (a === 0) return 'unspecified'; // 0.0.0.0/8, "this network": connects to the host itself
  if (a === 127) return 'loopback';
  if (a === 10) return 'private';
  if (a === 172 && (b & 0xf0) === 16) return 'private'; // 172.16/12
  if (a === 192 && b === 168) return 'private';
  if (a === 100 && (b & 0xc0) === 64) return 'private'; // 100.64/10, carrier-grade NAT (RFC 6598)
  if (a === 169 && b === 254) return 'link-local'; // includes the cloud metadata server 169.254.169.254
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // includes the broadcast address
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'; // IETF assignments, documentation
  if (a === 198 && (b & 0xfe) === 18) return 'reserved'; // 198.18/15, benchmarking
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  return 'public';
}

function classifyIpv6(bytes: number[]): AddressClass {
  const zeroUpTo = (end: number) => bytes.slice(0, end).every((byte) => byte === 0);
  const embeddedIpv4 = (from: number) => classifyIpv4(bytes.slice(from, from + 4));
  if (zeroUpTo(16)) return 'unspecified';
  if (zeroUpTo(15) && bytes[15] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d (what a dual-stack socket connects to as a.b.c.d) and IPv4-translated
  // ::ffff:0:a.b.c.d: as the IPv4 address they carry.
  if (zeroUpTo(10) && bytes[10] === 0xff && bytes[11] === 0xff) return embeddedIpv4(12);
  if (zeroUpTo(8) && bytes[8] === 0xff && bytes[9] === 0xff && bytes[10] === 0 && bytes[11] === 0) {
    return embeddedIpv4(12);
  }
  if (zeroUpTo(12)) return 'reserved'; // deprecated IPv4-compatible ::a.b.c.d
  const [b0, b1, b2, b3] = bytes;
  // NAT64 64:ff9b::/96 reaches the IPv4 address it carries; the local-use 64:ff9b:1::/48 is private.
  if (b0 === 0 && b1 === 0x64 && b2 === 0xff && b3 === 0x9b) {
    if (bytes.slice(4, 12).every((byte) => byte === 0)) return embeddedIpv4(12);
    if (bytes[4] === 0 && bytes[5] === 1) return 'private';
  }
  if (b0 === 0x20 && b1 === 0x02) return embeddedIpv4(2); // 6to4 2002:a.b.c.d::/48
  if (b0 === 0x20 && b1 === 0x01 && b2 === 0 && b3 === 0) return 'reserved'; // Teredo: the IPv4 end is hidden
  if (b0 === 0x20 && b1 === 0x01 && b2 === 0x0d && b3 === 0xb8) return 'reserved'; // documentation
  if (b0 === 0x01 && b1 === 0 && bytes.slice(2, 8).every((byte) => byte === 0)) return 'reserved'; // discard
  if ((b0 & 0xfe) === 0xfc) return 'private'; // fc00::/7, unique local
  if (b0 === 0xfe && (b1 & 0xc0) === 0x80) return 'link-local'; // fe80::/10
  if (b0 === 0xfe && (b1 & 0xc0) === 0xc0) return 'private'; // fec0::/10, deprecated site-local
  if (b0 === 0xff) return 'multicast';
  return 'public';
}

function ipv4Bytes(address: string): number[] {
  return address.split('.').map(Number);
}

/** The 16 bytes of an IPv6 address already validated by `isIP`. */
function ipv6Bytes(address: string): number[] {
  let text = address;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    const [a, b, c, d] = ipv4Bytes(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}
