import { Value } from '@sinclair/typebox/value';
import { WardError } from '@ward/contracts';
import { rethrowRefusal } from '../../db/definer.ts';
import type { Tx } from '../../db/types.ts';
import { targetProblem, TemplateSchema, type AiTemplate } from './templates.ts';

/**
 * Tenant AI templates with two-person approval (R-AI-2, R-AUTHZ-5; docs/ai.md "Tenant templates"),
 * like tenant policies: one Owner or Admin proposes a version (checked against the template schema),
 * a second one approves it; only an approved (active) version runs, in place of the default of the
 * same id. Writes go through the SECURITY DEFINER functions of 0046_ai_templates.sql, which take the
 * proposer and the decider from the verified scope and refuse an approval by the proposer.
 */
export type TemplateState = 'proposed' | 'active' | 'superseded' | 'rejected' | 'retired';

/** The latest request to retire a version (0084): open (`outcome` null), approved or rejected. */
export interface TemplateRetirement {
  requestedBy: string;
  requestedAt: Date;
  outcome: 'approved' | 'rejected' | null;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface TenantTemplateVersion {
  id: string;
  version: number;
  state: TemplateState;
  purpose: string;
  proposedBy: string;
  proposedAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  retirement: TemplateRetirement | null;
}

/** A retirement request as JSON (the API's and `ward ai templates list`'s view; member ids, no PHI). */
export function retirementJson(r: TemplateRetirement | null) {
  return r ? {
    requestedBy: r.requestedBy, requestedAt: r.requestedAt.toISOString(), outcome: r.outcome, decidedBy: r.decidedBy, decidedAt: r.decidedAt ? r.decidedAt.toISOString() : null,
  } : null;
}

interface RetirementRow {
  template_id: string;
  version: number;
  requested_by: string;
  requested_at: Date;
  outcome: 'approved' | 'rejected' | null;
  decided_by: string | null;
  decided_at: Date | null;
}

interface Row {
  template_id: string;
  version: number;
  body: unknown;
  state: TemplateState;
  proposed_by: string;
  proposed_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
}

/** The template a body stands for, or the schema's first complaint (no value of the body in it). */
export function checkTemplate(body: unknown): { ok: true; template: AiTemplate } | { ok: false; reason: string } {
  if (!Value.Check(TemplateSchema, body)) {
    const first = [...Value.Errors(TemplateSchema, body)][0];
    return { ok: false, reason: `${first?.path || '/'} ${first?.message ?? 'is not valid'}` };
  }
  const problem = targetProblem(body as AiTemplate);
  return problem ? { ok: false, reason: problem } : { ok: true, template: body as AiTemplate };
}

const toRetirement = (r: RetirementRow | undefined): TemplateRetirement | null => (r ? {
  requestedBy: r.requested_by, requestedAt: new Date(r.requested_at), outcome: r.outcome, decidedBy: r.decided_by, decidedAt: r.decided_at ? new Date(r.decided_at) : null,
} : null);

const toVersion = (r: Row, retirement: RetirementRow | undefined): TenantTemplateVersion => ({
  id: r.template_id, version: r.version, state: r.state, purpose: String((r.body as { purpose?: unknown }).purpose ?? ''), proposedBy: r.proposed_by,
  proposedAt: new Date(r.proposed_at), decidedBy: r.decided_by, decidedAt: r.decided_at ? new Date(r.decided_at) : null, retirement: toRetirement(retirement),
});

/** The latest retirement request of each version of the tenant's templates (of one id when given). */
async function latestRetirements(tx: Tx, tenantId: string, id?: string): Promise<Map<string, RetirementRow>> {
  const { rows } = await tx.query<RetirementRow>(
    `SELECT DISTINCT ON (template_id, version) template_id, version, requested_by, requested_at, outcome, decided_by, decided_at
       FROM ai_template_retirements WHERE tenant_id = $1 AND ($2::text IS NULL OR template_id = $2) ORDER BY template_id, version, requested_at DESC`,
    [tenantId, id ?? null],
  );
  return new Map(rows.map((r) => [`${r.template_id}@${r.version}`, r]));
}

async function readVersion(tx: Tx, tenantId: string, id: string, version: number): Promise<TenantTemplateVersion> {
  const after = await tx.query<Row>('SELECT * FROM ai_templates WHERE tenant_id = $1 AND template_id = $2 AND version = $3', [tenantId, id, version]);
  if (!after.rows[0]) throw new WardError('NOT_FOUND');
  return toVersion(after.rows[0], (await latestRetirements(tx, tenantId, id)).get(`${id}@${version}`));
}

/**
 * Proposes `body` as the next version of its id (after every earlier version of the tenant's and the
 * default's), by the scope's person. Refused: an invalid body (AI_TEMPLATE_INVALID), anyone but an
 * active Owner or Admin (FORBIDDEN).
 */
export async function proposeTemplate(tx: Tx, tenantId: string, body: unknown, defaults: ReadonlyMap<string, AiTemplate>, now: Date): Promise<{ id: string; version: number }> {
  const first = checkTemplate({ ...(body as object), version: 1 });
  if (!first.ok) throw new WardError('AI_TEMPLATE_INVALID', `The template is not valid: ${first.reason}.`);
  const id = first.template.id;
  const { rows } = await tx.query<{ v: number | null }>('SELECT max(version) AS v FROM ai_templates WHERE tenant_id = $1 AND template_id = $2', [tenantId, id]);
  const version = Math.max(rows[0]?.v ?? 0, defaults.get(id)?.version ?? 0) + 1;
  const template = { ...first.template, version };
  try {
    await tx.query('SELECT ward_ai_template_propose($1, $2, $3::jsonb, $4)', [id, version, JSON.stringify(template), now]);
  } catch (e) {
    return rethrowRefusal(e, { not_permitted: 'FORBIDDEN' });
  }
  return { id, version };
}

/** Approves or rejects a proposed version, as the scope's person (never its proposer). */
export async function decideTemplate(tx: Tx, tenantId: string, id: string, version: number, approve: boolean, now: Date): Promise<TenantTemplateVersion> {
  const { rows } = await tx.query<Row>('SELECT * FROM ai_templates WHERE tenant_id = $1 AND template_id = $2 AND version = $3', [tenantId, id, version]);
  if (!rows[0]) throw new WardError('NOT_FOUND');
  // Checked again: the schema may have changed since the proposal.
  if (approve && rows[0].state === 'proposed' && !checkTemplate(rows[0].body).ok) {
    throw new WardError('AI_TEMPLATE_INVALID', 'The proposed template no longer matches the template schema; propose it again.');
  }
  try {
    await tx.query('SELECT ward_ai_template_decide($1, $2, $3, $4)', [id, version, approve, now]);
  } catch (e) {
    return rethrowRefusal(e, {
      not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND', self_approval: 'AI_TEMPLATE_SELF_APPROVAL',
      already_decided: new WardError('CONFLICT', `Version ${version} of ${id} was already decided.`),
    });
  }
  return readVersion(tx, tenantId, id, version);
}

/**
 * Asks to retire the active version of a tenant template (R-AI-2, R-AUTHZ-5), as the scope's person
 * (an active Owner or Admin). It keeps running until a second Owner or Admin approves. Refused: a
 * version that is not active, or whose retirement is already asked (CONFLICT); anyone else (FORBIDDEN).
 */
export async function requestRetirement(tx: Tx, tenantId: string, id: string, version: number, now: Date): Promise<TenantTemplateVersion> {
  try {
    await tx.query('SELECT ward_ai_template_retire_request($1, $2, $3)', [id, version, now]);
  } catch (e) {
    return rethrowRefusal(e, {
      not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND',
      already_decided: new WardError('CONFLICT', `Version ${version} of ${id} is not active, or its retirement is already asked.`),
    });
  }
  return readVersion(tx, tenantId, id, version);
}

/**
 * Approves (the version is `retired`: it never runs again; history kept) or rejects the open request to
 * retire a version, as the scope's person, never the one who asked (AI_TEMPLATE_SELF_APPROVAL).
 */
export async function decideRetirement(tx: Tx, tenantId: string, id: string, version: number, approve: boolean, now: Date): Promise<TenantTemplateVersion> {
  try {
    await tx.query('SELECT ward_ai_template_retire_decide($1, $2, $3, $4)', [id, version, approve, now]);
  } catch (e) {
    return rethrowRefusal(e, {
      not_permitted: 'FORBIDDEN', not_found: 'NOT_FOUND', self_approval: 'AI_TEMPLATE_SELF_APPROVAL',
      already_decided: new WardError('CONFLICT', `Version ${version} of ${id} is no longer active.`),
    });
  }
  return readVersion(tx, tenantId, id, version);
}

export async function listTenantTemplates(tx: Tx, tenantId: string): Promise<TenantTemplateVersion[]> {
  const { rows } = await tx.query<Row>('SELECT * FROM ai_templates WHERE tenant_id = $1 ORDER BY template_id, version', [tenantId]);
  const retirements = await latestRetirements(tx, tenantId);
  return rows.map((r) => toVersion(r, retirements.get(`${r.template_id}@${r.version}`)));
}

/**
 * The templates the gateway runs for a tenant: the defaults, each replaced by the tenant's approved
 * version of the same id, and the tenant's approved templates of new ids. A proposed, rejected,
 * superseded or retired version never runs (a retired version of a default's id gives the default back); a stored body that no longer passes the schema stops the task (fail closed).
 */
export async function activeTemplates(tx: Tx, tenantId: string, defaults: ReadonlyMap<string, AiTemplate>): Promise<Map<string, AiTemplate>> {
  const out = new Map(defaults);
  const { rows } = await tx.query<Row>("SELECT * FROM ai_templates WHERE tenant_id = $1 AND state = 'active'", [tenantId]);
  for (const r of rows) {
    const c = checkTemplate(r.body);
    if (!c.ok) throw new WardError('INTERNAL', undefined, { detail: `ai template ${r.template_id}@${r.version} fails the schema` });
    out.set(r.template_id, c.template);
  }
  return out;
}
