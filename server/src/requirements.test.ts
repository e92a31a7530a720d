// docs/requirements.md is the list of requirement IDs: whatever cites an ID cites one listed there.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
const SKIP = new Set(['node_modules', '.git', '.ward', 'dist']);

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(ts|mjs|md|cedar|json|sql)$/.test(name)) out.push(path);
  }
  return out;
}

test('every requirement ID cited in the repository is listed in docs/requirements.md', () => {
  const listed = new Set([...readFileSync(join(root, 'docs/requirements.md'), 'utf8').matchAll(/^- \*\*(R-[A-Z]+-\d+)\*\*/gm)].map((m) => m[1]!));
  assert.ok(listed.size >= 48, `docs/requirements.md lists ${listed.size} IDs`);
  const unknown: string[] = [];
  for (const dir of ['server', 'contracts', 'web', 'docs', 'policies', 'scripts']) {
    for (const file of files(join(root, dir))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bR-[A-Z]+-\d+\b/g)) if (!listed.has(m[0])) unknown.push(`${relative(root, file)}: ${m[0]}`);
    }
  }
  assert.deepEqual(unknown, []);
});

test('the README links to the requirements inside the repository', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  assert.match(readme, /\]\(docs\/requirements\.md\)/);
  assert.doesNotMatch(readme, /\]\(\.\.\//, 'no link leaves the repository');
});
