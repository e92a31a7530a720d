// bench:db's scoped point read and its pre-MAC baseline, shared with the callgrind harness
// (scope-instructions.ts) so that both measure the same statements (R-OPS-1; issues 12 and 31).
import { scopeLiteral } from '../src/db/scope-key.ts';
import type { DataScope, SystemDb } from '../src/db/types.ts';
import { generateDemo } from '../src/modules/demo/index.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';

export const READ = 'SELECT id, phi_scope, given_name_enc, family_name_enc, date_of_birth_enc FROM patients WHERE id = $1';

/** The pre-MAC baseline: a copy of patients under 0002's policy on the raw settings (before 0015's MAC). */
export const PRE_MAC_TABLE = `CREATE TABLE bench_patients_premac (LIKE patients INCLUDING ALL);
  INSERT INTO bench_patients_premac SELECT * FROM patients;
  ALTER TABLE bench_patients_premac ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
  CREATE POLICY tenant_and_scope ON bench_patients_premac
    USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid
           AND phi_scope = ANY (string_to_array(NULLIF(current_setting('ward.phi_scopes', true), ''), ',')));
  GRANT SELECT ON bench_patients_premac TO ward_app;
  ANALYZE bench_patients_premac`;
export const PRE_MAC_READ = READ.replace('FROM patients', 'FROM bench_patients_premac');

/** The pre-MAC read's BEGIN: the four raw settings as SET LOCALs, sent as today's scope is. */
export function preMacBegin([tenantId, phiScopes, actorId, actorKind]: readonly [string, string, string, string]): string {
  return `BEGIN; ${Object.entries({ tenant_id: tenantId, phi_scopes: phiScopes, actor_id: actorId, actor_kind: actorKind })
    .map(([k, v]) => `SET LOCAL ward.${k} = ${scopeLiteral(v)}`).join('; ')}`;
}

/** The demo seeded into `systemDb`; the first tenant's patients that the bench scope reads, and that scope. */
export async function seedBenchRead(systemDb: SystemDb): Promise<{ ids: string[]; scope: DataScope }> {
  const data = generateDemo(1);
  await seedDemo(systemDb, data);
  const tenant = data.tenants[0]!;
  return {
    ids: data.patients.filter((p) => p.tenantId === tenant.id && p.phiScope !== 'SUD-Part2').map((p) => p.id),
    scope: { tenantId: tenant.id, phiScopes: ['Healthcare-PHI', 'BehavioralHealth-PHI', 'Dental'], actorId: 'bench', actorKind: 'human' },
  };
}
