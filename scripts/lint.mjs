#!/usr/bin/env node
// Project rules a type checker cannot see (run by `npm run lint` after tsc):
// - modules never import fastify (DESIGN.md: modules are the domain, http/ is the edge);
// - no console.log in server code (logs go through pino, which censors PHI paths; R-DATA-4);
// - systemDb is used only where an unscoped path is allowed (migrations, seeding, jobs, the CLI, tests);
// - modules never import deps.ts (the composition root imports them, not the other way round);
// - one Clock type, in server/src/clock.ts;
// - a module is reached from outside only through its index.ts (its face); the imports that reached
//   past a face when this rule came are listed in KNOWN_DEEP_IMPORTS, which may only shrink.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
const KNOWN_DEEP_IMPORTS = new Set([
  'server/src/cli/commands/audit-export.ts -> audit/export.ts', 'server/src/cli/commands/audit-export.ts -> audit/hashes.ts',
  'server/src/cli/commands/audit-export.ts -> audit/ocsf.ts', 'server/src/cli/commands/audit-export.ts -> audit/repo.ts',
  'server/src/cli/commands/audit-options.ts -> audit/repo.ts', 'server/src/cli/commands/audit-trace.ts -> audit/query.ts',
  'server/src/cli/commands/audit-trace.ts -> audit/repo.ts', 'server/src/cli/commands/audit-verify.ts -> audit/export.ts',
  'server/src/cli/commands/audit-verify.ts -> audit/keys.ts', 'server/src/cli/commands/audit-verify.ts -> audit/verifier.ts',
  'server/src/cli/commands/audit-verify.ts -> audit/verify-db.ts', 'server/src/cli/commands/demo-seed.ts -> demo/seed.ts',
  'server/src/cli/commands/keys-rotate.ts -> crypto/db-key-store.ts', 'server/src/cli/commands/keys-rotate.ts -> phi/rotation.ts',
  'server/src/deps.ts -> audit/append.ts', 'server/src/deps.ts -> audit/head-sink.ts', 'server/src/deps.ts -> audit/key-store.ts',
  'server/src/deps.ts -> audit/sealer.ts', 'server/src/deps.ts -> crypto/db-key-store.ts', 'server/src/deps.ts -> policy/tenant-policy-store.ts',
  'server/src/http/routes/audit-events.ts -> audit/query.ts', 'server/src/main.ts -> demo/seed.ts',
  'server/src/modules/access/guard.ts -> audit/append.ts', 'server/src/modules/access/two-phase.ts -> audit/append.ts',
  'server/src/modules/demo/seed.ts -> phi/fields.ts', 'server/src/modules/demo/seed.ts -> audit/append.ts',
  'server/src/modules/identity/ceremony.ts -> audit/append.ts', 'server/src/modules/identity/challenges.ts -> sessions/secrets.ts',
  'server/src/modules/identity/enroll.ts -> sessions/secrets.ts', 'server/src/modules/identity/enrollment.ts -> audit/append.ts',
  'server/src/modules/identity/enrollment.ts -> sessions/authenticator.ts', 'server/src/modules/identity/enrollment.ts -> sessions/secrets.ts',
  'server/src/modules/identity/grants.ts -> audit/append.ts', 'server/src/modules/identity/passkeys.ts -> audit/append.ts',
  'server/src/modules/retention/retention-job.ts -> audit/append.ts', 'server/src/modules/retention/retention-job.ts -> phi/fields.ts',
  'server/src/modules/sessions/authenticator.ts -> audit/append.ts', 'server/src/modules/sessions/devices.ts -> audit/append.ts',
  'server/src/modules/sessions/sessions.ts -> audit/append.ts', 'server/src/modules/workload/authorization-server.ts -> audit/append.ts',
  'server/src/modules/workload/registry.ts -> audit/append.ts',
]);
const deepSeen = new Set();
for (const file of walk(join(root, 'server/src'))) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const isTestCode = rel.endsWith('.test.ts') || rel.includes('/test-support/');
  const ownModule = /^server\/src\/modules\/([a-z-]+)\//.exec(rel)?.[1];
  if (!rel.endsWith('server/src/clock.ts') && /^export (interface|type) Clock\b/m.test(text)) problems.push(`${rel}: declares its own Clock (use server/src/clock.ts)`);
  for (const m of isTestCode ? [] : text.matchAll(/from '(\.[^']+\.ts)'/g)) {
    const target = relative(root, resolve(dirname(file), m[1]));
    if (ownModule && target === 'server/src/deps.ts') problems.push(`${rel}: modules never import deps.ts (take what you need as parameters)`);
    const face = /^server\/src\/modules\/([a-z-]+)\/(.+)$/.exec(target);
    if (face && face[1] !== ownModule && face[2] !== 'index.ts') {
      const key = `${rel} -> ${face[1]}/${face[2]}`;
      deepSeen.add(key);
      if (!KNOWN_DEEP_IMPORTS.has(key)) problems.push(`${rel}: reaches past the face of modules/${face[1]} (import from modules/${face[1]}/index.ts)`);
    }
  }
  if (rel.startsWith('server/src/modules/') && /from ['"]fastify['"]/.test(text)) problems.push(`${rel}: modules never import fastify`);
  if (!rel.endsWith('.test.ts') && /console\.log\(/.test(text)) problems.push(`${rel}: console.log in server code (use the logger or the CLI's io)`);
  if (/\bsystemDb\b/.test(text) && !SYSTEM_DB_ALLOWED.some((re) => re.test(rel)) && rel !== 'server/src/deps.ts') {
    problems.push(`${rel}: uses systemDb outside the allowed places`);
  }
}
for (const key of KNOWN_DEEP_IMPORTS) if (!deepSeen.has(key)) problems.push(`scripts/lint.mjs: ${key} is gone: remove it from KNOWN_DEEP_IMPORTS`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
