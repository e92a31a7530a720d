/**
 * Many signed-in people for sustained load (`npm run soak`): contact-center Agents of a demo tenant,
 * one browser session each, each with its own passkey, so that a person can re-verify when the server
 * asks for a step-up (R-SESS-3) exactly as the dashboard does (web/src/api.ts): on 403
 * STEP_UP_REQUIRED, `POST /v1/auth/step-up/options`, a passkey assertion with user verification,
 * `POST /v1/auth/step-up/verify`, then the request once more.
 *
 * The members, their role and scope grants and their passkey rows are written by the database owner
 * (as `ward demo seed` writes the demo's); the session is a real session row bound to a real device
 * key (session-client.ts). The step-up itself is the real ceremony over HTTP: the server checks the
 * challenge, the origin, the RP ID, the user-verification flag, the signature and the counter.
 * Each person's requests leave from their own loopback address (127.0.0.2 and up, `localAddress`),
 * as people sit at different machines: the per-address ceremony limit (R-AUTHN-1) then counts each
 * workstation, not the whole floor.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { softPasskey, type SoftPasskey } from '../../../src/drill/authenticator.ts';
import type { TestSession } from '../session-client.ts';
import type { Deployment } from './deployment.ts';

export interface Person {
  email: string;
  session: TestSession;
  passkey: SoftPasskey;
  /** The loopback address this person's requests leave from. */
  localAddress: string;
  /** A step-up under way for this session (one at a time: the passkey's counter must rise in order). */
  steppingUp?: Promise<void>;
  /** When (performance.now()) this person's last step-up finished. */
  verifiedAt?: number;
}

export interface Answer {
  status: number;
  /** The problem's `code` when the answer is an error with a JSON body. */
  code?: string;
  body: string;
}

/** How many loopback addresses the people spread over. */
export const WORKSTATIONS = 64;

/** The user handle a relying party gives a member (identity/ceremony.ts userHandleOf), base64url. */
const userHandleOf = (memberId: string) => Buffer.from(memberId.replace(/-/g, ''), 'hex').toString('base64url');

/**
 * Creates `count` Agents `<prefix>.<n>@<tenant>.test` holding `scope`, each with a passkey, and signs
 * each in once. Returns them in order.
 */
export async function provisionPeople(deployment: Deployment, opts: { count: number; tenantSlug: string; scope: string; prefix: string }): Promise<Person[]> {
  const owner = new pg.Client({ connectionString: deployment.where.ownerUrl });
  await owner.connect();
  const made: { id: string; email: string; tenant_id: string }[] = [];
  try {
    await owner.query('BEGIN');
    const { rows: tenant } = await owner.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [opts.tenantSlug]);
    if (!tenant[0]) throw new Error(`no tenant ${opts.tenantSlug}`);
    const tenantId = tenant[0].id;
    const { rows } = await owner.query<{ id: string; email: string; tenant_id: string }>(
      `INSERT INTO members (tenant_id, email, display_name, status)
       SELECT $1, $2 || '.' || n || '@' || $3 || '.test', 'Load Agent ' || n, 'active' FROM generate_series(1, $4::int) AS n
       RETURNING id, email, tenant_id`,
      [tenantId, opts.prefix, opts.tenantSlug, opts.count]);
    const ids = rows.map((r) => r.id);
    await owner.query("INSERT INTO member_roles (tenant_id, member_id, role) SELECT $1, unnest($2::uuid[]), 'Agent'", [tenantId, ids]);
    await owner.query('INSERT INTO member_phi_scopes (tenant_id, member_id, phi_scope) SELECT $1, unnest($2::uuid[]), $3', [tenantId, ids, opts.scope]);
    await owner.query('COMMIT');
    made.push(...rows.sort((a, b) => a.email.localeCompare(b.email, 'en', { numeric: true })));
  } catch (e) {
    await owner.query('ROLLBACK').catch(() => {});
    await owner.end().catch(() => {});
    throw e;
  }
  const people: Person[] = [];
  try {
    for (let i = 0; i < made.length; i += 1) {
      const m = made[i]!;
      const session = await deployment.signIn(m.email);
      const origin = (await session.headers('GET', '/')).origin!;
      const passkey = softPasskey(origin, { userHandle: userHandleOf(m.id) });
      await owner.query(
        `INSERT INTO passkey_credentials (tenant_id, member_id, credential_id, public_key, transports, name)
         VALUES ($1, $2, $3, $4, '{internal}', 'load test passkey')`,
        [m.tenant_id, m.id, passkey.credentialId, passkey.publicKeyCose]);
      people.push({ email: m.email, session, passkey, localAddress: `127.0.0.${2 + (i % WORKSTATIONS)}` });
    }
  } finally {
    await owner.end().catch(() => {});
  }
  return people;
}

/** One HTTP exchange from a person's workstation; the body is kept (up to 4 KiB) only for answers that are not 2xx. */
export function call(agent: http.Agent, baseUrl: URL, localAddress: string, req: { method: string; path: string; headers: Record<string, string>; body?: string }, keepBody = false): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const r = http.request({ agent, host: baseUrl.hostname, port: baseUrl.port, localAddress, method: req.method, path: req.path, headers: req.headers, timeout: 30_000 }, (res) => {
      const status = res.statusCode ?? 0;
      const keep = keepBody || status < 200 || status > 299;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (keep && body.length < 4096) body += d;
      });
      res.on('end', () => {
        let code: string | undefined;
        if (status >= 400) {
          try {
            const c = (JSON.parse(body) as { code?: unknown }).code;
            if (typeof c === 'string' && /^[A-Z0-9_]{1,64}$/.test(c)) code = c;
          } catch {
            /* no JSON problem body */
          }
        }
        resolve({ status, code, body });
      });
      res.on('error', reject);
    });
    r.on('timeout', () => r.destroy(new Error('timed out')));
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * The step-up ceremony, as the dashboard runs it (web/src/api.ts stepUp): options, a passkey
 * assertion with user verification, verify. `askedAt` is when the refused request was sent: a
 * step-up finished since then (or under way) serves it, and no second ceremony runs (one at a time
 * per person: the passkey's counter must rise in order). Resolves with the ceremony's milliseconds,
 * or null when another one served; rejects with the refusal.
 */
export async function stepUp(person: Person, agent: http.Agent, baseUrl: URL, askedAt: number): Promise<number | null> {
  if (person.steppingUp) {
    await person.steppingUp;
    return null;
  }
  if ((person.verifiedAt ?? -Infinity) > askedAt) return null;
  const started = performance.now();
  const post = async (path: string, body: unknown) => {
    const headers = { ...(await person.session.headers('POST', path)), 'content-type': 'application/json' };
    return call(agent, baseUrl, person.localAddress, { method: 'POST', path, headers, body: JSON.stringify(body) }, true);
  };
  const run = async () => {
    const options = await post('/v1/auth/step-up/options', {});
    if (options.status !== 200) throw new Error(`step-up options: ${options.status} ${options.code ?? ''}`.trim());
    const verified = await post('/v1/auth/step-up/verify', { response: person.passkey.assert(JSON.parse(options.body) as never) });
    if (verified.status !== 200) throw new Error(`step-up verify: ${verified.status} ${verified.code ?? ''}`.trim());
    person.verifiedAt = performance.now();
  };
  const p = run();
  person.steppingUp = p.then(() => {}, () => {}).finally(() => {
    person.steppingUp = undefined;
  });
  await p;
  return performance.now() - started;
}
