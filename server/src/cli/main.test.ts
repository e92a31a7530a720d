// The operator CLI's conventions (R-UX-2): one usage format, --help and --version, suggestions,
// units, refusals with their reason codes. No database: these never reach a command's body.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { WardError } from '@ward/contracts';
import { runWard } from '../../test/support/cli.ts';
import { errorLine, listedCommandWords, loadCommands } from './main.ts';
import { distance, nearest, parseOptions } from './options.ts';

const version = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

test('ward --version prints the version and exits 0', async () => {
  const r = await runWard(['--version']);
  assert.deepEqual([r.code, r.out], [0, `ward ${version}\n`]);
});

test('ward without a command lists every command and exits 0', async () => {
  const r = await runWard([]);
  assert.equal(r.code, 0);
  for (const c of ['tenant list', 'member list', 'invitation status', 'demo sign-in', 'audit trace']) assert.match(r.out, new RegExp(`ward ${c} `));
});

test('each command is listed under its own words, once, so that only the command that runs is loaded', async () => {
  const listed = listedCommandWords();
  assert.deepEqual((await loadCommands()).map((c) => c.path.join(' ')), listed);
  assert.equal(new Set(listed).size, listed.length);
});

test('every command answers --help on standard output with one usage format, and exits 0', async () => {
  const list = (await runWard([])).out;
  // A third word (ward member recovery list) only when the padding follows it: summaries start after two spaces.
  const commands = [...list.matchAll(/^ {2}ward ([a-z-]+(?: [a-z-]+)?(?: [a-z-]+(?= {2}))?) /gm)].map((m) => m[1]!);
  assert.ok(commands.length >= 24, `found ${commands.length} commands`);
  for (const c of commands) {
    const r = await runWard([...c.split(' '), '--help']);
    assert.equal(r.code, 0, c);
    assert.equal(r.err, '', c);
    assert.ok(r.out.startsWith(`Usage: ward ${c}`), `${c}: ${r.out.slice(0, 80)}`);
    assert.match(r.out, /\nOptions:\n(?: {2}--[a-z-]+.*\n)+/, c);
    // Flags say what they take, with units: no bare N, no unnamed <value>.
    assert.doesNotMatch(r.out, /<value>| N\b|\[--[a-z-]+ N\]/, c);
  }
  assert.deepEqual((await runWard(['help', 'member', 'invite'])).out, (await runWard(['member', 'invite', '--help'])).out);
});

test('an unknown command says so and suggests the nearest; exit 2', async () => {
  const typo = await runWard(['membr', 'list']);
  assert.equal(typo.code, 2);
  assert.match(typo.err, /^ward: unknown command "membr list"\.\nDid you mean: ward member list\?/);
  const sub = await runWard(['audit', 'verfy']);
  assert.match(sub.err, /Did you mean: ward audit verify\?\nThe audit commands: verify, export, trace, seal\./);
  // What is not a word (it might be PHI) is not echoed.
  const odd = await runWard(['Jane Doe 555-0100']);
  assert.match(odd.err, /unknown command \(not shown\)/);
  assert.doesNotMatch(odd.err, /Jane|555/);
});

test('an unknown option is named with the nearest one; values are never echoed', async () => {
  const r = await runWard(['member', 'invite', '--tennant', 'riverside']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^ward: USAGE: Unknown option --tennant\. Did you mean --tenant\?\nUsage: ward member invite --tenant <slug> --email <email> --role <Role>/);
  const positional = await runWard(['redact', 'Jane Doe was born 1970-01-01']);
  assert.equal(positional.code, 2);
  assert.doesNotMatch(positional.err, /Jane|1970/);
  const missing = await runWard(['member', 'invite', '--tenant', 'riverside']);
  assert.match(missing.err, /--email <email> is required/);
  const unit = await runWard(['member', 'invite', '--tenant', 'x', '--email', 'a@b.c', '--role', 'Agent', '--ttl-hours', '2d']);
  assert.match(unit.err, /--ttl-hours takes a whole number of hours from 1 to 168/);
});

test('options parse as --name value and --name=value, refuse repeats, and give flags booleans', () => {
  const spec = { tenant: { value: '<slug>', description: '' }, json: { type: 'boolean', description: '' } } as const;
  assert.deepEqual({ ...parseOptions(spec, ['--tenant=a', '--json']) }, { tenant: 'a', json: true });
  assert.deepEqual({ ...parseOptions(spec, ['--tenant', 'a']) }, { tenant: 'a', json: false });
  assert.throws(() => parseOptions(spec, ['--tenant', 'a', '--tenant', 'b']), /given twice/);
  assert.throws(() => parseOptions(spec, ['--tenant']), /--tenant takes a value: <slug>/);
  assert.throws(() => parseOptions(spec, ['--json=yes']), (e: WardError) => e.code === 'USAGE');
  assert.equal(distance('kitten', 'sitting'), 3);
  assert.equal(nearest('tennant', ['tenant', 'email']), 'tenant');
  assert.equal(nearest('zzz', ['tenant', 'email']), undefined);
});

test('a refusal prints its code and the reason codes its audit event records, never its detail', () => {
  const e = new WardError('ENROLLMENT_SELF_APPROVAL', undefined, { reasons: ['self_approval'], detail: 'member 1234 approved member 1234' });
  assert.equal(errorLine(e), 'ward: ENROLLMENT_SELF_APPROVAL (self_approval): No one approves their own invitation.\n');
});

test('policy matrix prints to standard output unless --out or --write', async () => {
  const r = await runWard(['policy', 'matrix']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^# Ward role matrix\n\n<!-- Generated by `npx ward policy matrix --write`/);
  const both = await runWard(['policy', 'matrix', '--write', '--out', '/tmp/x.md']);
  assert.equal(both.code, 2);
});
