/**
 * SIEM export in a standard schema (R-AUDIT-4): an audit event as an OCSF 1.3 record, class 3002
 * Authentication for `auth.*` / `session.*` actions and class 6003 API Activity for everything else.
 * The justification text is never exported (R-DATA-4): only whether one was given. Events carry
 * identifiers, not PHI values (contracts/src/audit.ts), so the record carries none either.
 */
import type { SealableEvent, SealedEvent, JsonValue } from './event.ts';
import { toBase64Url } from './hashes.ts';

export const OCSF_VERSION = '1.3.0';

export interface OcsfRecord {
  class_uid: 3002 | 6003;
  class_name: 'Authentication' | 'API Activity';
  category_uid: 3 | 6;
  category_name: 'Identity & Access Management' | 'Application Activity';
  activity_id: number;
  activity_name: string;
  type_uid: number;
  time: number;
  time_dt: string;
  severity_id: number;
  status_id: 1 | 2;
  status: 'Success' | 'Failure';
  status_detail: string;
  message: string;
  metadata: {
    version: string;
    uid: string;
    sequence: number;
    tenant_uid: string;
    log_name: 'audit';
    product: { name: 'Ward'; vendor_name: 'Ward' };
  };
  actor: {
    user: { uid: string; type: string; type_id: number };
    session?: { uid: string };
  };
  src_endpoint?: { ip: string };
  device?: { uid: string };
  api?: { operation: string };
  resources?: Array<{ type: string | null; uid: string }>;
  user?: { uid: string };
  unmapped: {
    ward: {
      actor_kind: string;
      on_behalf_of: string | null;
      decision: 'allow' | 'deny' | null;
      policy_ids: string[];
      reasons: string[];
      phi_scope: string | null;
      purpose: string | null;
      has_justification: boolean;
      outcome: string;
      metadata: { [key: string]: JsonValue } | null;
      /** Sealed records only (`toOcsfSealed`): the event's place in the chain. */
      seq?: number;
      leaf_hash?: string;
      chain_hash?: string;
    };
  };
}

/** OCSF user.type_id: 1 User, 3 System, 99 Other (AI agents and services are named in `type`). */
const USER_TYPE_ID: Record<string, number> = { human: 1, system: 3 };

function authenticationActivity(action: string): [number, string] {
  if (/(logout|logoff|sign-?out|revoke)/.test(action)) return [2, 'Logoff'];
  if (/(login|logon|sign-?in|authenticate|passkey|oidc|assert)/.test(action)) return [1, 'Logon'];
  return [99, 'Other'];
}

function apiActivity(action: string): [number, string] {
  const verb = action.slice(action.lastIndexOf('.') + 1);
  if (/^(create|add|write|register|request|grant|enroll)/.test(verb)) return [1, 'Create'];
  if (/^(view|read|list|get|listen|search|export|summari[sz]e|download)/.test(verb)) return [2, 'Read'];
  if (/^(update|approve|reject|rotate|change|set|edit|attest|disable|enable)/.test(verb)) return [3, 'Update'];
  if (/^(delete|remove|destroy|purge|shred)/.test(verb)) return [4, 'Delete'];
  return [99, 'Other'];
}

/** Epoch milliseconds of the database's timestamp text (ISO 8601 or PostgreSQL's `YYYY-MM-DD hh:mm:ss.ffffff+00`). */
export function epochMillis(text: string): number {
  const direct = Date.parse(text);
  if (!Number.isNaN(direct)) return direct;
  const iso = text.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00').replace(/(\.\d{3})\d+/, '$1');
  const parsed = Date.parse(iso);
  return Number.isNaN(parsed) ? 0 : parsed;
}

export function toOcsf(event: SealableEvent): OcsfRecord {
  const isAuthentication = /^(auth|session)\./.test(event.action);
  const [activityId, activityName] = isAuthentication ? authenticationActivity(event.action) : apiActivity(event.action);
  const classUid = isAuthentication ? 3002 : 6003;
  const isSuccess = event.outcome === 'success';
  const record: OcsfRecord = {
    class_uid: classUid,
    class_name: isAuthentication ? 'Authentication' : 'API Activity',
    category_uid: isAuthentication ? 3 : 6,
    category_name: isAuthentication ? 'Identity & Access Management' : 'Application Activity',
    activity_id: activityId,
    activity_name: activityName,
    type_uid: classUid * 100 + activityId,
    time: epochMillis(event.occurredAt),
    time_dt: event.occurredAt,
    // Denials and failures are worth a look (R-MON-1); successes are informational.
    severity_id: isSuccess ? 1 : 3,
    status_id: isSuccess ? 1 : 2,
    status: isSuccess ? 'Success' : 'Failure',
    status_detail: event.outcome,
    message: `${event.action} ${event.outcome}`,
    metadata: {
      version: OCSF_VERSION,
      uid: event.id,
      sequence: event.seq,
      tenant_uid: event.tenantId,
      log_name: 'audit',
      product: { name: 'Ward', vendor_name: 'Ward' },
    },
    actor: { user: { uid: event.actorId, type: event.actorKind, type_id: USER_TYPE_ID[event.actorKind] ?? 99 } },
    unmapped: {
      ward: {
        actor_kind: event.actorKind,
        on_behalf_of: event.onBehalfOf,
        decision: event.decision,
        policy_ids: [...event.policyIds],
        reasons: [...event.reasons],
        phi_scope: event.phiScope,
        purpose: event.purpose,
        // R-AUTHZ-4 is evidenced by the fact of a justification; its text stays encrypted in Ward.
        has_justification: event.justificationEnc !== null,
        outcome: event.outcome,
        metadata: event.metadata,
      },
    },
  };
  if (event.sessionId !== null) record.actor.session = { uid: event.sessionId };
  if (event.sourceIp !== null) record.src_endpoint = { ip: event.sourceIp };
  if (event.deviceId !== null) record.device = { uid: event.deviceId };
  if (isAuthentication) {
    record.user = { uid: event.onBehalfOf ?? event.actorId };
  } else {
    record.api = { operation: event.action };
    if (event.targetId !== null) record.resources = [{ type: event.targetType, uid: event.targetId }];
  }
  return record;
}

/**
 * A sealed event's OCSF record with its seq, leaf and chain hashes under `unmapped.ward`, so that a
 * SIEM's record can be matched to the verifiable bundle (R-AUDIT-4): `ward audit export --format
 * ocsf` and the SIEM stream.
 */
export function toOcsfSealed(event: SealedEvent): OcsfRecord {
  const record = toOcsf(event);
  record.unmapped.ward = { ...record.unmapped.ward, seq: event.seq, leaf_hash: toBase64Url(event.leafHash), chain_hash: toBase64Url(event.chainHash) };
  return record;
}
