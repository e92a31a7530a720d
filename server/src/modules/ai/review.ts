import { distance } from 'fastest-levenshtein';
import { REVIEW_DECISIONS, WardError, type PhiScope, type ReviewDecision, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { writeCaseNote } from '../phi/index.ts';
import { getDraft, type DraftStatus } from './drafts.ts';
import { reidentify } from './pseudonyms.ts';
import { classifyRestricted, type RestrictedCategory } from './restricted.ts';

/**
 * The human review gate (R-AI-5, R-AI-4): every AI draft is `pending` until a person confirms, edits
 * or rejects it; only a confirmed or edited draft is used, as a case note (a `case_note` draft) or an
 * outbound message (a `message` draft). A review is final. What is recorded of it is PHI-free: the
 * decision, the edit's size in characters and its ratio to the draft's length — never the text.
 *
 * The enforcement point decides `ai.review` on the draft, then, for a case-note draft confirmed or
 * edited, `caseNote.write` on the call's patient, and `caseNote.writeRestricted` (with a step-up)
 * when the text to be written holds a restricted category. `applyReview` runs in the transaction of
 * the last of those decisions, so the status, the note and the audit record commit together.
 */
export { REVIEW_DECISIONS, type ReviewDecision };

export interface ReviewInput {
  decision: ReviewDecision;
  /** The reviewed text, for `edit`: plain, or keeping the draft's surrogates (re-identified on writing). */
  body?: string;
}

/** A draft as the review gate sees it before anything is decrypted (policy attributes only). */
export interface ReviewTarget {
  id: string;
  tenant: TenantId;
  phiScope: PhiScope;
  callId: string;
  patientId: string | null;
  kind: string;
  state: 'ready' | 'fallback';
  status: DraftStatus;
  templateId: string;
  restrictedCategories: RestrictedCategory[];
}

const TARGET = `SELECT d.id, d.tenant_id, d.phi_scope, d.call_id, d.kind, d.state, d.status, d.template_id, d.restricted_categories, c.patient_id
  FROM ai_drafts d JOIN calls c ON c.tenant_id = d.tenant_id AND c.id = d.call_id WHERE d.tenant_id = $1 AND d.id = $2`;

export async function loadReviewTarget(tx: Tx, tenantId: TenantId, draftId: string): Promise<ReviewTarget | null> {
  const { rows } = await tx.query<{
    id: string; tenant_id: TenantId; phi_scope: PhiScope; call_id: string; kind: string; state: 'ready' | 'fallback'; status: DraftStatus;
    template_id: string; restricted_categories: RestrictedCategory[]; patient_id: string | null;
  }>(TARGET, [tenantId, draftId]);
  const r = rows[0];
  if (!r) return null;
  return {
    id: r.id, tenant: r.tenant_id, phiScope: r.phi_scope, callId: r.call_id, patientId: r.patient_id, kind: r.kind, state: r.state, status: r.status,
    templateId: r.template_id, restrictedCategories: r.restricted_categories,
  };
}

/** What a review will do, known before any decryption: which decisions it needs. */
export interface ReviewPlan {
  /** The draft becomes a case note on the call's patient (caseNote.write). */
  writesCaseNote: boolean;
  /** The text to be written holds these restricted categories (caseNote.writeRestricted). */
  restricted: RestrictedCategory[];
}

/** Checks a review request against its draft and says what it will need (fail closed on anything odd). */
export function planReview(target: ReviewTarget, input: ReviewInput): ReviewPlan {
  if (target.status !== 'pending') throw new WardError('AI_DRAFT_ALREADY_REVIEWED');
  if (input.decision === 'edit' && !input.body?.trim()) throw new WardError('BAD_REQUEST', 'An edit carries the reviewed text in `body`.');
  if (input.decision !== 'edit' && input.body !== undefined) throw new WardError('BAD_REQUEST', 'Only an edit carries a `body`.');
  if (input.decision === 'reject') return { writesCaseNote: false, restricted: [] };
  if (target.state === 'fallback') throw new WardError('AI_DRAFT_NOT_USABLE');
  const writesCaseNote = target.kind === 'case_note';
  if (writesCaseNote && !target.patientId) throw new WardError('BAD_REQUEST', 'The draft\'s call has no patient to write a case note for.');
  // What is written decides: the scan's findings for a confirmed draft, the reviewed text for an edit.
  const restricted = input.decision === 'edit' ? classifyRestricted(input.body!).categories : target.restrictedCategories;
  return { writesCaseNote, restricted };
}

/** The size of an edit: Levenshtein distance in characters, and its ratio to the draft's length. */
export function editSize(original: string, reviewed: string): { editChars: number; editRatio: number } {
  const editChars = distance(original, reviewed);
  return { editChars, editRatio: Math.round((editChars / Math.max(original.length, 1)) * 1000) / 1000 };
}

export interface ReviewOutcome {
  draftId: string;
  status: Exclude<DraftStatus, 'pending'>;
  templateId: string;
  kind: string;
  editChars: number | null;
  editRatio: number | null;
  restricted: RestrictedCategory[];
  caseNoteId: string | null;
}

/** The text a confirm or an edit writes: re-identified (an edit may keep the draft's surrogates). */
function textToWrite(draft: { body: string; map?: Record<string, string> | null }, input: ReviewInput): { original: string; finalText: string } {
  const map = new Map(Object.entries(draft.map ?? {}));
  const original = reidentify(draft.body, map);
  return { original, finalText: input.decision === 'edit' ? reidentify(input.body!, map) : original };
}

/** `a` with what `b` adds, in order. */
const union = (a: readonly RestrictedCategory[], b: readonly RestrictedCategory[]): RestrictedCategory[] => [...a, ...b.filter((c) => !a.includes(c))];

/**
 * R-AI-4: the restricted categories of what a case-note review writes, read on the text as written.
 * The draft's categories (and an edit as typed) are the pseudonymised text's, and a surrogate can hide
 * a restricted word inside a name: "[LOCATION_1] Center" is written "Riverside Detox Center". Decrypts
 * the draft and its map in the caller's transaction (after `ai.review` allowed it); returns names only.
 */
export async function restrictedAsWritten(tx: Tx, cipher: FieldCipher, target: ReviewTarget, input: ReviewInput, plan: ReviewPlan): Promise<RestrictedCategory[]> {
  if (!plan.writesCaseNote) return plan.restricted;
  const draft = await getDraft(tx, cipher, target.tenant, target.id, { withMap: true });
  if (!draft) throw new WardError('NOT_FOUND');
  return union(plan.restricted, classifyRestricted(textToWrite(draft, input).finalText).categories);
}

const STATUS: Record<ReviewDecision, Exclude<DraftStatus, 'pending'>> = { confirm: 'confirmed', edit: 'edited', reject: 'rejected' };

const SET_STATUS = `UPDATE ai_drafts SET status = $3, reviewed_by = $4, reviewed_at = now(), review = $5
  WHERE tenant_id = $1 AND id = $2 AND status = 'pending' RETURNING id`;

/**
 * Applies a review in the caller's transaction (the guard's, after its decisions). The status change
 * is conditional on `pending`, so two reviews of one draft cannot both win. `allowRestricted` says
 * whether `caseNote.writeRestricted` was decided: a note holding a restricted category without it is
 * refused here too (fail closed), whatever the plan said.
 */
export async function applyReview(
  tx: Tx,
  cipher: FieldCipher,
  target: ReviewTarget,
  input: ReviewInput,
  reviewer: { id: string; allowRestricted: boolean },
): Promise<ReviewOutcome> {
  const plan = planReview(target, input);
  const status = STATUS[input.decision];
  let editChars: number | null = null;
  let editRatio: number | null = null;
  let finalText: string | null = null;
  if (input.decision !== 'reject') {
    const draft = await getDraft(tx, cipher, target.tenant, target.id, { withMap: true });
    if (!draft) throw new WardError('NOT_FOUND');
    const { original, finalText: text } = textToWrite(draft, input);
    finalText = text;
    ({ editChars, editRatio } = input.decision === 'edit' ? editSize(original, finalText) : { editChars: 0, editRatio: 0 });
  }
  // R-AI-4: what is written decides, as written (re-identified): a surrogate may hide a restricted word.
  const restricted = plan.writesCaseNote && finalText !== null ? union(plan.restricted, classifyRestricted(finalText).categories) : plan.restricted;
  if (plan.writesCaseNote && restricted.length > 0 && !reviewer.allowRestricted) throw new WardError('FORBIDDEN', undefined, { reasons: ['restricted-category'] });
  const review = { decision: input.decision, editChars, editRatio, restricted };
  const { rows } = await tx.query(SET_STATUS, [target.tenant, target.id, status, reviewer.id, JSON.stringify(review)]);
  if (rows.length === 0) throw new WardError('AI_DRAFT_ALREADY_REVIEWED');
  let caseNoteId: string | null = null;
  if (plan.writesCaseNote && finalText !== null) {
    const note = await writeCaseNote(tx, cipher, target.tenant, { patientId: target.patientId!, callId: target.callId, authorId: reviewer.id, body: finalText, aiDraftId: target.id });
    caseNoteId = note.id;
    await tx.query('UPDATE ai_drafts SET case_note_id = $3 WHERE tenant_id = $1 AND id = $2', [target.tenant, target.id, caseNoteId]);
  }
  return { draftId: target.id, status, templateId: target.templateId, kind: target.kind, editChars, editRatio, restricted, caseNoteId };
}

/**
 * The one check every use of a draft makes (R-AI-5): a case note, an outbound message. A draft still
 * pending, or rejected, is AI_DRAFT_NOT_REVIEWED.
 */
export function assertReviewed(draft: { status: DraftStatus }): void {
  if (draft.status !== 'confirmed' && draft.status !== 'edited') throw new WardError('AI_DRAFT_NOT_REVIEWED');
}

/** Acceptance and edits of one template's drafts (R-GOV-5). Rates are null when nothing was reviewed. */
export interface TemplateReviewMetrics {
  templateId: string;
  drafts: number;
  pending: number;
  confirmed: number;
  edited: number;
  rejected: number;
  /** (confirmed + edited) / reviewed. */
  acceptanceRate: number | null;
  /** Mean edit ratio over the accepted drafts (a confirmed draft counts as 0). */
  meanEditRatio: number | null;
}

const METRICS = `SELECT template_id, count(*)::int AS drafts,
    count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE status = 'confirmed')::int AS confirmed,
    count(*) FILTER (WHERE status = 'edited')::int AS edited, count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
    avg(COALESCE((review->>'editRatio')::float8, 0)) FILTER (WHERE status IN ('confirmed', 'edited')) AS edit_ratio
  FROM ai_drafts WHERE ($1::uuid IS NULL OR tenant_id = $1) AND state = 'ready' GROUP BY template_id ORDER BY template_id`;

/**
 * Acceptance rate and edit ratio per template, over the drafts the transaction can see (a scoped
 * transaction: its tenant and PHI scopes; an unscoped job's connection: every tenant unless one is
 * named). PHI-free.
 * Drafts that fell back to the manual workflow are not counted (they are not the model's work).
 */
export async function reviewMetrics(tx: Pick<Tx, 'query'>, tenantId: TenantId | null = null): Promise<TemplateReviewMetrics[]> {
  const { rows } = await tx.query<{ template_id: string; drafts: number; pending: number; confirmed: number; edited: number; rejected: number; edit_ratio: number | null }>(METRICS, [tenantId]);
  return rows.map((r) => {
    const accepted = r.confirmed + r.edited;
    const reviewed = accepted + r.rejected;
    return {
      templateId: r.template_id, drafts: r.drafts, pending: r.pending, confirmed: r.confirmed, edited: r.edited, rejected: r.rejected,
      acceptanceRate: reviewed ? Math.round((accepted / reviewed) * 1000) / 1000 : null,
      meanEditRatio: r.edit_ratio === null ? null : Math.round(Number(r.edit_ratio) * 1000) / 1000,
    };
  });
}
