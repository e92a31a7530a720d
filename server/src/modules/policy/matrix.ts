import { PHI_SCOPES, ROLES } from '@ward/contracts';
import type { Decision } from '@ward/contracts';
import { NO_ELEVATION, type Pdp, type PdpRequest } from './types.ts';

/**
 * The role matrix report (R-AUTHZ-6): role × action × PHI scope, each row with the requirement and
 * regulation sections of the policies that decide it. Every cell is a question asked of the PDP and
 * every section is read from the policies' annotations: nothing here is written by hand.
 */
interface Subject {
  label: string;
  principal: PdpRequest['principal'];
  authMethod: string;
}

const SUBJECTS: Subject[] = [
  ...ROLES.map((role) => ({
    label: role,
    principal: { type: 'Member' as const, id: 'subject', tenant: 't1', roles: [role], scopes: [] },
    authMethod: 'passkey',
  })),
  { label: 'AiAgent (VoiceAgent)', principal: { type: 'AiAgent', id: 'subject', tenant: 't1', roles: ['VoiceAgent'], scopes: [] }, authMethod: 'dpop' },
  ...['Redactor', 'AuditVerifier', 'SiemExporter', 'SummaryTool'].map((role) => ({
    label: `Service (${role})`,
    principal: { type: 'Service' as const, id: 'subject', tenant: 't1', roles: [role], scopes: [] },
    authMethod: 'dpop',
  })),
];

const FULL_CONTEXT: Omit<PdpRequest['context'], 'authMethod'> = {
  mfa: true,
  authAgeSeconds: 0,
  devicePosture: 'managed',
  risk: 'unassessed',
  elevation: NO_ELEVATION,
  justification: true,
  purpose: 'TREAT',
};

export interface MatrixRow {
  subject: string;
  action: string;
  /** Scopes in which the action is allowed; `null` when the action is not gated by a PHI scope. */
  scopes: string[] | null;
  isAllowed: boolean;
  conditions: string[];
  policyIds: string[];
}

export function buildRoleMatrix(pdp: Pdp): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const subject of SUBJECTS) {
    for (const [action, resourceTypes] of pdp.actions) {
      const ask = (scopes: string[], phiScope: string | undefined, context: Partial<PdpRequest['context']> = {}): Decision =>
        pdp.decide({
          principal: { ...subject.principal, scopes },
          action,
          resource: { type: resourceTypes[0] ?? 'Tenant', id: 'object', tenant: 't1', ...(phiScope ? { phiScope } : {}), grantRole: 'Agent', grantScope: 'Dental', roles: [] },
          context: { ...FULL_CONTEXT, authMethod: subject.authMethod, ...context },
        });
      // An action is gated by a PHI scope when a grant of the resource's scope is what makes the difference.
      const perScope = PHI_SCOPES.map((scope) => ({ scope, granted: ask([scope], scope), ungranted: ask([], scope) }));
      const isScoped = perScope.some((s) => s.granted.allow !== s.ungranted.allow);
      const allowedIn = perScope.filter((s) => s.granted.allow);
      const isAllowed = isScoped ? allowedIn.length > 0 : perScope[0]!.granted.allow;
      const policyIds = new Set<string>();
      const conditions = new Set<string>();
      const sample = isScoped ? (allowedIn[0] ?? perScope[0]!) : perScope[0]!;
      for (const id of sample.granted.policyIds) policyIds.add(id);
      if (isAllowed) {
        const scope = isScoped ? sample.scope : undefined;
        const grant = isScoped ? [sample.scope] : [];
        const probe = (name: (d: Decision) => string, context: Partial<PdpRequest['context']>) => {
          const d = ask(grant, scope, context);
          if (d.allow) return;
          for (const id of d.policyIds) policyIds.add(id);
          conditions.add(name(d));
        };
        probe(() => 'MFA', { mfa: false });
        probe(() => 'managed device', { devicePosture: 'unmanaged' });
        probe((d) => `step-up within ${d.obligations.stepUpWithinSeconds ?? '?'} s`, { authAgeSeconds: 86_400 });
        probe(() => 'justification', { justification: false });
        probe(() => 'sender-constrained token', { authMethod: 'bearer' });
        if (isScoped && allowedIn.some((s) => s.scope === 'SUD-Part2')) {
          const d = ask(['SUD-Part2'], 'SUD-Part2', { purpose: '' });
          if (!d.allow) {
            conditions.add('SUD-Part2: purpose of use');
            for (const id of d.policyIds) policyIds.add(id);
          }
        }
        const masks = sample.granted.obligations.maskFields;
        if (masks?.length) conditions.add(`masks ${masks.join(', ')}`);
      }
      rows.push({
        subject: subject.label,
        action,
        scopes: isScoped ? allowedIn.map((s) => s.scope) : null,
        isAllowed,
        conditions: [...conditions],
        policyIds: [...policyIds].sort(),
      });
    }
  }
  return rows;
}

const DEFAULT_DENY = { requirement: 'R-AUTHZ-1', cfr: '164.312(a)(1)', nist: 'AC-3' };

export function renderRoleMatrix(pdp: Pdp, rows: MatrixRow[]): string {
  const sections = (ids: string[], key: 'requirement' | 'cfr' | 'nist'): string => {
    if (ids.length === 0) return DEFAULT_DENY[key];
    const values = new Set<string>();
    for (const id of ids) for (const v of (pdp.policies.get(id)?.annotations[key] ?? '').split(',')) if (v.trim()) values.add(v.trim());
    return [...values].sort().join(', ');
  };
  const lines = [
    '# Ward role matrix',
    '',
    '<!-- Generated by `npx ward policy matrix --write` from the policies in policies/default: do not edit. -->',
    '',
    'Each row is a question asked of the policy decision point (R-AUTHZ-6): may this principal take',
    'this action, and in which PHI scope? "Allowed in" lists the scopes in which a grant of that one',
    'scope lets the action through (with MFA, a managed device, a fresh verification, a justification',
    'and the purpose `TREAT`); "Conditions" lists what the PDP then still requires, found by asking',
    'again without it. "Decided by" names the policies, and the requirement and regulation columns',
    "are read from those policies' `@requirement`, `@cfr` and `@nist` annotations. A denial with no",
    'policy is the default deny (R-AUTHZ-1).',
    '',
    '| Principal | Action | Allowed in | Conditions | Decided by | Requirement | 45 CFR / 42 CFR | NIST SP 800-53 |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const allowedIn = r.scopes === null ? (r.isAllowed ? 'yes (no PHI scope)' : 'no') : r.scopes.length ? r.scopes.join(', ') : 'no';
    const by = r.policyIds.length ? r.policyIds.map((id) => `\`${id}\``).join(', ') : 'default deny';
    lines.push(
      `| ${r.subject} | \`${r.action}\` | ${allowedIn} | ${r.conditions.join('; ') || '—'} | ${by} | ${sections(r.policyIds, 'requirement')} | ${sections(r.policyIds, 'cfr')} | ${sections(r.policyIds, 'nist')} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
