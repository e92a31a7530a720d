/**
 * Who is asking (DESIGN.md, step 1 of the request pipeline). Built by authentication, read by the
 * policy decision point and by db.scoped; never decided on by authentication itself.
 */
export const PRINCIPAL_KINDS = ['human', 'ai_agent', 'service', 'ai_agent_for_human', 'system'] as const;
export type PrincipalKind = (typeof PRINCIPAL_KINDS)[number];

/** R-AUTHZ-2: the role matrix. "Agent" is the human contact-center role; AI agents are `AiAgent` principals. */
export const ROLES = ['Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * R-WORK-1: the roles of non-human principals (AI agents, tools, jobs), distinct from the human role
 * matrix so that no workload ever holds a person's role. Least privilege by default: each names one
 * job, and the Cedar policies of 40-workloads.cedar grant each only what that job needs.
 */
export const WORKLOAD_ROLES = ['VoiceAgent', 'SummaryTool', 'SchedulerJob', 'VoicePlatform', 'PostureSource', 'Redactor', 'AuditVerifier', 'SiemExporter', 'ScimProvisioner'] as const;
export type WorkloadRole = (typeof WORKLOAD_ROLES)[number];
/** Which principal kind may hold each workload role: an AI agent's role is never a service's. */
export const WORKLOAD_ROLE_KIND: Readonly<Record<WorkloadRole, 'ai_agent' | 'service'>> = {
  VoiceAgent: 'ai_agent', SummaryTool: 'service', SchedulerJob: 'service', VoicePlatform: 'service', PostureSource: 'service', Redactor: 'service', AuditVerifier: 'service', SiemExporter: 'service', ScimProvisioner: 'service',
};

export function isWorkloadRole(value: unknown): value is WorkloadRole {
  return typeof value === 'string' && (WORKLOAD_ROLES as readonly string[]).includes(value);
}

/** R-AUTHZ-2: PHI scopes per vertical. A role grants nothing inside a scope without a scope grant. */
export const PHI_SCOPES = ['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental'] as const;
export type PhiScope = (typeof PHI_SCOPES)[number];

/** Most restrictive first: the default scope of a call whose caller is not yet identified. */
export const PHI_SCOPES_BY_RESTRICTION: readonly PhiScope[] = ['SUD-Part2', 'BehavioralHealth-PHI', 'Healthcare-PHI', 'Dental'];

/**
 * 42 CFR 2.13(a), R-AUTHZ-4: the purposes of use (HL7 v3 PurposeOfUse codes) for which SUD-Part2
 * records may be reached. The one list: the data scope (db/scope.ts) widens to SUD-Part2 only for
 * these, and the policy `sud-part2-purpose` must name exactly these (checked when policies load).
 */
export const SUD_PART2_PURPOSES = ['TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'PATRQT', 'HCOMPL'] as const;

/**
 * R-AUTHZ-4: the shape of a purpose-of-use code in `Ward-Purpose` (an HL7 v3 PurposeOfUse code such
 * as TREAT); which purposes reach what is the policies' decision.
 */
export const PURPOSE_PATTERN = '^[A-Z][A-Z0-9]{1,15}$';

export function isPurpose(value: unknown): value is string {
  return typeof value === 'string' && new RegExp(PURPOSE_PATTERN).test(value);
}

export function isSudPart2Purpose(value: unknown): boolean {
  return typeof value === 'string' && (SUD_PART2_PURPOSES as readonly string[]).includes(value);
}

export type TenantId = string & { readonly __brand: 'TenantId' };
export type MemberId = string & { readonly __brand: 'MemberId' };

export interface Principal {
  kind: PrincipalKind;
  /** The acting identity: a member id, an AI agent id, a service id, or `system:<job>`. */
  id: string;
  tenantId: TenantId;
  /** A person's roles (ROLES), or a workload's one role (WORKLOAD_ROLES). */
  roles: readonly (Role | WorkloadRole)[];
  /** PHI scopes granted to the principal; the request may narrow them, never widen (R-AUTHZ-7). */
  phiScopes: readonly PhiScope[];
  /** R-WORK-3: the human an agent acts for, when kind is `ai_agent_for_human`. */
  onBehalfOf?: string;
  /** R-AUTHN-4: a person's account state; `restricted` after a lost-device recovery until a second person lifts it. */
  status?: 'active' | 'restricted';
}

export function isPhiScope(value: unknown): value is PhiScope {
  return typeof value === 'string' && (PHI_SCOPES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
