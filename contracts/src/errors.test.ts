import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERROR_CODES, WardError } from './errors.ts';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

test('every error code is documented in docs/errors.md', () => {
  const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`| \`${code}\` |`));
  assert.deepEqual(missing, [], `undocumented error codes: ${missing.join(', ')}`);
});

test('docs/errors.md documents no code that does not exist', () => {
  const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
  const unknown = documented.filter((code) => !(code in ERROR_CODES));
  assert.deepEqual(unknown, []);
});

test('a WardError carries its code, status and public message, and keeps the cause', () => {
  const cause = new Error('detail');
  const e = new WardError('NOT_FOUND', undefined, { cause });
  assert.equal(e.code, 'NOT_FOUND');
  assert.equal(e.status, 404);
  assert.equal(e.message, 'Not found.');
  assert.equal(e.cause, cause);
  assert.equal(e.name, 'WardError');
});
