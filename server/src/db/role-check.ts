import { WardError } from '@ward/contracts';
import type { Db } from './types.ts';

/**
 * At start the server checks the database role it will serve as (R-AUTHZ-7) and refuses to serve
 * when it is a superuser, has BYPASSRLS, owns a table, or is a member of the owner role.
 */
const ROLE_FACTS = `SELECT current_user AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
    (SELECT count(*)::int FROM pg_class c WHERE c.relowner = r.oid AND c.relnamespace = 'public'::regnamespace) AS owned,
    EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles o ON o.oid = m.roleid
             WHERE m.member = r.oid AND o.rolname = 'ward_owner') AS owner_member,
    has_schema_privilege(r.oid, 'public', 'CREATE') AS can_create
  FROM pg_roles r WHERE r.rolname = current_user`;

export interface RoleFacts {
  name: string;
  superuser: boolean;
  bypassrls: boolean;
  owned: number;
  owner_member: boolean;
  can_create: boolean;
}

// A scope naming no real tenant: the check reads only catalog facts.
const NO_TENANT = { tenantId: '00000000-0000-0000-0000-000000000000', phiScopes: [], actorId: 'system:role-check', actorKind: 'system' } as const;

export async function appRoleFacts(db: Db): Promise<RoleFacts> {
  return db.scoped(NO_TENANT, async (tx) => (await tx.query<RoleFacts>(ROLE_FACTS)).rows[0]!);
}

export function unsafeRoleReasons(facts: RoleFacts): string[] {
  const reasons: string[] = [];
  if (facts.superuser) reasons.push('is a superuser');
  if (facts.bypassrls) reasons.push('has BYPASSRLS');
  if (facts.owned > 0) reasons.push(`owns ${facts.owned} relation(s)`);
  if (facts.owner_member) reasons.push('is a member of ward_owner');
  if (facts.can_create) reasons.push('may CREATE in the schema');
  return reasons;
}

/** Throws DB_UNSAFE_ROLE unless the role is safe to serve with. */
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
