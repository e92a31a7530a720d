import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { WardError } from '@ward/contracts';

/**
 * The egress policy (R-WORK-4, R-MON-1, R-AI-3): the one place that decides whether Ward may call an
 * outbound URL: OIDC discovery and token calls, outbound alert webhooks, the audit witness, model
 * vendors. Checks, in order, each refusing with EGRESS_REFUSED and a reason kept in the detail:
 *   1. the URL parses, carries no credentials, and is https (plain http only to an allowed loopback);
 *   2. the host resolves (DNS, every address), and no address is private, link-local, loopback,
 *      multicast or otherwise special (RFC 6890), unless WARD_EGRESS_ALLOW lists the host or a CIDR
 *      that holds the address;
 *   3. the caller connects to the very address checked here (no second resolution: DNS rebinding)
 *      and a redirect is decided again, hop by hop (fetch.ts).
 */
export interface EgressPolicy {
  /** Decides `url`; resolves to where to connect, or throws EGRESS_REFUSED. */
  decide(url: string | URL): Promise<EgressTarget>;
}

export interface EgressTarget {
  url: URL;
  /** The checked address the connection must use. */
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<Array<{ address: string; family: number }>>;

/** Ranges Ward never calls unless allowed (RFC 6890 special-purpose registries, RFC 4193, RFC 4291). */
const SPECIAL = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) SPECIAL.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) SPECIAL.addSubnet(net, bits, 'ipv6');

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96) is judged as that IPv4 address. */
export function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:0:)?(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i.exec(address);
  if (m) return m[1]!;
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (!hex) return null;
  const hi = parseInt(hex[1]!, 16);
  const lo = parseInt(hex[2]!, 16);
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

function normalized(address: string): { address: string; type: 'ipv4' | 'ipv6' } {
  const v4 = isIP(address) === 6 ? embeddedIpv4(address) : null;
  if (v4) return { address: v4, type: 'ipv4' };
  return { address, type: isIP(address) === 4 ? 'ipv4' : 'ipv6' };
}

/** True when the address is one Ward must not call by default (private, loopback, link-local, special). */
export function isSpecialAddress(address: string): boolean {
  const n = normalized(address);
  return SPECIAL.check(n.address, n.type);
}

export function isLoopbackAddress(address: string): boolean {
  const n = normalized(address);
  return LOOPBACK.check(n.address, n.type);
}

/** The exceptions of WARD_EGRESS_ALLOW: host names (exact) and addresses or CIDR ranges. */
export interface EgressAllow {
  hosts: ReadonlySet<string>;
  ranges: BlockList;
  entries: readonly string[];
}

/** Parses WARD_EGRESS_ALLOW (comma-separated host names, addresses or CIDR ranges); throws a message on a bad entry. */
export function parseEgressAllow(text: string | undefined): EgressAllow {
  const hosts = new Set<string>();
  const ranges = new BlockList();
  const entries = (text ?? '').split(',').map((e) => e.trim().toLowerCase()).filter((e) => e !== '');
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address ?? '');
    if (family !== 0 && rest.length === 0) {
      const max = family === 4 ? 32 : 128;
      if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max)) throw new Error(`WARD_EGRESS_ALLOW: ${entry} is not a CIDR range`);
      ranges.addSubnet(address!, bits === undefined ? max : Number(bits), family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    if (bits !== undefined || !/^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/.test(entry)) {
      throw new Error(`WARD_EGRESS_ALLOW: ${entry} is neither a host name nor an address or CIDR range`);
    }
    hosts.add(entry);
  }
  return { hosts, ranges, entries };
}

function refused(reason: string, cause?: unknown): WardError {
  return new WardError('EGRESS_REFUSED', undefined, { detail: `egress refused: ${reason}`, ...(cause ? { cause } : {}) });
}

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });

export function createEgressPolicy(opts: { allow: EgressAllow; resolve?: Resolver }): EgressPolicy {
  const resolve = opts.resolve ?? systemResolver;
  const { allow } = opts;
  const inAllowedRange = (address: string) => {
    const n = normalized(address);
    return allow.ranges.check(n.address, n.type) || (n.address !== address && allow.ranges.check(address, 'ipv6'));
  };

  return {
    async decide(input) {
      let url: URL;
      try {
        url = typeof input === 'string' ? new URL(input) : new URL(input.href);
      } catch (e) {
        throw refused('not a URL', e);
      }
      if (url.username || url.password) throw refused('credentials in the URL');
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refused(`scheme ${url.protocol}`);
      const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const isHostAllowed = allow.hosts.has(host);
      let addresses: Array<{ address: string; family: number }>;
      if (isIP(host) !== 0) addresses = [{ address: host, family: isIP(host) }];
      else {
        try {
          addresses = await resolve(host);
        } catch (e) {
          throw refused('the host did not resolve', e);
        }
      }
      if (addresses.length === 0) throw refused('the host did not resolve');
      // Every address must pass: a name that resolves to one public and one private address is refused,
      // since the connection could reach either.
      for (const a of addresses) {
        if (isSpecialAddress(a.address) && !isHostAllowed && !inAllowedRange(a.address)) throw refused(`a special-purpose address (${a.family === 6 ? 'IPv6' : 'IPv4'})`);
      }
      // Plain http carries signed requests and tokens in clear: only to an allowed loopback address (tests, the demo).
      if (url.protocol === 'http:' && !addresses.every((a) => isLoopbackAddress(a.address) && (isHostAllowed || inAllowedRange(a.address)))) {
        throw refused('plain http to an address that is not an allowed loopback');
      }
      const first = addresses[0]!;
      return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
    },
  };
}
