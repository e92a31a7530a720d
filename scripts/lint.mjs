#!/usr/bin/env node
// Project rules a type checker cannot see (run by `npm run lint` after tsc):
// - modules never import fastify (DESIGN.md: modules are the domain, http/ is the edge);
// - no console.log in server code (logs go through pino, which censors PHI paths; R-DATA-4);
// - systemDb is used only where an unscoped path is allowed (migrations, seeding, jobs, the CLI, tests).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const problems = [];
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}
const SYSTEM_DB_ALLOWED = [/^server\/src\/db\//, /^server\/src\/cli\//, /^server\/src\/main\.ts$/, /^server\/src\/modules\/demo\/seed\.ts$/, /^server\/src\/modules\/crypto\/db-key-store\.ts$/, /^server\/src\/modules\/[a-z-]+\/(jobs?|sealer|retention|rotation)[a-z-]*\.ts$/, /\.test\.ts$/, /^server\/test\//, /^server\/bench\//, /^server\/src\/modules\/identity\/enrollment\.ts$/ /* tenant creation: no tenant exists yet */, /^server\/src\/modules\/workload\/registry\.ts$/ /* the operator registers workloads: ward_app may only read the registry */];
for (const file of walk(join(root, 'server/src'))) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  if (rel.startsWith('server/src/modules/') && /from ['"]fastify['"]/.test(text)) problems.push(`${rel}: modules never import fastify`);
  if (!rel.endsWith('.test.ts') && /console\.log\(/.test(text)) problems.push(`${rel}: console.log in server code (use the logger or the CLI's io)`);
  if (/\bsystemDb\b/.test(text) && !SYSTEM_DB_ALLOWED.some((re) => re.test(rel)) && rel !== 'server/src/deps.ts') {
    problems.push(`${rel}: uses systemDb outside the allowed places`);
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
