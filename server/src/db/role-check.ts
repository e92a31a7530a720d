import { WardError } from '@ward/contracts';
import type { Db } from './types.ts';

/**
 * At start the server checks the database role it will serve as (R-AUTHZ-7) and refuses to serve
 * when that role is, or belongs to (transitively, `pg_has_role … MEMBER`, so NOINHERIT does not hide
 * a membership that SET ROLE could use), a role that could read or write past row-level security:
 * a superuser, a BYPASSRLS or CREATEROLE role, the owner of a table or of a SECURITY DEFINER
 * function (ward_owner, ward_definer: their rights are what the definer functions confine),
 * pg_read_all_data, pg_write_all_data or a pg_*_server_* role. It also refuses a role that may
 * create objects in the schema.
 */
const ROLE_FACTS = `SELECT current_user AS name,
    has_schema_privilege(current_user, 'public', 'CREATE') AS can_create,
    COALESCE((SELECT json_agg(json_build_object('role', r.rolname, 'reasons', x.reasons) ORDER BY r.rolname <> current_user, r.rolname)
       FROM pg_roles r
       CROSS JOIN LATERAL (SELECT array_remove(ARRAY[
           CASE WHEN r.rolsuper THEN 'superuser' END,
           CASE WHEN r.rolbypassrls THEN 'bypassrls' END,
           CASE WHEN r.rolcreaterole THEN 'createrole' END,
           CASE WHEN r.rolname IN ('pg_read_all_data', 'pg_write_all_data') OR r.rolname LIKE 'pg\\_%\\_server\\_%' THEN 'predefined' END,
           CASE WHEN EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE c.relowner = r.oid AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                                AND c.relkind IN ('r', 'p', 'v', 'm', 'f')) THEN 'owner' END,
           CASE WHEN EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                              WHERE p.proowner = r.oid AND p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')) THEN 'definer' END
         ], NULL) AS reasons) x
      WHERE pg_has_role(current_user, r.oid, 'MEMBER') AND cardinality(x.reasons) > 0), '[]'::json) AS unsafe
  FROM pg_roles WHERE rolname = current_user`;

export interface RoleFacts {
  name: string;
  can_create: boolean;
  /** The role itself and every role it belongs to that makes it unsafe, with why. */
  unsafe: Array<{ role: string; reasons: Array<'superuser' | 'bypassrls' | 'createrole' | 'predefined' | 'owner' | 'definer'> }>;
}

// A scope naming no real tenant: the check reads only catalog facts.
const NO_TENANT = { tenantId: '00000000-0000-0000-0000-000000000000', phiScopes: [], actorId: 'system:role-check', actorKind: 'system' } as const;

export async function appRoleFacts(db: Db): Promise<RoleFacts> {
  return db.scoped(NO_TENANT, async (tx) => (await tx.query<RoleFacts>(ROLE_FACTS)).rows[0]!);
}

const WHAT = {
  superuser: 'a superuser',
  bypassrls: 'a role with BYPASSRLS',
  createrole: 'a role with CREATEROLE',
  predefined: 'a predefined role that reads or writes past row-level security',
  owner: 'the owner of tables',
  definer: 'the owner of SECURITY DEFINER functions',
} as const;

export function unsafeRoleReasons(facts: RoleFacts): string[] {
  const reasons: string[] = [];
  for (const { role, reasons: why } of facts.unsafe) {
    // A superuser is a member of every role: naming them all would bury the one reason that matters.
    if (role === facts.name && why.includes('superuser')) return ['is a superuser'];
    const what = why.map((w) => WHAT[w]).join(' and ');
    reasons.push(role === facts.name ? `is ${what}` : `belongs to ${role} (${what})`);
  }
  if (facts.can_create) reasons.push('may CREATE in the schema');
  return reasons;
}

/** Throws DB_UNSAFE_ROLE, naming the role and each unsafe membership, unless the role is safe to serve with. */
export async function assertSafeAppRole(db: Db, appUrl?: string): Promise<void> {
  const facts = await appRoleFacts(db);
  const reasons = unsafeRoleReasons(facts);
  if (reasons.length === 0) return;
  let hint = '';
  if (appUrl) {
    const suggested = new URL(appUrl);
    suggested.username = 'ward_app';
    suggested.password = '';
    const given = new URL(appUrl);
    given.password = given.password ? '***' : '';
    hint =
      ` Give two URLs: WARD_MIGRATION_DATABASE_URL=${given.href} (the owner, for migrations and seeding)` +
      ` and WARD_DATABASE_URL=${suggested.href} (the application role, created by \`ward migrate\`).`;
  }
  throw new WardError('DB_UNSAFE_ROLE', `Refusing to serve: the database role ${facts.name} ${reasons.join(', ')}.${hint}`);
}
