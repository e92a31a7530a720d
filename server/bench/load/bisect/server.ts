/**
 * The server for bisecting a crash under load (`npm run bench:http -- --entry=...`): what `npm start`
 * runs on PostgreSQL (dependencies, app, listen, sealer, retention), with parts switched off or
 * replaced as WARD_BISECT_OFF lists them (comma-separated). Benchmarks only; never a way to run Ward.
 *
 *   cedar          Cedar is asked once per distinct request shape; later decisions come from a cache
 *   device-proof   device proofs are decoded for their key and jti, never verified
 *   session-slide  the idle timer's slide leaves last_seen_at as it was
 *   canonicalize   the `canonicalize` package is replaced by a sorted-keys JSON.stringify
 *   sealer         the audit sealer (tree heads, JCS of metadata) does not run
 *   risk-facts     the risk facts statement (R-SESS-2) is answered with calm facts without the database:
 *                  run with and without it to measure what reading the facts costs per request
 *
 *   node --import tsx server/bench/load/bisect/server.ts
 */
import { register } from 'node:module';

const off = new Set((process.env.WARD_BISECT_OFF ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const KNOWN = ['cedar', 'device-proof', 'session-slide', 'canonicalize', 'sealer', 'risk-facts'];
for (const part of off) if (!KNOWN.includes(part)) throw new Error(`WARD_BISECT_OFF: unknown part ${part} (known: ${KNOWN.join(', ')})`);
// Module replacements must be in place before Ward's modules load, hence the dynamic imports below.
if (off.has('canonicalize') || off.has('device-proof')) register('./hooks.mjs', import.meta.url, { data: { off: [...off] } });

const { loadConfig } = await import('../../../src/config.ts');
const { createDeps } = await import('../../../src/deps.ts');
const { createLogger, safeError } = await import('../../../src/logging.ts');
const { buildApp } = await import('../../../src/app.ts');
const { startRetentionJob } = await import('../../../src/modules/retention/index.ts');
type Decide = import('../../../src/modules/policy/types.ts').Pdp['decide'];
type Tx = import('../../../src/db/types.ts').Tx;

const config = loadConfig();
const logger = createLogger(config.logLevel);
const deps = await createDeps(config, { migrate: true, serve: true, logger });

if (off.has('cedar')) {
  const real: Decide = deps.pdp.decide;
  const cache = new Map<string, ReturnType<Decide>>();
  deps.pdp.decide = (req, tenantPolicies) => {
    const key = JSON.stringify([req.action, req.principal.roles, req.principal.scopes, req.resource, tenantPolicies?.key]);
    let d = cache.get(key);
    if (!d) cache.set(key, (d = real(req, tenantPolicies)));
    return d;
  };
}
if (off.has('session-slide')) {
  const scoped = deps.db.scoped.bind(deps.db);
  const slide = /SET last_seen_at = \$2/;
  deps.db.scoped = (scope, fn) =>
    scoped(scope, (tx) => fn({ query: (sql, params) => tx.query(slide.test(sql) ? sql.replace(slide, 'SET last_seen_at = last_seen_at') : sql, params) } as Tx));
}

if (off.has('risk-facts')) {
  const scoped = deps.db.scoped.bind(deps.db);
  const facts = /FROM risk_networks r WHERE/;
  const calm = { hours: null, posture_updated_at: null, prefix_first_seen_at: new Date(0), prefix_older: null, country_first_seen_at: null, country_older: null, denials: 0, failed_auth: 0, open_detections: 0 };
  deps.db.scoped = (scope, fn) =>
    scoped(scope, (tx) => fn({ query: (sql, params) => (facts.test(sql) ? Promise.resolve({ rows: [calm], rowCount: 1 }) : tx.query(sql, params)) } as Tx));
}

await deps.auditKeys.load();
const app = await buildApp(deps);
await app.listen({ port: config.port, host: config.host });
const retention = startRetentionJob({ systemDb: deps.db.systemDb, cipher: deps.cipher, audit: deps.audit, clock: deps.clock, logger }, { safeError });
if (!off.has('sealer')) deps.auditSealer.start();
process.stdout.write(`Ward (bisect: ${[...off].join(',') || 'nothing'} off) is serving ${config.origin.origin}\n`);

const stop = async () => {
  await app.close();
  await deps.auditSealer.stop();
  await retention.stop();
  await deps.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
