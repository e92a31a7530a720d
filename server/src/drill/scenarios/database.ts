import { liveLockOwner } from '../../db/data-dir-lock.ts';
import { type Scenario, type Verdict, type World } from '../scenario.ts';
import { TM } from './boundaries.ts';

/**
 * The database walls (R-AUTHZ-7, R-AUTHZ-5, R-AUDIT-2, R-AUDIT-3), attacked from inside the server's
 * own connection through `ward drill probe` (what injected SQL could do), and the audit trail's
 * tamper evidence through `ward audit verify`.
 */
type Outcome = { rows: number } | { error: string };
let probed: Promise<{ engine: string; results: Record<string, Outcome> }> | undefined;

function probe(w: World) {
  probed ??= w.operator(['drill', 'probe', '--tenant', w.a.slug, '--other', w.b.slug]).then((r) => {
    if (r.code !== 0) throw new Error(`ward drill probe exited ${r.code}: ${r.err.trim()}`);
    return JSON.parse(r.out.trim().split('\n').at(-1)!) as { engine: string; results: Record<string, Outcome> };
  });
  return probed;
}

/** Forget the last probe run (each drill run probes once). */
export function resetProbe(): void {
  probed = undefined;
}

const show = (o: Outcome | undefined) => (o === undefined ? 'no answer' : 'error' in o ? `refused (SQLSTATE ${o.error})` : `${o.rows} rows`);

function rowsZero(name: string, control = true): (w: World) => Promise<Verdict> {
  return async (w) => {
    const { results } = await probe(w);
    const own = results.ownRows;
    const o = results[name];
    // The control proves the probe's transaction reads rows at all: 0 rows is then the wall's doing.
    const controlOk = !control || (own !== undefined && 'rows' in own && own.rows > 0);
    const pass = controlOk && o !== undefined && ('error' in o || o.rows === 0);
    return { pass, observed: `${show(o)}${control ? `; unforged control ${show(own)}` : ''}` };
  };
}

function refused(name: string): (w: World) => Promise<Verdict> {
  return async (w) => {
    const o = (await probe(w)).results[name];
    return { pass: o !== undefined && ('error' in o || o.rows === 0), observed: show(o) };
  };
}

export function databaseScenarios(): Scenario[] {
  const forged = 'a forged scope in PostgreSQL';
  return [
    { id: 'db.forged-tenant', category: forged, covers: [TM.mac, TM.rls, 'R-AUTHZ-7'], title: "injected SQL puts tenant B's id in ward.scope in A's transaction", expected: '0 rows of tenant B', run: rowsZero('forgedTenant') },
    { id: 'db.forged-scopes', category: forged, covers: [TM.mac, 'R-AUTHZ-2'], title: 'injected SQL adds every PHI scope to ward.scope', expected: '0 rows outside the granted scope', run: rowsZero('forgedScopes') },
    { id: 'db.foreign-rows-unforged', category: forged, covers: [TM.rls, 'R-AUTHZ-7'], title: "a statement that asks for tenant B's rows by tenant_id", expected: '0 rows', run: rowsZero('foreignRowsUnforged') },
    { id: 'db.audit-update', category: 'audit tampering detection', covers: [TM.auditAppend, 'R-AUDIT-3'], title: 'the application role updates audit events', expected: 'refused', run: refused('auditUpdate') },
    { id: 'db.audit-delete', category: 'audit tampering detection', covers: [TM.auditAppend, 'R-AUDIT-3'], title: 'the application role deletes audit events', expected: 'refused', run: refused('auditDelete') },
    { id: 'db.audit-other-actor', category: 'audit tampering detection', covers: [TM.auditActor, 'R-AUDIT-2'], title: "the application role writes an audit event under another actor's name", expected: 'refused', run: refused('auditAsOtherActor') },
    { id: 'db.audit-issue-dropped', category: 'audit tampering detection', covers: [TM.auditBatch, 'R-AUDIT-2'], title: "the application role asks the database to MAC an audit event of its own scope (0073/0098's issue, dropped by 0107)", expected: 'refused', run: refused('auditIssueDropped') },
    { id: 'db.audit-batch-dropped', category: 'audit tampering detection', covers: [TM.auditBatch, 'R-AUDIT-2'], title: "the application role inserts an event through the superseded batch function (0073, dropped by 0107)", expected: 'refused', run: refused('auditBatchDropped') },
    { id: 'db.audit-vouched-forged', category: 'audit tampering detection', covers: [TM.auditBatch, 'R-AUDIT-2'], title: "the application role inserts, through the vouched batch function (0105), an event of its own scope under a voucher it made up", expected: 'refused', run: refused('auditVouchedForged') },
    { id: 'db.self-grant-role', category: 'scope and role self-grant', covers: [TM.definer, 'R-AUTHZ-5'], title: 'the application role inserts a role grant directly', expected: 'refused', run: refused('selfGrantRole') },
    { id: 'db.self-grant-scope', category: 'scope and role self-grant', covers: [TM.definer, 'R-AUTHZ-5'], title: 'the application role inserts a PHI scope grant directly', expected: 'refused', run: refused('selfGrantScope') },
    { id: 'db.rekey-workload', category: 'scope and role self-grant', covers: [TM.definerKeys, 'R-WORK-2'], title: "the application role replaces a workload's public keys directly (to act as a PHI-scoped AI agent)", expected: 'refused', run: refused('rekeyWorkload') },
    { id: 'db.shorten-retention', category: 'scope and role self-grant', covers: [TM.definerKeys, 'R-DATA-5'], title: "the application role sets its tenant's recordings to be deleted after a day directly", expected: 'refused', run: refused('shortenRetention') },
    { id: 'db.release-holds', category: 'scope and role self-grant', covers: [TM.definerKeys, 'R-DATA-5'], title: "the application role releases its tenant's legal holds directly", expected: 'refused', run: refused('releaseHolds') },
    { id: 'db.mint-scim-token', category: 'scope and role self-grant', covers: [TM.definerKeys, 'R-AUTHN-5'], title: 'the application role inserts a SCIM token directly', expected: 'refused', run: refused('mintScimToken') },
    { id: 'db.cross-tenant-row', category: forged, covers: [TM.compositeFk, 'R-AUTHZ-7'], title: "a case note in tenant A pointing at tenant B's patient", expected: 'refused', run: refused('crossTenantRow') },
    { id: 'db.app-role-safe', category: forged, covers: [TM.roleCheck, 'R-AUTHZ-7'], title: "the role the server's transactions run as: superuser, BYPASSRLS or CREATEROLE?", expected: 'none of them', run: rowsZero('appRoleUnsafe', false) },
    {
      id: 'audit.tamper-detected', category: 'audit tampering detection', covers: [TM.auditAppend, 'R-AUDIT-3'],
      title: "one sealed audit event of tenant B altered with the owner's rights", expected: 'ward audit verify fails for tenant B (it passed before)',
      async run(w) {
        const seal = await w.operator(['audit', 'seal']);
        const before = await w.operator(['audit', 'verify', '--tenant', w.b.slug]);
        const tamper = await w.operator(['drill', 'probe', '--tenant', w.b.slug, '--other', w.a.slug, '--tamper-audit']);
        const after = await w.operator(['audit', 'verify', '--tenant', w.b.slug]);
        return {
          pass: before.code === 0 && tamper.code === 0 && after.code !== 0,
          observed: `seal exit ${seal.code}; verify before exit ${before.code}; tamper exit ${tamper.code}; verify after exit ${after.code}: ${after.out.trim().replace(/^tenant \S+: /, '')}`,
        };
      },
    },
    {
      id: 'db.data-dir-owned', category: forged, covers: [TM.dataDirLock],
      title: 'a second process opening the data directory the server owns', expected: "the directory's lock names the live server; operator commands went through its socket",
      async run(w) {
        const { engine } = await probe(w);
        if (engine !== 'embedded') return { pass: true, observed: `engine ${engine}: no embedded data directory to share` };
        const owner = liveLockOwner(w.dataDir);
        return { pass: owner !== null && owner.pid !== process.pid, observed: owner ? `locked by live pid ${owner.pid}${owner.pid === process.pid ? ' (this process)' : ''}` : 'no live lock' };
      },
    },
    {
      id: 'cli.no-phi-arguments', category: 'audit tampering detection', covers: [TM.phiInArgs, 'R-DATA-4'],
      title: 'text for the redactor given as an argument (it would show in the process list)', expected: 'refused as a usage error (exit 2): text goes on standard input',
      async run(w) {
        const r = await w.operator(['redact', '--text', 'drill']);
        return { pass: r.code === 2, observed: `exit ${r.code}` };
      },
    },
  ];
}

/** A detection raised for the tenant by `ruleId` (and `principalId` when given), waiting for the sealer's next passes. */
async function detected(w: World, slug: string, ruleId: string, principalId?: string): Promise<{ found: boolean; rules: string[] }> {
  let rules: string[] = [];
  for (let attempt = 0; attempt < 20; attempt++) {
    await w.operator(['audit', 'seal']);
    const r = await w.operator(['detect', 'list', '--tenant', slug, '--json']);
    const list = r.out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { ruleId: string; principalId?: string | null });
    rules = [...new Set(list.map((d) => d.ruleId))];
    if (list.some((d) => d.ruleId === ruleId && (!principalId || d.principalId === principalId))) return { found: true, rules };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return { found: false, rules };
}

/** R-MON-1 (issue 25, on main): the drill's own attacks must be seen by the detection rules. */
export function detectionScenarios(): Scenario[] {
  return [
    {
      id: 'detect.phi-denial-spike', category: 'detections of the drill itself', covers: ['R-MON-1'],
      title: "the Viewer's run of refused PHI reads (the no-phi-role family) raises a detection",
      expected: 'a phi.denial-spike detection naming the Viewer in ward detect list',
      async run(w) {
        const d = await detected(w, w.a.slug, 'phi.denial-spike', w.people.viewer.memberId);
        return { pass: d.found, observed: `detections of tenant A: ${d.rules.join(', ') || 'none'}` };
      },
    },
    {
      id: 'detect.audit-verification-failed', category: 'detections of the drill itself', covers: ['R-MON-1', 'R-AUDIT-3'],
      title: "the failed verification of tenant B's tampered audit trail raises a detection",
      expected: 'an audit.verification-failed detection in ward detect list for tenant B',
      async run(w) {
        const d = await detected(w, w.b.slug, 'audit.verification-failed');
        return { pass: d.found, observed: `detections of tenant B: ${d.rules.join(', ') || 'none'}` };
      },
    },
  ];
}
