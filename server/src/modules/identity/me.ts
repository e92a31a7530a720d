import type { Tx } from '../../db/types.ts';

/** What `GET /v1/me` adds to the authenticated session: the member's e-mail and tenant. */
export async function describeMember(tx: Tx, memberId: string): Promise<{ email: string; tenant: { id: string; slug: string; name: string } } | null> {
  const { rows } = await tx.query<{ email: string; tenant_id: string; slug: string; name: string }>(
    'SELECT m.email, t.id AS tenant_id, t.slug, t.name FROM members m JOIN tenants t ON t.id = m.tenant_id WHERE m.id = $1', [memberId]);
  const r = rows[0];
  return r ? { email: r.email, tenant: { id: r.tenant_id, slug: r.slug, name: r.name } } : null;
}
