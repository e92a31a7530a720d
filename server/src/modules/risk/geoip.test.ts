// R-SESS-2: the country source of the newCountry signal works offline: the packaged MMDB database is
// read from the installed package, an operator's file is read instead when named, and a file that is
// not a country database stops the start (CONFIG_INVALID), as WARD_GEOIP_DATABASE does in config.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../config.ts';
import { countrySource, openCountryDatabase, packagedGeoipPath } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'ward-geoip-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the packaged database names the registration country of IPv4, IPv6 and mapped addresses', () => {
  const countryOf = countrySource({ source: 'packaged' })!;
  assert.equal(countryOf('8.8.8.8'), 'US');
  assert.equal(countryOf('193.0.0.1'), 'NL');
  assert.equal(countryOf('::ffff:8.8.8.8'), 'US');
  assert.equal(countryOf('2001:4860:4860::8888'), 'US');
});

test('private, loopback and malformed addresses have no country, asked once or again (remembered)', () => {
  const countryOf = countrySource({ source: 'packaged' })!;
  // 192.168.0.9 and 203.0.113.5 have a country in the packaged file; no special-purpose address gets one here.
  for (let round = 0; round < 2; round++) {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.5.4', '100.64.0.1', '192.168.0.9', '203.0.113.5', '::1', '::', 'fe80::1', 'fd00::1', '2001:db8::1', 'not-an-address', '']) {
      assert.equal(countryOf(ip), null, ip);
    }
    assert.equal(countryOf('8.8.8.8'), 'US');
  }
});

test("an operator's MMDB file is read instead of the packaged one; off means no source", () => {
  const mine = join(dir, 'countries.mmdb');
  copyFileSync(packagedGeoipPath(), mine);
  const countryOf = countrySource(loadConfig({ WARD_GEOIP_DATABASE: mine }).geoip)!;
  assert.equal(countryOf('193.0.0.1'), 'NL');
  assert.equal(countrySource(loadConfig({ WARD_GEOIP_DATABASE: 'off' }).geoip), undefined);
  assert.deepEqual(loadConfig({}).geoip, { source: 'packaged' });
});

test('a missing file or one that is not a MaxMind DB is refused with CONFIG_INVALID', () => {
  assert.throws(() => loadConfig({ WARD_GEOIP_DATABASE: join(dir, 'missing.mmdb') }), { code: 'CONFIG_INVALID', message: /WARD_GEOIP_DATABASE must name a readable MaxMind DB/ });
  const junk = join(dir, 'junk.mmdb');
  writeFileSync(junk, 'not a database');
  assert.throws(() => openCountryDatabase(junk), { code: 'CONFIG_INVALID', message: /not a readable MaxMind DB/ });
});
