import { randomUUID } from 'node:crypto';
import { WardError, type PhiScope, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { getPatient, PATIENT_PHI_FIELDS } from '../phi/index.ts';
import { insertDraft } from './drafts.ts';
import { hasUnsafeText } from './output-scan.ts';
import { warmUp } from './gateway.ts';
import { TaskPseudonyms, type PatientFields } from './pseudonyms.ts';
import { classifyRestricted, type RestrictedCategory } from './restricted.ts';
import type { AiTemplate } from './templates.ts';

/**
 * A case-note draft written by an AI voice agent over MCP (`draft_case_note`, R-AI-5, R-AI-6): it goes
 * through the gateway's output controls like a model's answer and lands as a `pending` draft that a
 * person must review (POST /v1/ai/drafts/:id/review); it never becomes a case note by itself.
 *   - pseudonymised like a task's input: the call's patient's own fields and every identifier the
 *     redaction engine finds become surrogates, the map stored encrypted (re-identified only under
 *     `ai.reidentify`); redaction failing closed refuses the draft (nothing is stored);
 *   - classified for restricted categories (R-AI-4), which then gate its use as a case note.
 * The agent gets back the draft's id, its status and the categories found: no PHI.
 */
export const AGENT_NOTE_TEMPLATE: AiTemplate = {
  id: 'voice-agent-note',
  version: 1,
  purpose: 'case-note-draft',
  target: 'call',
  inputs: [],
  output: { kind: 'text', maxChars: 4000 },
  restrictedCategories: [],
  deidentifiedFallback: false,
  instructions: 'Written by an AI voice agent through the MCP tool draft_case_note; not a model prompt.',
  manualWorkflow: ['Review the draft in Ward; confirm, edit or reject it.'],
};
export const AGENT_NOTE_MAX_CHARS = AGENT_NOTE_TEMPLATE.output.kind === 'text' ? AGENT_NOTE_TEMPLATE.output.maxChars : 4000;

let warm = false;

export interface AgentDraftInput {
  tenantId: TenantId;
  callId: string;
  phiScope: PhiScope;
  patientId: string;
  agentId: string;
  note: string;
}

export async function draftFromAgent(
  tx: Tx,
  cipher: FieldCipher,
  d: AgentDraftInput,
): Promise<{ draftId: string; status: 'pending'; restrictedCategories: RestrictedCategory[] }> {
  // What a person reviews shows no control or bidi character (output-scan.ts); the note is never echoed.
  if (hasUnsafeText(d.note)) throw new WardError('BAD_REQUEST', 'The note holds a control or bidirectional formatting character.');
  const p = await getPatient(tx, cipher, d.tenantId, d.patientId, { fields: PATIENT_PHI_FIELDS });
  const patient: PatientFields = p ? Object.fromEntries(PATIENT_PHI_FIELDS.map((f) => [f, p[f] ?? null])) : {};
  // The engine's word lists load once, outside any draft's redaction budget (as for the AI tasks).
  if (!warm) warmUp();
  warm = true;
  const pseudonyms = new TaskPseudonyms(patient);
  // Throws RedactionFailed when the engine fails or runs out of time: nothing is stored (R-AI-7).
  const body = pseudonyms.apply(d.note.trim()).slice(0, AGENT_NOTE_MAX_CHARS);
  const restricted = classifyRestricted(body).categories;
  const id = randomUUID();
  await insertDraft(tx, cipher, {
    id, tenantId: d.tenantId, callId: d.callId, phiScope: d.phiScope, template: AGENT_NOTE_TEMPLATE, vendor: 'voice-agent', model: 'mcp',
    createdBy: d.agentId, intentId: null, state: 'ready', body, map: pseudonyms.map, restrictedCategories: restricted,
    facts: { source: 'mcp', tool: 'draft_case_note', pseudonyms: pseudonyms.counts(), outputRestricted: restricted },
  });
  return { draftId: id, status: 'pending', restrictedCategories: restricted };
}
