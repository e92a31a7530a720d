import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { createFileOutbox } from '../../modules/notify/index.ts';
import { enroll, seen, send } from '../clients.ts';
import { expectStatus, refusedWithout, type Scenario, type World } from '../scenario.ts';
import { PT, TM } from './boundaries.ts';

/**
 * Who may change who can reach what (R-AUTHZ-5, R-AUTHN-3, R-AUTHN-5): no one grants themselves a
 * role or scope, no one approves their own request (an invitation, a tenant policy, a SCIM token, a
 * new key of a PHI-scoped workload), an Admin does not make Owners or Admins, an
 * existing member is never re-invited, and a SCIM token reaches its own tenant only.
 */
const SCIM = '/scim/v2';
const scimCall = (w: World, token: string, path: string, init: { method?: string; body?: unknown } = {}) =>
  send(w.origin, `${SCIM}${path}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/scim+json' } : {}) }, raw: init.body ? JSON.stringify(init.body) : undefined });
const POLICY = '@id("drill-no-agent-views") forbid (principal, action == Action::"patient.view", resource) when { principal.roles.contains("Agent") };';

/** `drill.agent@x` as `ｄｒｉｌｌ．ａｇｅｎｔ@x`: the same address once normalised (NFKC). */
function fullWidthLocalPart(email: string): string {
  const at = email.lastIndexOf('@');
  return [...email.slice(0, at)].map((c) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('') + email.slice(at);
}

export function adminScenarios(): Scenario[] {
  const self = 'scope and role self-grant';
  const dealing = 'approval self-dealing';
  const scim = 'SCIM token across tenants';
  const invite = (id: string, title: string, who: (w: World) => World['people'][keyof World['people']], body: (w: World) => unknown, expected: string, status: number[], codes: string[] | undefined, covers: string[]): Scenario => ({
    id, category: self, title, expected, covers,
    async run(w) {
      return expectStatus(await who(w).call('/v1/members/invitations', { method: 'POST', body: body(w) }), status, codes);
    },
  });
  return [
    invite('grant.agent-invites', 'an Agent invites a new member', (w) => w.people.agent, () => ({ email: 'drill.new1@drill.invalid', role: 'Agent' }), 'HTTP 403', [403], undefined, ['R-AUTHZ-5']),
    invite('finding.privileged-invitation.admin-makes-owner', 'an Admin invites an Owner', (w) => w.people.admin, () => ({ email: 'drill.owner2@drill.invalid', role: 'Owner' }), 'HTTP 403 FORBIDDEN', [403], undefined, [PT.privilegedInvite, 'R-AUTHZ-5']),
    invite('finding.privileged-invitation.admin-makes-admin', 'an Admin invites an Admin', (w) => w.people.admin, () => ({ email: 'drill.admin2@drill.invalid', role: 'Admin' }), 'HTTP 403 FORBIDDEN', [403], undefined, [PT.privilegedInvite, 'R-AUTHZ-5']),
    invite('grant.manager-invites-admin', 'a Manager invites an Admin', (w) => w.people.manager, () => ({ email: 'drill.admin3@drill.invalid', role: 'Admin' }), 'HTTP 403', [403], undefined, ['R-AUTHZ-5']),
    invite('grant.viewer-invites-auditor', 'a Viewer invites an Auditor', (w) => w.people.viewer, () => ({ email: 'drill.aud@drill.invalid', role: 'Auditor' }), 'HTTP 403', [403], undefined, ['R-AUTHZ-5']),
    invite('finding.reinvite-takeover', "an Admin re-invites an existing member's address (a new link would take the account over)", (w) => w.people.admin, (w) => ({ email: w.people.agent.email, role: 'Agent' }), 'HTTP 409 MEMBER_EXISTS', [409], ['MEMBER_EXISTS'], [PT.reinvite, 'R-AUTHN-3']),
    invite('finding.reinvite-takeover.case', "the same with the address in upper case", (w) => w.people.admin, (w) => ({ email: w.people.viewer.email.toUpperCase(), role: 'Owner' }), 'HTTP 409 MEMBER_EXISTS (or 403)', [403, 409], undefined, [PT.reinvite, 'R-AUTHN-3']),
    invite('finding.email-spelling.fullwidth', "an Admin invites an existing member's address with its local part in full-width letters", (w) => w.people.admin,
      (w) => ({ email: fullWidthLocalPart(w.people.agent.email), role: 'Agent' }), 'HTTP 409 MEMBER_EXISTS (one normal form, NFKC)', [409], ['MEMBER_EXISTS'], [PT.emailSpelling, 'R-AUTHN-3']),
    invite('finding.email-spelling.lookalike', 'an Admin invites a look-alike address (a Cyrillic а among Latin letters)', (w) => w.people.admin,
      () => ({ email: `drill.\u0430gent.${Date.now()}@drill.invalid`, role: 'Agent' }), 'HTTP 400 EMAIL_INVALID', [400], ['EMAIL_INVALID'], [PT.emailSpelling, 'R-AUTHN-3']),
    invite('finding.reinvite-takeover.self', 'an Admin re-invites themselves as Owner', (w) => w.people.admin, (w) => ({ email: w.people.admin.email, role: 'Owner' }), 'HTTP 403 or 409', [403, 409], undefined, [PT.reinvite, 'R-AUTHZ-5']),
    {
      id: 'finding.privileged-invitation.needs-second-person', category: dealing, covers: [PT.privilegedInvite, 'R-AUTHZ-5'],
      title: "an Owner invites an Admin and approves the invitation themselves",
      expected: 'invitation 201 with requiresApproval and no link in the reply; self-approval HTTP 403 ENROLLMENT_SELF_APPROVAL',
      async run(w) {
        const made = await w.people.owner.call('/v1/members/invitations', { method: 'POST', body: { email: `drill.admin.${Date.now()}@drill.invalid`, role: 'Admin' } });
        const memberId = String(made.json.memberId ?? '');
        const approve = await w.people.owner.call(`/v1/members/invitations/${memberId}/approve`, { method: 'POST' });
        const linkInReply = /token|enroll/i.test(made.text);
        return {
          pass: made.status === 201 && made.json.requiresApproval === true && !linkInReply && approve.status === 403 && approve.code === 'ENROLLMENT_SELF_APPROVAL',
          observed: `invitation HTTP ${made.status} (requiresApproval ${String(made.json.requiresApproval)}, link in reply ${linkInReply}), self-approval HTTP ${approve.status} ${approve.code}`,
        };
      },
    },
    {
      id: 'approval.agent-approves-invitation', category: dealing, covers: ['R-AUTHZ-5'],
      title: "an Agent approves a pending Admin invitation", expected: 'HTTP 403',
      async run(w) {
        const made = await w.people.owner.call('/v1/members/invitations', { method: 'POST', body: { email: `drill.admin.b${Date.now()}@drill.invalid`, role: 'Admin' } });
        const r = await w.people.agent.call(`/v1/members/invitations/${String(made.json.memberId ?? '')}/approve`, { method: 'POST' });
        return { pass: made.status === 201 && r.status === 403, observed: `invitation HTTP ${made.status}, Agent's approval HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'approval.policy-self-approval', category: dealing, covers: ['R-AUTHZ-5', TM.definer],
      title: 'an Admin proposes a tenant policy and approves it themselves', expected: 'proposal 201; self-approval HTTP 403',
      async run(w) {
        const made = await w.people.admin.call('/v1/policies', { method: 'POST', body: { text: POLICY } });
        const r = await w.people.admin.call(`/v1/policies/${String(made.json.version ?? 0)}/approve`, { method: 'POST' });
        return { pass: made.status === 201 && r.status === 403, observed: `proposal HTTP ${made.status} ${made.code}, self-approval HTTP ${r.status} ${r.code}` };
      },
    },
    {
      id: 'approval.scim-token-alone', category: dealing, covers: ['R-AUTHZ-5', 'R-AUTHN-5', TM.definerKeys],
      title: 'an Admin issues a SCIM token alone: the one-step route, then a proposal approved by themselves',
      expected: "one-step HTTP 404; proposal 201; self-approval HTTP 403 (Cedar's FORBIDDEN, the database's CHANGE_SELF_APPROVAL behind it) with no token; no token made",
      async run(w) {
        const admin = w.people.admin;
        const count = async () => ((await admin.call('/v1/scim/tokens')).json.tokens as unknown[] | undefined)?.length ?? -1;
        const before = await count();
        const oneStep = await admin.call('/v1/scim/tokens', { method: 'POST', body: { revokeOld: false } });
        const made = await admin.call('/v1/scim/token-requests', { method: 'POST', body: { revokeOld: false, days: 1 } });
        const id = String(made.json.id ?? '');
        const self = await admin.call(`/v1/scim/token-requests/${id}/approve`, { method: 'POST' });
        const after = await count();
        // Withdrawn, so that the tenant's one open proposal does not linger.
        const cancel = await admin.call(`/v1/scim/token-requests/${id}/cancel`, { method: 'POST' });
        const tokenInReply = /ward_scim_/.test(self.text);
        return {
          pass: oneStep.status === 404 && made.status === 201 && self.status === 403 && ['FORBIDDEN', 'CHANGE_SELF_APPROVAL'].includes(self.code) && !tokenInReply && before >= 0 && after === before,
          observed: `one-step ${seen(oneStep)}; proposal ${seen(made)}; self-approval ${seen(self)}${tokenInReply ? ', token in the reply' : ''}; tokens ${before} → ${after}; cancel ${seen(cancel)}`,
        };
      },
    },
    {
      id: 'approval.phi-workload-key-alone', category: dealing, covers: ['R-AUTHZ-5', 'R-WORK-2', TM.definerKeys],
      title: "an Admin adds a key to the PHI-scoped voice agent alone (to act as it): one-step add and replace, then a proposal approved by themselves",
      expected: "add and replace HTTP 409 CHANGE_NEEDS_APPROVAL; proposal 201; self-approval HTTP 403 (Cedar's FORBIDDEN, the database's CHANGE_SELF_APPROVAL behind it); the key never in the set",
      async run(w) {
        const admin = w.people.admin;
        const clientId = w.keys.voiceAgent.client_id;
        const jwk = { ...(await exportJWK((await generateKeyPair('ES256', { extractable: true })).publicKey)), kid: `drill-${Date.now()}` };
        const thumbprint = await calculateJwkThumbprint(jwk, 'sha256');
        const add = await admin.call(`/v1/workloads/${clientId}/keys`, { method: 'POST', body: { jwk } });
        const replace = await admin.call(`/v1/workloads/${clientId}/keys`, { method: 'PUT', body: { keys: [jwk] } });
        const made = await admin.call(`/v1/workloads/${clientId}/key-requests`, { method: 'POST', body: { jwk } });
        const id = String(made.json.id ?? '');
        const self = await admin.call(`/v1/workload-key-requests/${id}/approve`, { method: 'POST' });
        const listed = await admin.call('/v1/workloads');
        const installed = listed.text.includes(thumbprint);
        const cancel = await admin.call(`/v1/workload-key-requests/${id}/cancel`, { method: 'POST' });
        return {
          pass: add.status === 409 && add.code === 'CHANGE_NEEDS_APPROVAL' && replace.status === 409 && replace.code === 'CHANGE_NEEDS_APPROVAL' && made.status === 201
            && self.status === 403 && ['FORBIDDEN', 'CHANGE_SELF_APPROVAL'].includes(self.code) && listed.status === 200 && !installed,
          observed: `add ${seen(add)}, replace ${seen(replace)}; proposal ${seen(made)}; self-approval ${seen(self)}; key ${installed ? 'installed' : 'not in the set'} (list ${seen(listed)}); cancel ${seen(cancel)}`,
        };
      },
    },
    {
      id: 'grant.agent-proposes-policy', category: self, covers: ['R-AUTHZ-5'],
      title: 'an Agent proposes a tenant policy (a permit for themselves)', expected: 'HTTP 403',
      async run(w) {
        return expectStatus(await w.people.agent.call('/v1/policies', { method: 'POST', body: { text: '@id("mine") permit (principal, action, resource);' } }), [403]);
      },
    },
    {
      id: 'grant.agent-reads-audit', category: self, covers: ['R-AUDIT-1'],
      title: 'an Agent reads the audit trail', expected: 'HTTP 403',
      async run(w) {
        return refusedWithout(await w.people.agent.call('/v1/audit/events'), [403]);
      },
    },
    {
      id: 'grant.auditor-writes', category: self, covers: ['R-AUTHZ-5', 'R-AUDIT-1'],
      title: 'an Auditor (read-only, every scope) writes a case note', expected: 'HTTP 403',
      async run(w) {
        return expectStatus(await w.people.auditor.call(`/v1/patients/${w.hc}/case-notes`, { method: 'POST', body: { body: 'drill: auditor note' } }), [403]);
      },
    },
    {
      id: 'grant.viewer-recovery', category: self, covers: ['R-AUTHN-4', 'R-AUTHZ-5'],
      title: "a Viewer starts an account recovery for the Owner (a recovery link to take the account over)", expected: 'HTTP 403',
      async run(w) {
        return expectStatus(await w.people.viewer.call(`/v1/members/${w.people.owner.memberId}/recovery`, { method: 'POST', body: { verifiedBy: 'video-call', note: 'drill: caller claimed to be the Owner' } }), [403]);
      },
    },
    {
      id: 'grant.agent-delegates-beyond-scope', category: self, covers: ['R-WORK-3', 'R-AUTHZ-2'],
      title: "an Agent delegates to the voice agent for a patient outside the Agent's scopes", expected: 'refused (403/404)',
      async run(w) {
        return refusedWithout(await w.people.agent.call('/v1/delegations', { method: 'POST', body: { agent: w.keys.voiceAgent.client_id, patientId: w.sud }, headers: { 'ward-purpose': 'TREAT' } }), [400, 403, 404]);
      },
    },
    {
      id: 'grant.me-reflects-no-self-grant', category: self, covers: ['R-AUTHZ-5', TM.definer],
      title: 'after every attempt above, the Agent holds only the role and scope it was given', expected: 'GET /v1/me names Agent and Healthcare-PHI only',
      async run(w) {
        const r = await w.people.agent.call('/v1/me');
        const text = r.text;
        const extra = ['Owner', 'Admin', 'Auditor', 'SUD-Part2', 'BehavioralHealth-PHI'].filter((x) => text.includes(`"${x}"`));
        return { pass: r.status === 200 && extra.length === 0, observed: `HTTP ${r.status}, extra grants: ${extra.join(', ') || 'none'}` };
      },
    },
    {
      id: 'stale-session.role-change', category: 'stale session after a role change', covers: ['R-AUTHN-5', 'R-SESS-1'],
      title: "a member's live session after the IdP pushes them into a group mapped to a role",
      expected: 'before the change HTTP 200; the very next request afterwards HTTP 401 (role changes end sessions)',
      async run(w) {
        // The whole joiner path, as the IdP and an Admin drive it: SCIM create, identity proofing, the
        // link from the outbox (the member's mailbox), a passkey; then a group push and its mapping.
        const email = `drill.rc.${Date.now()}@drill.invalid`;
        const user = await scimCall(w, w.a.scimToken, '/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: email, active: true } });
        const id = String(user.json.id ?? '');
        const proofed = await w.people.admin.call(`/v1/members/${id}/id-proofing`, { method: 'POST', body: { method: 'manager_attestation', note: 'drill: attested by the shift lead' } });
        const mail = createFileOutbox(join(w.dataDir, 'outbox')).read().filter((m) => m.to === email).at(-1);
        const token = /#token=([A-Za-z0-9_-]{43})/.exec(mail?.text ?? '')?.[1];
        if (user.status !== 201 || proofed.status !== 201 || !token) return { pass: false, observed: `set-up: SCIM user HTTP ${user.status}, proofing HTTP ${proofed.status}, link ${token ? 'found' : 'not found'} in the outbox` };
        const person = await enroll(w.origin, { email, id, tenantId: w.a.id }, token);
        const before = await person.call('/v1/me');
        const group = await scimCall(w, w.a.scimToken, '/Groups', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: `drill-auditors-${Date.now()}`, members: [{ value: id }] } });
        const mapped = await w.operator(['scim', 'map-group', '--tenant', w.a.slug, '--group-id', String(group.json.id ?? ''), '--role', 'Auditor']);
        const after = await person.call('/v1/me');
        return { pass: before.status === 200 && group.status === 201 && mapped.code === 0 && after.status === 401, observed: `before HTTP ${before.status}; group HTTP ${group.status}, mapping exit ${mapped.code}; after HTTP ${after.status} ${after.code}` };
      },
    },
    // SCIM (R-AUTHN-5).
    {
      id: 'scim.list-other-tenant', category: scim, covers: ['R-AUTHN-5', TM.rls],
      title: "tenant A's SCIM token lists users: none of tenant B's", expected: "HTTP 200 without tenant B's users",
      async run(w) {
        const made = await scimCall(w, w.b.scimToken, '/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `drill.b.${Date.now()}@drill.invalid`, active: true } });
        const r = await scimCall(w, w.a.scimToken, '/Users?count=200');
        const leaked = String(made.json.id ?? 'none');
        return { pass: made.status === 201 && r.status === 200 && !r.text.includes(leaked), observed: `B's create HTTP ${made.status}; A's list HTTP ${r.status}${r.text.includes(leaked) ? " carries B's user" : ''}` };
      },
    },
    {
      id: 'scim.read-other-tenant', category: scim, covers: ['R-AUTHN-5', TM.rls],
      title: "tenant A's SCIM token reads and deactivates a user of tenant B by id", expected: 'HTTP 404 both',
      async run(w) {
        const made = await scimCall(w, w.b.scimToken, '/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `drill.b2.${Date.now()}@drill.invalid`, active: true } });
        const id = String(made.json.id ?? '');
        const read = await scimCall(w, w.a.scimToken, `/Users/${id}`);
        const off = await scimCall(w, w.a.scimToken, `/Users/${id}`, { method: 'PATCH', body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] } });
        return { pass: made.status === 201 && read.status === 404 && off.status === 404, observed: `read HTTP ${read.status}, deactivate HTTP ${off.status}` };
      },
    },
    {
      id: 'scim.token-at-v1', category: scim, covers: ['R-AUTHN-5'],
      title: 'the SCIM bearer token at /v1/patients', expected: 'HTTP 401',
      async run(w) {
        return expectStatus(await send(w.origin, '/v1/patients', { headers: { authorization: `Bearer ${w.a.scimToken}` } }), [401]);
      },
    },
    {
      id: 'scim.no-token', category: scim, covers: ['R-AUTHN-5'],
      title: 'SCIM without a token, and with a made-up one', expected: 'HTTP 401 both',
      async run(w) {
        const none = await send(w.origin, `${SCIM}/Users`);
        const fake = await scimCall(w, `${w.a.scimToken.slice(0, -4)}AAAA`, '/Users');
        return { pass: none.status === 401 && fake.status === 401, observed: `none HTTP ${none.status}, made-up HTTP ${fake.status}` };
      },
    },
    {
      id: 'scim.person-session', category: scim, covers: ['R-AUTHN-5', 'R-AUTHZ-5'],
      title: "an Owner's own session provisions a user over SCIM (only the SCIM client may)", expected: 'HTTP 401/403',
      async run(w) {
        return expectStatus(await w.people.owner.call(`${SCIM}/Users`, { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'drill.owner.scim@drill.invalid' } }), [401, 403]);
      },
    },
    {
      id: 'scim.group-named-owner', category: self, covers: ['R-AUTHN-5', 'R-AUTHZ-5'],
      title: 'the IdP pushes a group named "Owner" with a provisioned user in it', expected: 'the user holds no role (an unmapped group grants nothing)',
      async run(w) {
        const user = await scimCall(w, w.a.scimToken, '/Users', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `drill.grp.${Date.now()}@drill.invalid`, active: true } });
        const id = String(user.json.id ?? '');
        const group = await scimCall(w, w.a.scimToken, '/Groups', { method: 'POST', body: { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Owner', members: [{ value: id }] } });
        const roles = await w.operator(['member', 'list', '--tenant', w.a.slug]);
        const line = roles.out.split('\n').find((l) => l.includes(String(user.json.userName ?? '\u0000'))) ?? '';
        return { pass: user.status === 201 && (group.status === 201 || group.status === 409) && !/Owner/.test(line), observed: `user HTTP ${user.status}, group HTTP ${group.status}, member list: ${line.replace(/\S+@\S+/g, '<email>').trim() || 'not listed'}` };
      },
    },
  ];
}
