import type { TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher, FieldRef } from '../crypto/index.ts';
import { draftBodyRef } from '../phi/index.ts';
import type { AiTemplate } from './templates.ts';

/**
 * AI tasks and their drafts (R-AI-1, R-DATA-1): one row of ai_drafts per task. The body (the model's
 * pseudonymised answer, or the manual-workflow guidance) and the pseudonym map are encrypted under
 * the tenant's data key; the facts are PHI-free.
 */
export const draftMapRef = (id: string): FieldRef => ({ table: 'ai_drafts', rowId: id, column: 'pseudonym_map_enc' });

const KIND: Record<AiTemplate['purpose'], string> = {
  'call-summary': 'summary', 'suggested-reply': 'message', 'case-note-draft': 'case_note', 'routing-category': 'category',
};

export type DraftFacts = Record<string, string | number | boolean | null | string[] | Record<string, number>>;

export interface NewDraft {
  id: string;
  tenantId: TenantId;
  callId: string;
  phiScope: string;
  template: AiTemplate;
  vendor: string;
  model: string;
  createdBy: string;
  /** The guard intent the draft answers; null for a draft written by a voice agent over MCP (one guarded call). */
  intentId: string | null;
  state: 'ready' | 'fallback';
  body: string;
  map: ReadonlyMap<string, string>;
  facts: DraftFacts;
  /** What the output scan found (R-AI-4); gates the draft's use as a case note. */
  restrictedCategories?: readonly string[];
}

const INSERT = `INSERT INTO ai_drafts (id, tenant_id, phi_scope, call_id, kind, template_id, template_version, model, vendor, body_enc,
  created_by, intent_id, state, facts, pseudonym_map_enc, restricted_categories)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING created_at`;

export async function insertDraft(tx: Tx, cipher: FieldCipher, d: NewDraft): Promise<{ createdAt: Date }> {
  const body = await cipher.encryptField(d.tenantId, draftBodyRef(d.id), d.body);
  const map = d.map.size ? await cipher.encryptField(d.tenantId, draftMapRef(d.id), JSON.stringify(Object.fromEntries(d.map))) : null;
  const { rows } = await tx.query<{ created_at: Date }>(INSERT, [
    d.id, d.tenantId, d.phiScope, d.callId, KIND[d.template.purpose], d.template.id, d.template.version, d.model, d.vendor, body,
    d.createdBy, d.intentId, d.state, JSON.stringify(d.facts), map, [...(d.restrictedCategories ?? [])],
  ]);
  return { createdAt: rows[0]!.created_at };
}

export interface Draft {
  id: string;
  callId: string;
  phiScope: string;
  templateId: string;
  templateVersion: number;
  vendor: string;
  model: string;
  state: 'ready' | 'fallback';
  createdAt: Date;
  facts: DraftFacts;
  /** R-AI-5: `pending` until a person reviews it (review.ts). */
  status: DraftStatus;
  kind: string;
  restrictedCategories: string[];
  body: string;
  /** Only when asked for (re-identification, under `ai.reidentify`). */
  map?: Record<string, string>;
}

export type DraftStatus = 'pending' | 'confirmed' | 'edited' | 'rejected';

const SELECT = `SELECT id, call_id, phi_scope, template_id, template_version, vendor, model, state, created_at, facts, body_enc, pseudonym_map_enc,
  status, kind, restricted_categories
  FROM ai_drafts WHERE tenant_id = $1 AND id = $2`;

export async function getDraft(tx: Tx, cipher: FieldCipher, tenantId: TenantId, id: string, opts: { withMap?: boolean } = {}): Promise<Draft | null> {
  const { rows } = await tx.query<{
    id: string; call_id: string; phi_scope: string; template_id: string; template_version: number; vendor: string; model: string;
    state: 'ready' | 'fallback'; created_at: Date; facts: DraftFacts; body_enc: Uint8Array; pseudonym_map_enc: Uint8Array | null;
    status: DraftStatus; kind: string; restricted_categories: string[];
  }>(SELECT, [tenantId, id]);
  const r = rows[0];
  if (!r) return null;
  const draft: Draft = {
    id: r.id, callId: r.call_id, phiScope: r.phi_scope, templateId: r.template_id, templateVersion: r.template_version, vendor: r.vendor,
    model: r.model, state: r.state, createdAt: r.created_at, facts: r.facts, status: r.status, kind: r.kind, restrictedCategories: r.restricted_categories,
    body: await cipher.decryptPlaintextString(tenantId, draftBodyRef(r.id), Buffer.from(r.body_enc)),
  };
  if (opts.withMap) {
    draft.map = r.pseudonym_map_enc
      ? (JSON.parse(await cipher.decryptPlaintextString(tenantId, draftMapRef(r.id), Buffer.from(r.pseudonym_map_enc))) as Record<string, string>)
      : {};
  }
  return draft;
}
