import { createHash } from 'node:crypto';
import { UNSAFE_TEXT_CHARS, WardError, type PhiScope, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher, FieldRef } from '../crypto/index.ts';

/**
 * 42 CFR 2.32(a)(1): the notice that accompanies every disclosure of Part 2 records made with the
 * patient's consent. Carried verbatim in every export of SUD-Part2 data.
 */
export const PART2_REDISCLOSURE_NOTICE =
  'This information has been disclosed to you from records protected by Federal confidentiality rules (42 CFR part 2). ' +
  'The Federal rules prohibit you from making any further disclosure of information in this record that identifies a patient as having or having had a substance use disorder either directly, by reference to publicly available information, or through verification of such identification by another person unless further disclosure is expressly permitted by the written consent of the individual whose information is being disclosed or as otherwise permitted by 42 CFR part 2. ' +
  'A general authorization for the release of medical or other information is NOT sufficient for this purpose (see § 2.31). ' +
  'The Federal rules restrict any use of the information to investigate or prosecute with regard to a crime any patient with a substance use disorder, except as provided at §§ 2.12(c)(5) and 2.65.';

/**
 * The notice as an HTTP header value (`Ward-Redisclosure-Notice` on the download): header values are
 * ASCII, so the section signs are spelled out; the document itself carries the notice verbatim.
 */
export const PART2_REDISCLOSURE_NOTICE_HEADER = PART2_REDISCLOSURE_NOTICE.replaceAll('§§', 'sections').replaceAll('§', 'section');

/** 45 CFR 164.528(a): the accounting covers the six years before the request. */
export const ACCOUNTING_YEARS = 6;
/** An export is downloadable once, within this window (the step-up that allowed it lasts 300 s too). */
export const EXPORT_DOWNLOAD_SECONDS = 300;

export const exportContentRef = (id: string): FieldRef => ({ table: 'exports', rowId: id, column: 'content_enc' });
export const recipientRef = (table: 'disclosures' | 'part2_consents', id: string): FieldRef => ({ table, rowId: id, column: 'recipient_enc' });

/**
 * A recipient as it may be written (an export's, a consent's): one line, no C0 or C1 control (ESC
 * opens a terminal's escape sequences, and `ward disclosures` prints recipients) and no bidi
 * embedding, override or isolate (U+202E reorders how the patient's accounting reads: "Trojan
 * Source"). The rule SCIM names follow (`UNSAFE_TEXT_CHARS`); NUL is refused for every route.
 */
export const RECIPIENT_PATTERN = `^[^${UNSAFE_TEXT_CHARS}]+$`;
export const isRecipientText = (s: string): boolean => new RegExp(RECIPIENT_PATTERN, 'u').test(s);

/** A recipient as compared with a consent's: case, spacing and punctuation do not matter. */
export function normaliseRecipient(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export interface ConsentMatch {
  id: string;
}

/**
 * R-AUTHZ-4, 42 CFR 2.31: the patient's consent that covers disclosing to `recipient` for `purpose`
 * now: same purpose, same recipient (normalised), not expired, not revoked. Null when there is none;
 * `why` then says which (for the audit trail: `part2-consent-missing|expired|revoked`).
 */
export async function findPart2Consent(
  tx: Tx, cipher: FieldCipher, tenantId: TenantId, patientId: string, recipient: string, purpose: string, now: Date,
): Promise<{ consent: ConsentMatch | null; why: 'part2-consent-missing' | 'part2-consent-expired' | 'part2-consent-revoked' }> {
  const { rows } = await tx.query<{ id: string; recipient_enc: Buffer; purpose: string; expires_at: Date; revoked_at: Date | null }>(
    'SELECT id, recipient_enc, purpose, expires_at, revoked_at FROM part2_consents WHERE tenant_id = $1 AND patient_id = $2 ORDER BY recorded_at DESC',
    [tenantId, patientId],
  );
  const wanted = normaliseRecipient(recipient);
  let why: 'part2-consent-missing' | 'part2-consent-expired' | 'part2-consent-revoked' = 'part2-consent-missing';
  for (const r of rows) {
    if (r.purpose !== purpose) continue;
    const named = await cipher.decryptPlaintextString(tenantId, recipientRef('part2_consents', r.id), Buffer.from(r.recipient_enc));
    if (normaliseRecipient(named) !== wanted) continue;
    if (r.revoked_at) { why = 'part2-consent-revoked'; continue; }
    if (new Date(r.expires_at).getTime() <= now.getTime()) { if (why === 'part2-consent-missing') why = 'part2-consent-expired'; continue; }
    return { consent: { id: r.id }, why };
  }
  return { consent: null, why };
}

export interface NewExport {
  id: string;
  tenantId: TenantId;
  phiScope: PhiScope;
  patientId: string;
  targetType: 'Patient' | 'Transcript' | 'Recording';
  targetId: string;
  requestedBy: string;
  sessionId: string;
  contentEnc: Buffer;
  contentSha256: Buffer;
  part2: boolean;
  createdAt: Date;
}

export async function insertExport(tx: Tx, e: NewExport): Promise<{ expiresAt: Date }> {
  const expiresAt = new Date(e.createdAt.getTime() + EXPORT_DOWNLOAD_SECONDS * 1000);
  await tx.query(
    `INSERT INTO exports (id, tenant_id, phi_scope, patient_id, target_type, target_id, requested_by, session_id, content_enc, content_sha256, part2, created_at, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [e.id, e.tenantId, e.phiScope, e.patientId, e.targetType, e.targetId, e.requestedBy, e.sessionId, e.contentEnc, e.contentSha256, e.part2, e.createdAt, expiresAt],
  );
  return { expiresAt };
}

export interface NewDisclosure {
  id: string;
  tenantId: TenantId;
  phiScope: PhiScope;
  patientId: string;
  exportId: string | null;
  /** The AI task whose input went to a model vendor (0083); never with an export. */
  aiTaskId?: string | null;
  disclosedAt: Date;
  disclosedBy: string;
  recipientEnc: Buffer;
  purpose: string;
  description: string;
  part2ConsentId: string | null;
}

/** 45 CFR 164.528(b)(2): date, recipient, a brief description of what was disclosed, and its purpose. */
export async function insertDisclosure(tx: Tx, d: NewDisclosure): Promise<void> {
  await tx.query(
    `INSERT INTO disclosures (id, tenant_id, phi_scope, patient_id, export_id, ai_task_id, disclosed_at, disclosed_by, recipient_enc, purpose, description, part2_consent_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [d.id, d.tenantId, d.phiScope, d.patientId, d.exportId, d.aiTaskId ?? null, d.disclosedAt, d.disclosedBy, d.recipientEnc, d.purpose, d.description, d.part2ConsentId],
  );
}

/** The export's resource for the policy decision (its target, with the PHI scope); null when not visible. */
export async function loadExportResource(tx: Tx, tenantId: TenantId, id: string): Promise<{ targetType: string; targetId: string; phiScope: PhiScope } | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const { rows } = await tx.query<{ target_type: string; target_id: string; phi_scope: PhiScope }>(
    'SELECT target_type, target_id, phi_scope FROM exports WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  return rows[0] ? { targetType: rows[0].target_type, targetId: rows[0].target_id, phiScope: rows[0].phi_scope } : null;
}

/**
 * The one download: only the session that asked for the export, only within its window, only once
 * (the ciphertext is cleared in the same transaction). Anything else is EXPORT_UNAVAILABLE, or
 * NOT_FOUND for another session (it learns nothing of someone else's export). For Part 2 data the
 * consent the disclosure relied on must still hold when the data leaves (42 CFR 2.31(a)(6): a
 * revocation, or the consent's expiry, between the export and its download stops the download).
 */
export async function claimExport(
  tx: Tx, cipher: FieldCipher, tenantId: TenantId, id: string, sessionId: string, now: Date,
): Promise<{ content: Buffer; sha256: string; part2: boolean }> {
  const { rows } = await tx.query<{ session_id: string; content_enc: Buffer | null; content_sha256: Buffer; expires_at: Date; downloaded_at: Date | null; part2: boolean }>(
    'SELECT session_id, content_enc, content_sha256, expires_at, downloaded_at, part2 FROM exports WHERE tenant_id = $1 AND id = $2 FOR UPDATE',
    [tenantId, id],
  );
  const r = rows[0];
  if (!r || r.session_id !== sessionId) throw new WardError('NOT_FOUND');
  if (r.downloaded_at) throw new WardError('EXPORT_UNAVAILABLE', 'already downloaded');
  // A lapsed export's document is cleared by the retention job (retention-job.ts).
  if (!r.content_enc || new Date(r.expires_at).getTime() <= now.getTime()) throw new WardError('EXPORT_UNAVAILABLE', 'download window passed');
  if (r.part2) {
    const { rows: c } = await tx.query<{ expires_at: Date; revoked_at: Date | null }>(
      `SELECT c.expires_at, c.revoked_at FROM disclosures d JOIN part2_consents c ON c.tenant_id = d.tenant_id AND c.id = d.part2_consent_id
        WHERE d.tenant_id = $1 AND d.export_id = $2`,
      [tenantId, id],
    );
    // Fail closed: no consent row visible, a revoked one or an expired one: the data does not leave.
    if (!c[0]) throw new WardError('PART2_CONSENT_REQUIRED', 'part2-consent-missing');
    if (c[0].revoked_at) throw new WardError('PART2_CONSENT_REQUIRED', 'part2-consent-revoked');
    if (new Date(c[0].expires_at).getTime() <= now.getTime()) throw new WardError('PART2_CONSENT_REQUIRED', 'part2-consent-expired');
  }
  const content = await cipher.decryptPlaintext(tenantId, exportContentRef(id), Buffer.from(r.content_enc));
  const sha256 = createHash('sha256').update(content).digest();
  if (!sha256.equals(Buffer.from(r.content_sha256))) throw new WardError('DECRYPT_FAILED', 'export content hash mismatch');
  await tx.query('UPDATE exports SET content_enc = NULL, downloaded_at = $3 WHERE tenant_id = $1 AND id = $2', [tenantId, id, now]);
  return { content, sha256: sha256.toString('hex'), part2: r.part2 };
}

export interface Disclosure {
  id: string;
  disclosedAt: Date;
  recipient: string;
  purpose: string;
  description: string;
  disclosedBy: string;
  exportId: string | null;
  /** The AI task that sent the data to a model vendor (recorded before it was sent), or null. */
  aiTaskId: string | null;
  part2ConsentId: string | null;
  /** When the export was downloaded (the data left Ward); null when it never was (refused, or its window passed). */
  downloadedAt: Date | null;
}

/** The accounting (45 CFR 164.528): the patient's disclosures of the last six years, oldest first. */
export async function listDisclosures(tx: Tx, cipher: FieldCipher, tenantId: TenantId, patientId: string, now: Date): Promise<{ since: Date; disclosures: Disclosure[] }> {
  const since = new Date(now);
  since.setUTCFullYear(since.getUTCFullYear() - ACCOUNTING_YEARS);
  const { rows } = await tx.query<{ id: string; disclosed_at: Date; recipient_enc: Buffer; purpose: string; description: string; disclosed_by: string; export_id: string | null; ai_task_id: string | null; part2_consent_id: string | null; downloaded_at: Date | null }>(
    `SELECT d.id, d.disclosed_at, d.recipient_enc, d.purpose, d.description, d.disclosed_by, d.export_id, d.ai_task_id, d.part2_consent_id, e.downloaded_at
       FROM disclosures d LEFT JOIN exports e ON e.tenant_id = d.tenant_id AND e.id = d.export_id
      WHERE d.tenant_id = $1 AND d.patient_id = $2 AND d.disclosed_at >= $3 ORDER BY d.disclosed_at, d.id`,
    [tenantId, patientId, since],
  );
  const disclosures = await Promise.all(rows.map(async (r) => ({
    id: r.id, disclosedAt: new Date(r.disclosed_at), purpose: r.purpose, description: r.description, disclosedBy: r.disclosed_by,
    exportId: r.export_id, aiTaskId: r.ai_task_id, part2ConsentId: r.part2_consent_id, downloadedAt: r.downloaded_at ? new Date(r.downloaded_at) : null,
    recipient: await cipher.decryptPlaintextString(tenantId, recipientRef('disclosures', r.id), Buffer.from(r.recipient_enc)),
  })));
  return { since, disclosures };
}

export interface NewPart2Consent {
  id: string;
  tenantId: TenantId;
  patientId: string;
  recipientEnc: Buffer;
  purpose: string;
  expiresAt: Date;
  recordedAt: Date;
  recordedBy: string;
}

/** 42 CFR 2.31: a patient's written consent, as recorded by the privacy office (the operator's command). */
export async function insertPart2Consent(tx: Tx, c: NewPart2Consent): Promise<void> {
  const { rows } = await tx.query<{ phi_scope: string }>('SELECT phi_scope FROM patients WHERE tenant_id = $1 AND id = $2', [c.tenantId, c.patientId]);
  if (!rows[0]) throw new WardError('NOT_FOUND', 'no such patient in this tenant');
  if (rows[0].phi_scope !== 'SUD-Part2') throw new WardError('BAD_REQUEST', 'a Part 2 consent is for a patient in the SUD-Part2 scope');
  await tx.query(
    `INSERT INTO part2_consents (id, tenant_id, phi_scope, patient_id, recipient_enc, purpose, expires_at, recorded_at, recorded_by)
     VALUES ($1, $2, 'SUD-Part2', $3, $4, $5, $6, $7, $8)`,
    [c.id, c.tenantId, c.patientId, c.recipientEnc, c.purpose, c.expiresAt, c.recordedAt, c.recordedBy],
  );
}

/** 42 CFR 2.31(a)(6): a consent is revocable; a revoked one covers nothing from then on. */
export async function revokePart2Consent(tx: Tx, tenantId: TenantId, id: string, by: string, now: Date): Promise<void> {
  const { rowCount } = await tx.query('UPDATE part2_consents SET revoked_at = $3, revoked_by = $4 WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL', [tenantId, id, now, by]);
  if (rowCount !== 1) throw new WardError('NOT_FOUND', 'no such unrevoked consent');
}

export interface Part2Consent {
  id: string;
  recipient: string;
  purpose: string;
  expiresAt: Date;
  recordedAt: Date;
  recordedBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
  /** Now: `active`, `expired` or `revoked` (a revoked consent reads revoked even once past its expiry). */
  status: 'active' | 'expired' | 'revoked';
}

/** A patient's Part 2 consents, newest first, recipients decrypted (the privacy office's view). */
export async function listPart2Consents(tx: Tx, cipher: FieldCipher, tenantId: TenantId, patientId: string, now: Date): Promise<Part2Consent[]> {
  const { rows } = await tx.query<{ id: string; recipient_enc: Buffer; purpose: string; expires_at: Date; recorded_at: Date; recorded_by: string; revoked_at: Date | null; revoked_by: string | null }>(
    `SELECT id, recipient_enc, purpose, expires_at, recorded_at, recorded_by, revoked_at, revoked_by FROM part2_consents
      WHERE tenant_id = $1 AND patient_id = $2 ORDER BY recorded_at DESC, id`,
    [tenantId, patientId],
  );
  return Promise.all(rows.map(async (r) => ({
    id: r.id, purpose: r.purpose, expiresAt: new Date(r.expires_at), recordedAt: new Date(r.recorded_at), recordedBy: r.recorded_by,
    revokedAt: r.revoked_at ? new Date(r.revoked_at) : null, revokedBy: r.revoked_by,
    status: r.revoked_at ? 'revoked' as const : new Date(r.expires_at).getTime() <= now.getTime() ? 'expired' as const : 'active' as const,
    recipient: await cipher.decryptPlaintextString(tenantId, recipientRef('part2_consents', r.id), Buffer.from(r.recipient_enc)),
  })));
}

/** The patient a consent belongs to, for the decision on revoking it; null when not visible (RLS: tenant and scope). */
export async function loadConsentPatient(tx: Tx, tenantId: TenantId, consentId: string): Promise<{ patientId: string; phiScope: PhiScope } | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(consentId)) return null;
  const { rows } = await tx.query<{ patient_id: string; phi_scope: PhiScope }>('SELECT patient_id, phi_scope FROM part2_consents WHERE tenant_id = $1 AND id = $2', [tenantId, consentId]);
  return rows[0] ? { patientId: rows[0].patient_id, phiScope: rows[0].phi_scope } : null;
}
