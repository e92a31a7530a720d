/**
 * The retention job (R-DATA-5): applies each tenant's policies — delete, or de-identify in place
 * with the redaction engine — to recordings, transcripts, AI drafts and case notes older than the
 * policy's days, skipping everything under an unreleased legal hold (on the patient or the call).
 * It holds the database lease `retention`, so several servers never run it at once, and records what
 * it did in the audit trail, in the same transaction as the change (counts only, never PHI).
 * Runs through `systemDb` (a job, not a request); started by the server on an interval, and once by
 * `ward retention run`.
 */
import { randomUUID } from 'node:crypto';
import type { TenantId } from '@ward/contracts';
import type { SystemDb, SystemTx } from '../../db/types.ts';
import type { AuditLog } from '../audit/index.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { draftBodyRef, caseNoteBodyRef, utteranceRef } from '../phi/index.ts';
import { redactOrMaskAll } from '../redaction/index.ts';
import { releaseLease, startInterval, takeLease } from './lease.ts';
import type { RetentionAction, RetentionArtifact } from './policies.ts';

export const RETENTION_LEASE = 'retention';
const BATCH = 200;


const DELETE_SQL: Record<RetentionArtifact, string> = {
  recordings: `DELETE FROM recordings r USING calls c WHERE r.tenant_id = $1 AND c.tenant_id = r.tenant_id AND c.id = r.call_id
    AND c.started_at < $2 AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = c.tenant_id AND h.released_at IS NULL
    AND (h.call_id = c.id OR (c.patient_id IS NOT NULL AND h.patient_id = c.patient_id))) RETURNING r.id`,
  transcripts: `DELETE FROM transcripts t USING calls c WHERE t.tenant_id = $1 AND c.tenant_id = t.tenant_id AND c.id = t.call_id
    AND c.started_at < $2 AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = c.tenant_id AND h.released_at IS NULL
    AND (h.call_id = c.id OR (c.patient_id IS NOT NULL AND h.patient_id = c.patient_id))) RETURNING t.id`,
  ai_drafts: `DELETE FROM ai_drafts d USING calls c WHERE d.tenant_id = $1 AND c.tenant_id = d.tenant_id AND c.id = d.call_id
    AND d.created_at < $2 AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = c.tenant_id AND h.released_at IS NULL
    AND (h.call_id = c.id OR (c.patient_id IS NOT NULL AND h.patient_id = c.patient_id))) RETURNING d.id`,
  case_notes: `DELETE FROM case_notes n WHERE n.tenant_id = $1 AND n.created_at < $2 AND NOT EXISTS (SELECT 1 FROM legal_holds h
    WHERE h.tenant_id = n.tenant_id AND h.released_at IS NULL AND (h.patient_id = n.patient_id OR (n.call_id IS NOT NULL AND h.call_id = n.call_id)))
    RETURNING n.id`,
};

// De-identification candidates, locked, a batch at a time: (id, ciphertext) pairs to redact.
const DEID_TRANSCRIPTS = `SELECT t.id FROM transcripts t JOIN calls c ON c.tenant_id = t.tenant_id AND c.id = t.call_id
  WHERE t.tenant_id = $1 AND t.deidentified_at IS NULL AND c.started_at < $2 AND NOT EXISTS (SELECT 1 FROM legal_holds h
  WHERE h.tenant_id = c.tenant_id AND h.released_at IS NULL AND (h.call_id = c.id OR (c.patient_id IS NOT NULL AND h.patient_id = c.patient_id)))
  ORDER BY t.id LIMIT $3 FOR UPDATE OF t`;
const UTTERANCES_OF = 'SELECT id, text_enc AS enc FROM utterances WHERE tenant_id = $1 AND transcript_id = ANY ($2::uuid[]) FOR UPDATE';
const DEID_DRAFTS = `SELECT d.id, d.body_enc AS enc FROM ai_drafts d JOIN calls c ON c.tenant_id = d.tenant_id AND c.id = d.call_id
  WHERE d.tenant_id = $1 AND d.deidentified_at IS NULL AND d.created_at < $2 AND NOT EXISTS (SELECT 1 FROM legal_holds h
  WHERE h.tenant_id = c.tenant_id AND h.released_at IS NULL AND (h.call_id = c.id OR (c.patient_id IS NOT NULL AND h.patient_id = c.patient_id)))
  ORDER BY d.id LIMIT $3 FOR UPDATE OF d`;
const DEID_NOTES = `SELECT n.id, n.body_enc AS enc FROM case_notes n WHERE n.tenant_id = $1 AND n.deidentified_at IS NULL AND n.created_at < $2
  AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE h.tenant_id = n.tenant_id AND h.released_at IS NULL
  AND (h.patient_id = n.patient_id OR (n.call_id IS NOT NULL AND h.call_id = n.call_id)))
  ORDER BY n.id LIMIT $3 FOR UPDATE`;
const WRITE_UTTERANCES = `UPDATE utterances u SET text_enc = decode(r.enc, 'base64') FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, enc text)
  WHERE u.tenant_id = $1 AND u.id = r.id`;
const MARK_TRANSCRIPTS = 'UPDATE transcripts SET deidentified_at = now() WHERE tenant_id = $1 AND id = ANY ($2::uuid[])';
// De-identifying a draft also drops its pseudonym map (R-DATA-5): nothing can re-identify it afterwards.
const WRITE_DRAFTS = `UPDATE ai_drafts d SET body_enc = decode(r.enc, 'base64'), pseudonym_map_enc = NULL, deidentified_at = now()
  FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, enc text) WHERE d.tenant_id = $1 AND d.id = r.id`;
const WRITE_NOTES = `UPDATE case_notes n SET body_enc = decode(r.enc, 'base64'), deidentified_at = now()
  FROM jsonb_to_recordset($2::jsonb) AS r(id uuid, enc text) WHERE n.tenant_id = $1 AND n.id = r.id`;

// R-DATA-5, minimum necessary: an export's document is kept for its download window only (5 minutes,
// docs/disclosures.md). One never downloaded loses it here, so that no copy of a record (a whole
// recording, a transcript) outlives the window or the record's own retention. The row and its
// disclosure stay (45 CFR 164.528: the accounting lists it, never downloaded).
const LAPSED_EXPORTS = `UPDATE exports SET content_enc = NULL WHERE content_enc IS NOT NULL AND downloaded_at IS NULL AND expires_at < $1
  RETURNING tenant_id`;

export interface RetentionDeps {
  systemDb: SystemDb;
  cipher: FieldCipher;
  audit: AuditLog;
  clock: { now(): Date };
}

export interface RetentionOutcome {
  tenantId: string;
  artifact: RetentionArtifact;
  action: RetentionAction;
  count: number;
}

export interface RetentionRun {
  ran: boolean;
  outcomes: RetentionOutcome[];
}

/** Re-encrypts the redacted text of each (id, ciphertext) pair under the same cell. */
async function deidentifyRows(cipher: FieldCipher, tenantId: TenantId, rows: { id: string; enc: Uint8Array }[], ref: (id: string) => { table: string; rowId: string; column: string }) {
  return Promise.all(
    rows.map(async (r) => {
      const plain = await cipher.decryptPlaintextString(tenantId, ref(r.id), Buffer.from(r.enc));
      // Fails closed (R-AI-7): an error or a blown budget stores fully masked text, never the original.
      const { text } = redactOrMaskAll(plain);
      return { id: r.id, enc: (await cipher.encryptField(tenantId, ref(r.id), text)).toString('base64') };
    }),
  );
}

async function deidentifyBatch(tx: SystemTx, cipher: FieldCipher, tenantId: TenantId, artifact: RetentionArtifact, cutoff: Date): Promise<number> {
  if (artifact === 'transcripts') {
    const ids = (await tx.query<{ id: string }>(DEID_TRANSCRIPTS, [tenantId, cutoff, BATCH])).rows.map((r) => r.id);
    if (ids.length === 0) return 0;
    const utterances = (await tx.query<{ id: string; enc: Uint8Array }>(UTTERANCES_OF, [tenantId, ids])).rows;
    const sealed = await deidentifyRows(cipher, tenantId, utterances, utteranceRef);
    if (sealed.length > 0) await tx.query(WRITE_UTTERANCES, [tenantId, JSON.stringify(sealed)]);
    await tx.query(MARK_TRANSCRIPTS, [tenantId, ids]);
    return ids.length;
  }
  const [select, write, ref] = artifact === 'ai_drafts' ? [DEID_DRAFTS, WRITE_DRAFTS, draftBodyRef] : [DEID_NOTES, WRITE_NOTES, caseNoteBodyRef];
  const rows = (await tx.query<{ id: string; enc: Uint8Array }>(select, [tenantId, cutoff, BATCH])).rows;
  if (rows.length === 0) return 0;
  await tx.query(write, [tenantId, JSON.stringify(await deidentifyRows(cipher, tenantId, rows, ref))]);
  return rows.length;
}

async function applyPolicy(deps: RetentionDeps, tenantId: TenantId, artifact: RetentionArtifact, action: RetentionAction, afterDays: number): Promise<number> {
  const cutoff = new Date(deps.clock.now().getTime() - afterDays * 86_400_000);
  let total = 0;
  for (;;) {
    const count = await deps.systemDb.transaction(async (tx) => {
      const n = action === 'delete' ? (await tx.query(DELETE_SQL[artifact], [tenantId, cutoff])).rowCount : await deidentifyBatch(tx, deps.cipher, tenantId, artifact, cutoff);
      if (n > 0) {
        // R-AUDIT-1: what retention did, in the transaction that did it; counts only.
        await deps.audit.append(tx, {
          tenantId, actorKind: 'system', actorId: 'system:retention', action: `retention.${action}`, targetType: artifact,
          outcome: 'success', metadata: { count: n, afterDays, cutoff: cutoff.toISOString() },
        });
      }
      return n;
    });
    total += count;
    if (action === 'delete' || count < BATCH) return total;
  }
}

/** Clears the documents of exports whose window passed undownloaded; audited per tenant (counts only). */
async function clearLapsedExports(deps: RetentionDeps): Promise<void> {
  await deps.systemDb.transaction(async (tx) => {
    const counts = new Map<string, number>();
    for (const r of (await tx.query<{ tenant_id: string }>(LAPSED_EXPORTS, [deps.clock.now()])).rows) counts.set(r.tenant_id, (counts.get(r.tenant_id) ?? 0) + 1);
    for (const [tenantId, count] of counts) {
      await deps.audit.append(tx, {
        tenantId, actorKind: 'system', actorId: 'system:retention', action: 'retention.delete', targetType: 'exports', outcome: 'success', metadata: { count, lapsed: true },
      });
    }
  });
}

/**
 * One run over every tenant's policies, under the lease, then the documents of lapsed exports (whatever
 * the policies); `ran: false` when another holder has it.
 */
export async function runRetention(
  deps: RetentionDeps,
  opts: { holder?: string; leaseSeconds?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<RetentionRun> {
  const holder = opts.holder ?? `retention:${process.pid}:${randomUUID()}`;
  const leaseSeconds = opts.leaseSeconds ?? 900;
  const acquired = await deps.systemDb.transaction((tx) => takeLease(tx, RETENTION_LEASE, holder, leaseSeconds));
  if (!acquired) return { ran: false, outcomes: [] };
  try {
    const { rows } = await deps.systemDb.query<{ tenant_id: string; artifact: RetentionArtifact; action: RetentionAction; after_days: number }>(
      'SELECT tenant_id, artifact, action, after_days FROM retention_policies ORDER BY tenant_id, artifact',
    );
    const outcomes: RetentionOutcome[] = [];
    for (const p of rows) {
      const count = await applyPolicy(deps, p.tenant_id as TenantId, p.artifact, p.action, p.after_days);
      outcomes.push({ tenantId: p.tenant_id, artifact: p.artifact, action: p.action, count });
      opts.onProgress?.(outcomes.length, rows.length);
    }
    await clearLapsedExports(deps);
    return { ran: true, outcomes };
  } finally {
    await deps.systemDb.transaction((tx) => releaseLease(tx, RETENTION_LEASE, holder)).catch(() => {});
  }
}

/** The server's schedule: an unref'd interval (it never keeps the process alive); `stop()` on shutdown. */
export function startRetentionJob(deps: RetentionDeps & { logger: { error(obj: object, msg: string): void } }, opts: { intervalMs?: number; safeError: (e: unknown) => object }): { stop(): Promise<void> } {
  return startInterval(() => runRetention(deps), { intervalMs: opts.intervalMs ?? 3_600_000, what: 'retention', logger: deps.logger, safeError: opts.safeError });
}
