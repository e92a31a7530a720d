#!/usr/bin/env node
// Project rules a type checker cannot see (run by `npm run lint` after tsc):
// - modules never import fastify (DESIGN.md: modules are the domain, http/ is the edge);
// - no console.log in server code (logs go through pino, which censors PHI paths; R-DATA-4);
// - systemDb is used only where an unscoped path is allowed (migrations, seeding, jobs, the CLI, tests);
// - modules never import deps.ts (the composition root imports them, not the other way round);
// - one Clock type, in server/src/clock.ts;
// - a module is reached from outside only through its index.ts (its face), test code excepted;
// - HTTP handlers read req.params, req.query and req.body as their schemas type them (the TypeBox
//   type provider; http/enforce.ts for enforced routes): no casts of them, no `as never`;
// - the fixed lists (roles, workload roles, PHI scopes, device postures) have their schemas in
//   @ward/contracts: no Type.Literal of one of their values in server code (schemas once);
// - the policy module decides and owns no storage (no database access: DESIGN.md); stored tenant
//   policies live in modules/tenant-policies;
// - a test is skipped only with its reason: no `skip: true`, `todo`, `.skip()` without a string, or
//   `test.skip(`/`describe.skip(`/`it.skip(` (the runner prints the reason; CI reads the count).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const problems = [];
// The values of contracts' fixed lists, read from their source: `export const NAME = [...] as const`.
const contractsText = ['principal.ts', 'auth.ts'].map((f) => readFileSync(join(root, 'contracts/src', f), 'utf8')).join('\n');
const LISTED = new Set(
  [...contractsText.matchAll(/^export const (?:ROLES|WORKLOAD_ROLES|PHI_SCOPES|DEVICE_POSTURES) = \[([^\]]*)\] as const;/gm)]
    .flatMap((m) => [...m[1].matchAll(/'([^']+)'/g)].map((v) => v[1])),
);
if (LISTED.size < 10) problems.push('scripts/lint.mjs: the fixed lists of contracts/src were not found (ROLES, WORKLOAD_ROLES, PHI_SCOPES, DEVICE_POSTURES)');
function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}
const SYSTEM_DB_ALLOWED = [/^server\/src\/db\//, /^server\/src\/cli\//, /^server\/src\/main\.ts$/, /^server\/src\/modules\/demo\/seed\.ts$/, /^server\/src\/modules\/crypto\/db-key-store\.ts$/, /^server\/src\/modules\/[a-z-]+\/(jobs?|sealer|retention|rotation)[a-z-]*\.ts$/, /\.test\.ts$/, /^server\/test\//, /^server\/bench\//, /^server\/src\/modules\/identity\/enrollment\.ts$/ /* tenant creation: no tenant exists yet */, /^server\/src\/modules\/workload\/registry\.ts$/ /* the operator registers workloads: ward_app may only read the registry */, /^server\/src\/modules\/provisioning\/operator\.ts$/ /* the operator registers the SCIM client, issues its tokens and maps groups (R-AUTHN-5) */];
for (const file of walk(join(root, 'server/src'))) {
  const rel = relative(root, file);
  const text = readFileSync(file, 'utf8');
  const isTestCode = rel.endsWith('.test.ts') || rel.includes('/test-support/');
  const ownModule = /^server\/src\/modules\/([a-z-]+)\//.exec(rel)?.[1];
  if (!rel.endsWith('server/src/clock.ts') && /^export (interface|type) Clock\b/m.test(text)) problems.push(`${rel}: declares its own Clock (use server/src/clock.ts)`);
  for (const m of isTestCode ? [] : text.matchAll(/from '(\.[^']+\.ts)'/g)) {
    const target = relative(root, resolve(dirname(file), m[1]));
    if (ownModule === 'policy' && target.startsWith('server/src/db/')) problems.push(`${rel}: the policy module owns no storage (stored policies: modules/tenant-policies)`);
    if (ownModule && target === 'server/src/deps.ts') problems.push(`${rel}: modules never import deps.ts (take what you need as parameters)`);
    const face = /^server\/src\/modules\/([a-z-]+)\/(.+)$/.exec(target);
    if (face && face[1] !== ownModule && face[2] !== 'index.ts') {
      problems.push(`${rel}: imports modules/${face[1]}/${face[2]}, past the face of modules/${face[1]} (import from modules/${face[1]}/index.ts)`);
    }
  }
  if (rel.startsWith('server/src/http/') && !isTestCode) {
    for (const m of text.matchAll(/\breq(?:uest)?\.(?:body|params|query)\)? as |\bas never\b/g)) {
      problems.push(`${rel}:${text.slice(0, m.index).split('\n').length}: a cast in a handler (${m[0].trim()}): give the route a TypeBox schema and read the typed request`);
    }
  }
  for (const m of isTestCode ? [] : text.matchAll(/Type\.Literal\('([^']+)'\)/g)) {
    if (LISTED.has(m[1])) problems.push(`${rel}: Type.Literal('${m[1]}') repeats a list of @ward/contracts (use RoleSchema, WorkloadRoleSchema, PhiScopeSchema or DevicePostureSchema)`);
  }
  if (rel.startsWith('server/src/modules/') && /from ['"]fastify['"]/.test(text)) problems.push(`${rel}: modules never import fastify`);
  if (!rel.endsWith('.test.ts') && /console\.log\(/.test(text)) problems.push(`${rel}: console.log in server code (use the logger or the CLI's io)`);
  if (/\bsystemDb\b/.test(text) && !SYSTEM_DB_ALLOWED.some((re) => re.test(rel)) && rel !== 'server/src/deps.ts') {
    problems.push(`${rel}: uses systemDb outside the allowed places`);
  }
}
// Skips without a reason, in every test file of the workspaces.
for (const dir of ['server', 'web', 'contracts', 'scripts']) {
  for (const file of walk(join(root, dir)).filter((f) => f.endsWith('.test.ts'))) {
    const rel = relative(root, file);
    const text = readFileSync(file, 'utf8');
    const unreasoned = /\bskip:\s*true\b|\btodo:\s*true\b|\.skip\(\s*\)|\b(?:test|it|describe)\.(?:skip|todo)\(|\.todo\(/g;
    for (const m of text.matchAll(unreasoned)) {
      problems.push(`${rel}:${text.slice(0, m.index).split('\n').length}: a test skipped without its reason (${m[0]}): give skip a string that says why`);
    }
  }
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
