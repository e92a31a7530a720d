import assert from 'node:assert/strict';
import type { PhiScope } from '@ward/contracts';
import type { Tx } from '../../src/db/types.ts';

/**
 * Minimal rows for storage and enforcement tests, written with owner rights. Columns holding PHI
 * are filled with fixed placeholders: these tests are about who may reach a row, not what it says.
 * (The one place to change when the PHI columns change.)
 */
export async function insertTenant(tx: Tx, id: string, slug: string): Promise<void> {
  await tx.query('INSERT INTO tenants (id, slug, name) VALUES ($1, $2, $3)', [id, slug, slug]);
}

export async function insertMember(tx: Tx, m: { id: string; tenantId: string; email: string; roles: string[]; scopes: PhiScope[] }): Promise<void> {
  await tx.query("INSERT INTO members (id, tenant_id, email, display_name, status) VALUES ($1, $2, $3, 'Member', 'active')", [m.id, m.tenantId, m.email]);
  for (const role of m.roles) await tx.query('INSERT INTO member_roles (tenant_id, member_id, role) VALUES ($1, $2, $3)', [m.tenantId, m.id, role]);
  for (const scope of m.scopes) await tx.query('INSERT INTO member_phi_scopes (tenant_id, member_id, phi_scope) VALUES ($1, $2, $3)', [m.tenantId, m.id, scope]);
}

/** Ciphertext columns get opaque placeholder bytes; blind indexes 36 bytes (version + HMAC). */
const PLACEHOLDER = Buffer.from('not-a-real-ciphertext');
const placeholderIndex = (seed: string) => Buffer.concat([Buffer.alloc(4), Buffer.from(seed.padEnd(32, '.').slice(0, 32))]);

export async function insertPatient(tx: Tx, p: { id: string; tenantId: string; phiScope: PhiScope; mrn: string; sex?: 'F' | 'M' | 'X' }): Promise<void> {
  await tx.query(
    `INSERT INTO patients (id, tenant_id, phi_scope, sex, mrn_enc, given_name_enc, family_name_enc, date_of_birth_enc, mrn_bidx)
     VALUES ($1, $2, $3, $4, $5, $5, $5, $5, $6)`,
    [p.id, p.tenantId, p.phiScope, p.sex ?? 'X', PLACEHOLDER, placeholderIndex(p.mrn)],
  );
}

/** Expects the statement to fail inside its own savepoint (leaving the transaction usable); returns the SQLSTATE. */
export async function refused(tx: Tx, sql: string, params: unknown[] = []): Promise<string> {
  await tx.query('SAVEPOINT attempt');
  try {
    await tx.query(sql, params);
  } catch (e) {
    await tx.query('ROLLBACK TO SAVEPOINT attempt');
    return String((e as { code?: string }).code ?? 'error');
  }
  await tx.query('ROLLBACK TO SAVEPOINT attempt');
  return assert.fail(`statement was not refused: ${sql}`);
}
