import { randomUUID } from 'node:crypto';
import { isPhiScope, isRole, WardError, type Authenticated, type PhiScope, type Role, type TenantId } from '@ward/contracts';
import type { Deps } from '../../deps.ts';
import type { Tx } from '../../db/types.ts';
import { defineCommand, wholeNumber } from '../options.ts';
import { progressLine, type Progress } from '../progress.ts';

const MEMBERS = `SELECT m.id, m.tenant_id,
    ARRAY(SELECT role FROM member_roles r WHERE r.member_id = m.id ORDER BY role) AS roles,
    ARRAY(SELECT phi_scope FROM member_phi_scopes s WHERE s.member_id = m.id ORDER BY phi_scope) AS scopes
  FROM members m WHERE m.status = 'active' ORDER BY m.tenant_id, m.id`;
// Identifiers and scopes only: the traffic never decrypts PHI.
const PATIENTS = 'SELECT id, tenant_id, phi_scope FROM patients ORDER BY tenant_id, id';
const LOAD_PATIENT = 'SELECT id, tenant_id, phi_scope FROM patients WHERE id = $1';

interface DemoMember {
  id: string;
  tenant_id: string;
  roles: string[];
  scopes: string[];
}
interface PatientRef {
  id: string;
  tenant_id: string;
  phi_scope: PhiScope;
}

function authenticated(member: DemoMember, sessionId: string, now: Date): Authenticated {
  return {
    principal: {
      kind: 'human',
      id: member.id,
      tenantId: member.tenant_id as TenantId,
      roles: member.roles.filter(isRole) as Role[],
      phiScopes: member.scopes.filter(isPhiScope),
    },
    credential: {
      kind: 'session',
      id: sessionId,
      authMethod: 'passkey',
      amr: ['hwk', 'user'],
      mfa: true,
      createdAt: new Date(now.getTime() - 600_000),
      lastVerifiedAt: new Date(now.getTime() - 60_000),
      expiresAt: new Date(now.getTime() + 3_600_000),
    },
    device: { id: randomUUID(), thumbprint: `demo-${member.id}`, posture: 'managed' },
  };
}

/**
 * `ward demo traffic` (issue 6, R-AUDIT-2): N PHI reads (`patient.view`) as the demo members, through
 * the same enforcement path the HTTP API uses (in-process), and about one attempt in ten that policy
 * or row-level security refuses (a patient outside the member's scopes, or in another tenant). Every
 * attempt leaves its audit event; a sealing pass runs at the end.
 */
async function traffic(deps: Deps, reads: number, concurrency: number, progress: Progress): Promise<{ allowed: number; refused: number; ms: number }> {
  const members = (await deps.db.systemDb.query<DemoMember>(MEMBERS)).rows.filter((m) => m.scopes.length > 0 && m.roles.length > 0);
  const patients = (await deps.db.systemDb.query<PatientRef>(PATIENTS)).rows;
  if (members.length === 0 || patients.length === 0) throw new WardError('USAGE', 'No demo data: run `ward demo seed` first.');
  const sessions = new Map(members.map((m) => [m.id, randomUUID()]));
  let allowed = 0;
  let refused = 0;
  let next = 0;

  async function attempt(i: number): Promise<void> {
    const member = members[i % members.length]!;
    const isRefusal = i % 10 === 9;
    const candidates = patients.filter((p) =>
      isRefusal ? p.tenant_id !== member.tenant_id || !member.scopes.includes(p.phi_scope) : p.tenant_id === member.tenant_id && member.scopes.includes(p.phi_scope),
    );
    const patient = candidates[(i * 7919) % Math.max(1, candidates.length)] ?? patients[i % patients.length]!;
    try {
      await deps.guard.run({
        authenticated: authenticated(member, sessions.get(member.id)!, deps.clock.now()),
        action: 'patient.view',
        purpose: 'TREAT',
        sourceIp: '127.0.0.1',
        target: { type: 'Patient', id: patient.id },
        load: async (tx: Tx) => {
          const row = (await tx.query<PatientRef>(LOAD_PATIENT, [patient.id])).rows[0];
          return row ? { type: 'Patient', id: row.id, tenant: row.tenant_id, phiScope: row.phi_scope } : null;
        },
        handle: async (tx: Tx, { resource }) => {
          // The read itself: the patient's row (ciphertext; nothing is decrypted for demo traffic).
          await tx.query('SELECT * FROM patients WHERE id = $1', [resource.id]);
          return { id: resource.id };
        },
        auditMetadata: () => ({ view: 'demo-traffic' }),
      });
      allowed += 1;
    } catch (e) {
      if (!(e instanceof WardError) || e.code === 'INTERNAL') throw e;
      refused += 1;
    }
  }

  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, reads) }, async () => {
      while (next < reads) {
        await attempt(next++);
        progress.update(`demo traffic: ${allowed + refused}/${reads} attempts (${allowed} allowed, ${refused} refused)`);
        // PGlite answers in microtasks: yield so that the server's timers (the sealer) and I/O still run.
        await new Promise((r) => setImmediate(r));
      }
    }),
  );
  return { allowed, refused, ms: performance.now() - started };
}

export default defineCommand({
  path: ['demo', 'traffic'],
  summary: 'perform PHI reads (and about one refused attempt in ten) as demo members, through the enforcement path',
  options: {
    reads: { value: '<count>', description: 'how many attempts (about one in ten is refused by design)', required: true },
    concurrency: { value: '<count>', description: 'attempts in flight at once (default 4, at most 64)' },
  },
  help: 'Progress goes to standard error while it is a terminal; the summary goes to standard output.',
  usesDatabase: true,
  async run(options, io, ctx) {
    const reads = wholeNumber('reads', options.reads, { min: 1, max: 9_999_999, unit: 'attempts' })!;
    const concurrency = wholeNumber('concurrency', options.concurrency, { min: 1, max: 64, unit: 'attempts in flight' }) ?? 4;
    return ctx.withDeps(async (deps) => {
      const progress = progressLine(io);
      const { allowed, refused, ms } = await traffic(deps, reads, concurrency, progress);
      progress.done();
      io.stdout.write(`${reads} attempts in ${Math.round(ms)} ms (${Math.round((reads * 1000) / ms)}/s): ${allowed} allowed, ${refused} refused; each has its audit event\n`);
      const pass = await deps.auditSealer.sealOnce();
      if (pass.isLeader) io.stdout.write(`sealed ${pass.sealed} events\n`);
      return 0;
    });
  },
});
