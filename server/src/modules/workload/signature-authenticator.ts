import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { WardError, type Authenticated, type ErrorCode, type TenantId } from '@ward/contracts';
import { createVerifier, httpbis } from 'http-message-signatures';
import { isInnerList, parseDictionary, type Dictionary, type InnerList } from 'structured-headers';
import { AUTH_LOOKUPS, type Db } from '../../db/types.ts';
import type { Clock } from '../../clock.ts';
import type { Authentication, Authenticator } from '../access/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { ProofError, type ReplayStore } from '../proof/index.ts';
import { contentDigestMatches } from './content-digest.ts';
import { SIGNATURE_CLOCK_SKEW_SECONDS, SIGNATURE_MAX_AGE_SECONDS, SIGNED_COMPONENTS, signatureAlgorithmOf, type SignatureAlgorithm } from './sign-request.ts';
import { readWorkload, workloadScope } from './workload-row.ts';

/**
 * The third link of the authentication chain (DESIGN.md step 1; R-WORK-4): a service-to-service
 * request signed with HTTP Message Signatures (RFC 9421) by a registered workload key, accepted on
 * `/v1/hooks/*` only. In order, each check refusing with its own code:
 *   1. the route is a hook (SIGNATURE_INVALID elsewhere: a signature is no credential for the API);
 *   2. one signature, whose covered components include `@method`, `@target-uri` and
 *      `content-digest`, with `keyid`, `created` and `nonce` (SIGNATURE_INVALID);
 *   3. `created` at most 60 s old and not ahead of Ward's clock by more than 5 s (SIGNATURE_EXPIRED);
 *   4. `keyid` (`<client_id>` or `<client_id>#<kid>`) names a key of a registered workload
 *      (SIGNATURE_KEY_UNKNOWN); the workload is active (WORKLOAD_DISABLED, audited);
 *   5. the body matches its Content-Digest, RFC 9530 (CONTENT_DIGEST_MISMATCH);
 *   6. the signature verifies over the signature base that http-message-signatures builds
 *      (SIGNATURE_INVALID; an `alg` other than the key's is refused too);
 *   7. `settle` spends the nonce in the request's transaction, in the replay store every server
 *      shares (SIGNATURE_REPLAYED).
 */
export interface SignatureAuthDeps {
  db: Db;
  audit: AuditLog;
  clock: Clock;
  replays: ReplayStore;
}

const HOOKS_PREFIX = '/v1/hooks/';
const KEYID = /^(wl_[A-Za-z0-9_-]{22})(?:#([A-Za-z0-9._-]{1,128}))?$/;
const NONCE = /^[A-Za-z0-9_\-+/=.]{16,128}$/;

function refusal(code: ErrorCode, detail: string, cause?: unknown): WardError {
  return new WardError(code, undefined, { detail: `http signature: ${detail}`, headers: { 'www-authenticate': 'Signature' }, ...(cause ? { cause } : {}) });
}

interface SignatureInput {
  label: string;
  components: string[];
  keyid: string;
  created: number;
  nonce: string;
  alg: string | null;
}

/** Step 2: the one signature's input, with the parameters Ward requires. */
function parseInput(headers: Record<string, string | string[] | undefined>): SignatureInput {
  const raw = headers['signature-input'];
  if (typeof raw !== 'string' || typeof headers.signature !== 'string' || raw.length > 2048 || headers.signature.length > 2048) throw refusal('SIGNATURE_INVALID', 'headers missing or too long');
  let inputs: Dictionary;
  let signatures: Dictionary;
  try {
    inputs = parseDictionary(raw);
    signatures = parseDictionary(headers.signature);
  } catch (e) {
    throw refusal('SIGNATURE_INVALID', 'headers do not parse', e);
  }
  if (inputs.size !== 1 || signatures.size !== 1) throw refusal('SIGNATURE_INVALID', 'not exactly one signature');
  const [[label, member]] = [...inputs.entries()] as [[string, InnerList | unknown]];
  if (!signatures.has(label) || !isInnerList(member as InnerList)) throw refusal('SIGNATURE_INVALID', 'signature and input do not pair');
  const [items, params] = member as InnerList;
  const components = items.map(([value, p]) => (typeof value === 'string' && p.size === 0 ? value : ''));
  if (!SIGNED_COMPONENTS.every((c) => components.includes(c))) throw refusal('SIGNATURE_INVALID', 'a required component is not covered');
  const keyid = params.get('keyid');
  const created = params.get('created');
  const nonce = params.get('nonce');
  const alg = params.get('alg');
  if (typeof keyid !== 'string' || typeof nonce !== 'string' || typeof created !== 'number' || !Number.isInteger(created)) throw refusal('SIGNATURE_INVALID', 'keyid, created or nonce missing');
  if (!NONCE.test(nonce)) throw refusal('SIGNATURE_INVALID', 'nonce is not 16 to 128 characters');
  if (alg !== undefined && typeof alg !== 'string') throw refusal('SIGNATURE_INVALID', 'alg is not a string');
  return { label, components, keyid, created, nonce, alg: alg ?? null };
}

export function createSignatureAuthenticator(deps: SignatureAuthDeps): Authenticator {
  // Imported public keys by (client_id, JWK), so that a busy hook does not re-import its key each time.
  const keyCache = new Map<string, KeyObject>();
  function publicKey(jwk: Record<string, unknown>): KeyObject {
    const id = JSON.stringify(jwk);
    let key = keyCache.get(id);
    if (!key) {
      key = createPublicKey({ key: jwk as never, format: 'jwk' });
      if (keyCache.size > 1000) keyCache.clear();
      keyCache.set(id, key);
    }
    return key;
  }

  async function authenticate(req: Parameters<Authenticator['authenticate']>[0]): Promise<Authentication> {
    const url = new URL(req.url);
    if (!url.pathname.startsWith(HOOKS_PREFIX)) throw refusal('SIGNATURE_INVALID', 'a signature is accepted on /v1/hooks/* only');
    const input = parseInput(req.headers);
    const now = deps.clock.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (nowSeconds - input.created > SIGNATURE_MAX_AGE_SECONDS || input.created - nowSeconds > SIGNATURE_CLOCK_SKEW_SECONDS) {
      throw refusal('SIGNATURE_EXPIRED', 'created is outside the window');
    }

    const keyid = KEYID.exec(input.keyid);
    if (!keyid) throw refusal('SIGNATURE_KEY_UNKNOWN', 'keyid is not <client_id>[#<kid>]');
    const clientId = keyid[1]!;
    const kid = keyid[2];
    const found = (await deps.db.authLookup<{ tenant_id: string; workload_id: string }>(AUTH_LOOKUPS.workload, [clientId]))[0];
    if (!found) throw refusal('SIGNATURE_KEY_UNKNOWN', 'no such workload');
    const tenantId = found.tenant_id as TenantId;
    const w = await deps.db.scoped(workloadScope(tenantId, { id: found.workload_id, kind: 'service' }), (tx) => readWorkload(tx, clientId, null));
    if (!w) throw refusal('SIGNATURE_KEY_UNKNOWN', 'no such workload');
    const jwks = w.jwks.keys;
    const jwk = kid === undefined ? (jwks.length === 1 ? jwks[0] : undefined) : jwks.find((k) => k.kid === kid);
    const alg: SignatureAlgorithm | null = jwk ? signatureAlgorithmOf(jwk) : null;
    if (!jwk || !alg) throw refusal('SIGNATURE_KEY_UNKNOWN', 'the workload has no such key');
    if (w.status !== 'active') {
      // R-AUDIT-1: the refusal of a known workload is recorded in its tenant.
      await deps.db.scoped(workloadScope(tenantId, w), (tx) => deps.audit.append(tx, {
        tenantId, actorKind: w.kind, actorId: w.id, sourceIp: req.sourceIp, action: 'workload.request.refused', targetType: 'workload', targetId: w.id,
        outcome: 'denied', reasons: ['workload_disabled'], metadata: { credential: 'signature' },
      }));
      throw refusal('WORKLOAD_DISABLED', 'the workload is disabled');
    }
    if (input.alg !== null && input.alg !== alg) throw refusal('SIGNATURE_INVALID', 'alg is not the key\'s');

    // RFC 9530: the body is what was digested; a body the route did not keep cannot be checked (fail closed).
    if (!req.body) throw refusal('SIGNATURE_INVALID', 'the route keeps no body');
    if (!contentDigestMatches(req.headers['content-digest'], req.body)) throw refusal('CONTENT_DIGEST_MISMATCH', 'the body does not match');

    let verified: boolean | null;
    try {
      const verify = createVerifier(publicKey(jwk), alg);
      verified = await httpbis.verifyMessage({
        keyLookup: async () => ({ id: input.keyid, algs: [alg], verify }),
        requiredParams: ['created', 'keyid', 'nonce'],
        requiredFields: [...SIGNED_COMPONENTS],
        // Freshness was decided above with Ward's clock; the library's own clock is not consulted.
        notAfter: Number.MAX_SAFE_INTEGER,
      }, { method: req.method, url: req.url, headers: definedHeaders(req.headers) });
    } catch (e) {
      throw refusal('SIGNATURE_INVALID', 'verification failed', e);
    }
    if (verified !== true) throw refusal('SIGNATURE_INVALID', 'the signature does not verify');

    const created = new Date(input.created * 1000);
    const usableUntil = new Date((input.created + SIGNATURE_MAX_AGE_SECONDS + SIGNATURE_CLOCK_SKEW_SECONDS) * 1000);
    const authenticated: Authenticated = {
      principal: { kind: w.kind, id: w.id, tenantId, roles: [w.role], phiScopes: w.scopes },
      credential: { kind: 'signature', id: input.nonce, authMethod: 'http_signature', amr: ['pop'], mfa: false, lastVerifiedAt: created, expiresAt: usableUntil, keyid: input.keyid },
    };
    const replayKey = createHash('sha256').update(`rfc9421:${clientId}:${input.nonce}`).digest();
    return {
      authenticated,
      async settle(tx) {
        try {
          await deps.replays.spend(tx, { replayKey, usableUntil }, now);
        } catch (e) {
          throw e instanceof ProofError ? refusal('SIGNATURE_REPLAYED', 'the nonce was used before', e) : e;
        }
      },
    };
  }

  return {
    credential: 'signature',
    presents: (req) => req.headers['signature-input'] !== undefined || req.headers.signature !== undefined,
    authenticate,
  };
}

function definedHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = v;
  return out;
}
