import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { WardError } from '@ward/contracts';
import { Reader, type Response } from 'mmdb-lib';
import type { GeoipConfig } from '../../config.ts';

/**
 * R-SESS-2: the country of a request's address, for the `newCountry` risk signal, from a MaxMind DB
 * (MMDB) file read once at start and looked up in memory: nothing is fetched at run time. The
 * default is the database packaged on npm as @ip-location-db/geo-whois-asn-country-mmdb (the
 * registration country of each network from the five RIRs' WHOIS and ASN data and published
 * geofeeds; CC BY 4.0, NRO): a registration country, not a measured location. An operator who wants
 * more points WARD_GEOIP_DATABASE at their own MMDB country file (MaxMind GeoIP2 or GeoLite2
 * Country, or any file with `country.iso_code` or `country_code`), or turns the signal off.
 * Private, loopback and unknown addresses have no country.
 */
export type CountryOf = (ip: string) => string | null;

/** The packaged database's file, resolved from the installed package. */
export function packagedGeoipPath(): string {
  return createRequire(import.meta.url).resolve('@ip-location-db/geo-whois-asn-country-mmdb/geo-whois-asn-country.mmdb');
}

interface CountryRecord {
  country_code?: unknown;
  country?: { iso_code?: unknown };
  registered_country?: { iso_code?: unknown };
}

const ISO_ALPHA2 = /^[A-Z]{2}$/;

// Addresses that are no place on the Internet (RFC 6890 special-purpose blocks: private, shared,
// loopback, link-local, documentation, multicast, reserved) have no country, whatever a database
// says: the packaged one maps some of them to a country (192.168.0.0/16 to AU).
const NOT_GLOBAL = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24],
  ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) {
  NOT_GLOBAL.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 127], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  NOT_GLOBAL.addSubnet(net, bits, 'ipv6');
}
const opened = new Map<string, CountryOf>();
const MAX_REMEMBERED_ADDRESSES = 10_000;

/** Opens an MMDB country database; a file that is missing or not a country database stops the start. */
export function openCountryDatabase(path: string): CountryOf {
  const known = opened.get(path);
  if (known) return known;
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(readFileSync(path));
  } catch (e) {
    throw new WardError('CONFIG_INVALID', 'WARD_GEOIP_DATABASE is not a readable MaxMind DB (MMDB) file', { cause: e });
  }
  if (!/country|city/i.test(reader.metadata.databaseType)) {
    throw new WardError('CONFIG_INVALID', 'WARD_GEOIP_DATABASE is an MMDB file without countries (its database type names no country or city)');
  }
  const lookUp: CountryOf = (ip) => {
    const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const family = isIP(address);
    if (family === 0 || NOT_GLOBAL.check(address, family === 4 ? 'ipv4' : 'ipv6')) return null;
    let r: CountryRecord | null;
    try {
      // The record's shape depends on the file (MaxMind's `country`, ip-location-db's `country_code`).
      r = reader.get(address) as CountryRecord | null;
    } catch {
      return null; // an IPv6 address against an IPv4-only file: no country, as for an unknown network
    }
    const code = r?.country_code ?? r?.country?.iso_code ?? r?.registered_country?.iso_code;
    return typeof code === 'string' && ISO_ALPHA2.test(code.toUpperCase()) ? code.toUpperCase() : null;
  };
  // R-OPS-1: every request asks for its address's country, and a client keeps its address: the answers
  // of this file (which never changes while it is open) are remembered, within a bound.
  const answers = new Map<string, string | null>();
  const countryOf: CountryOf = (ip) => {
    let answer = answers.get(ip);
    if (answer === undefined) {
      answer = lookUp(ip);
      if (answers.size >= MAX_REMEMBERED_ADDRESSES) answers.clear();
      answers.set(ip, answer);
    }
    return answer;
  };
  opened.set(path, countryOf);
  return countryOf;
}

/** The deployment's country source (config WARD_GEOIP_DATABASE): packaged, the operator's file, or none. */
export function countrySource(config: GeoipConfig): CountryOf | undefined {
  if (config.source === 'off') return undefined;
  return openCountryDatabase(config.source === 'file' ? config.path : packagedGeoipPath());
}
