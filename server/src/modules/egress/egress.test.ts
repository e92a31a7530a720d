import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createEgressFetch, createEgressPolicy, embeddedIpv4, parseEgressAllow, type Resolver } from './index.ts';

/** R-WORK-4: one policy decides every outbound URL; these tests name what it refuses and what an exception lifts. */
const PUBLIC = '93.184.216.34';
const dns: Record<string, string[]> = {
  'vendor.example.com': [PUBLIC],
  'private-vendor.example.com': ['10.1.2.3'],
  'metadata.example.com': ['169.254.169.254'],
  'split.example.com': [PUBLIC, '192.168.1.10'],
  'v6-loopback.example.com': ['::1'],
  'ula.example.com': ['fd00::1'],
};
const resolve: Resolver = async (host) => {
  const list = dns[host];
  if (!list) throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const policy = (allow = '') => createEgressPolicy({ allow: parseEgressAllow(allow), resolve });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return `${(e as { code?: string }).code}: ${(e as { detail?: string }).detail}`;
  }
  return 'allowed';
}

describe('egress policy (R-WORK-4)', () => {
  test('a vendor URL over https on a public address is allowed, and pinned to the address it resolved to', async () => {
    const t = await policy().decide('https://vendor.example.com/v1/chat');
    assert.deepEqual([t.address, t.family, t.url.hostname], [PUBLIC, 4, 'vendor.example.com']);
  });

  test('a vendor URL that resolves to a private address is refused unless WARD_EGRESS_ALLOW lists it', async () => {
    assert.match(await refusal(policy().decide('https://private-vendor.example.com/v1')), /^EGRESS_REFUSED: .*special-purpose address/);
    assert.equal((await policy('10.0.0.0/8').decide('https://private-vendor.example.com/v1')).address, '10.1.2.3');
    assert.equal((await policy('private-vendor.example.com').decide('https://private-vendor.example.com/v1')).address, '10.1.2.3');
    assert.match(await refusal(policy('10.9.0.0/16').decide('https://private-vendor.example.com/v1')), /EGRESS_REFUSED/);
  });

  test('loopback, link-local, private, unspecified and mapped addresses are refused, written as literals or resolved', async () => {
    for (const url of [
      'https://127.0.0.1/', 'https://[::1]/', 'https://0.0.0.0/', 'https://169.254.169.254/latest/meta-data', 'https://[fe80::1]/',
      'https://[::ffff:127.0.0.1]/', 'https://[::ffff:a9fe:a9fe]/', 'https://[64:ff9b::a00:1]/', 'https://172.16.0.1/', 'https://100.64.0.1/',
      'https://metadata.example.com/', 'https://v6-loopback.example.com/', 'https://ula.example.com/', 'https://224.0.0.1/',
    ]) assert.match(await refusal(policy().decide(url)), /^EGRESS_REFUSED/, url);
  });

  test('a name with one public and one private address is refused: the connection could reach either', async () => {
    assert.match(await refusal(policy().decide('https://split.example.com/')), /special-purpose/);
  });

  test('only https: plain http only to an allowed loopback; other schemes, credentials and unknown hosts are refused', async () => {
    assert.match(await refusal(policy().decide('http://vendor.example.com/')), /plain http/);
    assert.match(await refusal(policy('10.0.0.0/8').decide('http://private-vendor.example.com/')), /plain http/);
    assert.match(await refusal(policy().decide('http://127.0.0.1:9/')), /special-purpose/);
    assert.equal((await policy('127.0.0.1').decide('http://127.0.0.1:9/')).address, '127.0.0.1');
    assert.match(await refusal(policy().decide('ftp://vendor.example.com/')), /scheme/);
    assert.match(await refusal(policy().decide('file:///etc/passwd')), /scheme/);
    assert.match(await refusal(policy().decide('https://user:pw@vendor.example.com/')), /credentials/);
    assert.match(await refusal(policy().decide('https://nowhere.example.com/')), /did not resolve/);
  });

  test('WARD_EGRESS_ALLOW takes host names, addresses and CIDR ranges, and refuses anything else', () => {
    assert.deepEqual(parseEgressAllow(' 127.0.0.1, ::1 ,10.0.0.0/8,idp.internal.example.org').entries, ['127.0.0.1', '::1', '10.0.0.0/8', 'idp.internal.example.org']);
    for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '*.example.com', 'host/8']) assert.throws(() => parseEgressAllow(bad), /WARD_EGRESS_ALLOW/, bad);
  });

  test('an IPv6 address that carries an IPv4 one is judged as that IPv4 address', () => {
    assert.equal(embeddedIpv4('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(embeddedIpv4('::ffff:10.0.0.1'), '10.0.0.1');
    assert.equal(embeddedIpv4('2001:db8::1'), null);
  });
});

describe('egress fetch (R-WORK-4)', () => {
  let server: Server;
  let base: string;
  before(async () => {
    server = createServer((req, res) => {
      if (req.url === '/to-metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      if (req.url === '/to-self') return void res.writeHead(302, { location: '/hello' }).end();
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end(`${req.method} ${req.url} ${body}`));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('reaches an allowed loopback receiver, and refuses it when loopback is not listed', async () => {
    const allowed = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('127.0.0.1') }));
    const res = await allowed(`${base}/hello`, { method: 'POST', body: 'hi', headers: { 'content-type': 'text/plain' } });
    assert.equal(await res.text(), 'POST /hello hi');
    const strict = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('') }));
    await assert.rejects(strict(`${base}/hello`), { code: 'EGRESS_REFUSED' });
  });

  test('a redirect is not followed by default, and a followed redirect to a link-local address is refused', async () => {
    const f = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('127.0.0.1') }));
    assert.equal((await f(`${base}/to-metadata`)).status, 302);
    await assert.rejects(f(`${base}/to-metadata`, { redirect: 'follow' }), { code: 'EGRESS_REFUSED' });
    assert.equal(await (await f(`${base}/to-self`, { redirect: 'follow' })).text(), 'GET /hello ');
  });

  test('an answer larger than the limit is refused', async () => {
    const f = createEgressFetch(createEgressPolicy({ allow: parseEgressAllow('127.0.0.1') }), { maxResponseBytes: 4 });
    await assert.rejects(f(`${base}/hello`), { code: 'EGRESS_REFUSED' });
  });
});
