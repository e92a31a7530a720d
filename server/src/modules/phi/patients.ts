/**
 * Patients (R-DATA-1, R-DATA-3): run inside `db.scoped` after an allowing decision. Row-level
 * security decides which rows exist; these functions decrypt only the fields asked for, because
 * each costs an AES-GCM operation and minimum necessary is the default (DESIGN.md step 4).
 */
import { WardError, type PhiScope, type TenantId } from '@ward/contracts';
import type { Tx } from '../../db/types.ts';
import type { FieldCipher } from '../crypto/index.ts';
import { PATIENT_LOOKUPS, PATIENT_PHI_COLUMNS, PATIENT_PHI_FIELDS, patientRef, type PatientLookup, type PatientPhiField } from './fields.ts';
import type { Patient, PatientSummary, ResourceAttributes } from './types.ts';

interface PatientRow {
  id: string;
  tenant_id: string;
  phi_scope: PhiScope;
  sex: PatientSummary['sex'];
  state: string | null;
  created_at: Date;
  [column: string]: unknown;
}

// One statement, every column: the unrequested ciphertexts ride along undecrypted (a few hundred
// bytes), which is cheaper than one statement per field combination and keeps SQL static.
const SELECT_PATIENT = `SELECT id, tenant_id, phi_scope, sex, state, created_at, mrn_enc, member_number_enc, given_name_enc,
  family_name_enc, date_of_birth_enc, phone_enc, email_enc, address_line_enc, city_enc, zip_enc, ssn_enc
  FROM patients WHERE tenant_id = $1 AND id = $2`;

const summary = (r: Readonly<PatientRow>): PatientSummary => ({
  id: r.id, tenantId: r.tenant_id, phiScope: r.phi_scope, sex: r.sex, state: r.state, createdAt: new Date(r.created_at),
});

function checkFields(fields: readonly PatientPhiField[]): void {
  for (const f of fields) if (!PATIENT_PHI_FIELDS.includes(f)) throw new WardError('BAD_REQUEST', 'Unknown patient field requested.');
}

async function decryptPatient(cipher: FieldCipher, tenantId: TenantId, row: Readonly<PatientRow>, fields: readonly PatientPhiField[]): Promise<Patient> {
  const out: Patient = summary(row);
  for (const field of fields) {
    const ct = row[PATIENT_PHI_COLUMNS[field]];
    out[field] = ct == null ? null : await cipher.decryptPlaintextString(tenantId, patientRef(row.id, field), Buffer.from(ct as Uint8Array));
  }
  return out;
}

export interface PatientFieldsOption {
  /** The PHI fields the response carries; nothing else is decrypted. Default: none. */
  fields?: readonly PatientPhiField[];
}

/** One patient, or null when row-level security hides it (the caller answers 404). */
export async function getPatient(tx: Tx, cipher: FieldCipher, tenantId: TenantId, id: string, opts: PatientFieldsOption = {}): Promise<Patient | null> {
  const fields = opts.fields ?? [];
  checkFields(fields);
  const { rows } = await tx.query<PatientRow>(SELECT_PATIENT, [tenantId, id]);
  return rows[0] ? decryptPatient(cipher, tenantId, rows[0], fields) : null;
}

/** A patient's row as stored, every PHI field still encrypted; only `openPatient` decrypts any of it. */
export interface SealedPatient {
  /** What the policy decision reads (DESIGN.md step 3): type, id, tenant and PHI scope. */
  readonly attributes: ResourceAttributes;
  readonly row: Readonly<PatientRow>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One patient for the enforcement point's load step, decrypting nothing: its decision attributes and
 * its sealed fields, in one statement, so that the decision and the answer come from the same row
 * version and the handler needs no second read (R-OPS-1). Null when row-level security hides it.
 */
export async function loadSealedPatient(tx: Tx, tenantId: TenantId, id: string): Promise<SealedPatient | null> {
  if (!UUID.test(id)) return null; // not an id this tenant could have: 404, not a database error
  const { rows } = await tx.query<PatientRow>(SELECT_PATIENT, [tenantId, id]);
  const row = rows[0];
  return row ? { attributes: { type: 'Patient', id: row.id, tenant: row.tenant_id, phiScope: row.phi_scope }, row } : null;
}

/** The fields asked for of a sealed patient, decrypted: only after an allowing decision (R-DATA-3). */
export async function openPatient(cipher: FieldCipher, tenantId: TenantId, sealed: SealedPatient, opts: PatientFieldsOption = {}): Promise<Patient> {
  const fields = opts.fields ?? [];
  checkFields(fields);
  return decryptPatient(cipher, tenantId, sealed.row, fields);
}

export type PatientLookupQuery = { [K in PatientLookup]: { [P in K]: string } }[PatientLookup];

// Static statements, one per lookup column (no SQL is assembled at run time).
const LOOKUP_SQL: Record<PatientLookup, string> = {
  mrn: `SELECT id, tenant_id, phi_scope, sex, state, created_at, mrn_enc, member_number_enc, given_name_enc,
  family_name_enc, date_of_birth_enc, phone_enc, email_enc, address_line_enc, city_enc, zip_enc, ssn_enc
  FROM patients WHERE tenant_id = $1 AND mrn_bidx = ANY ($2::bytea[]) ORDER BY created_at, id LIMIT 20`,
  phone: `SELECT id, tenant_id, phi_scope, sex, state, created_at, mrn_enc, member_number_enc, given_name_enc,
  family_name_enc, date_of_birth_enc, phone_enc, email_enc, address_line_enc, city_enc, zip_enc, ssn_enc
  FROM patients WHERE tenant_id = $1 AND phone_bidx = ANY ($2::bytea[]) ORDER BY created_at, id LIMIT 20`,
  memberNumber: `SELECT id, tenant_id, phi_scope, sex, state, created_at, mrn_enc, member_number_enc, given_name_enc,
  family_name_enc, date_of_birth_enc, phone_enc, email_enc, address_line_enc, city_enc, zip_enc, ssn_enc
  FROM patients WHERE tenant_id = $1 AND member_number_bidx = ANY ($2::bytea[]) ORDER BY created_at, id LIMIT 20`,
};

/**
 * Exact-match lookup through a blind index (the agent's screen pop: the caller's phone, an MRN or a
 * member number). At most 20 matches, oldest first. An unparseable value fails with
 * LOOKUP_VALUE_INVALID, whose message never repeats the value (R-DATA-4).
 */
export async function findPatientsByLookup(
  tx: Tx,
  cipher: FieldCipher,
  tenantId: TenantId,
  query: PatientLookupQuery,
  opts: PatientFieldsOption = {},
): Promise<Patient[]> {
  const entries = Object.entries(query) as [PatientLookup, string][];
  if (entries.length !== 1 || !(entries[0]![0] in PATIENT_LOOKUPS)) throw new WardError('BAD_REQUEST', 'Give exactly one of mrn, phone or memberNumber.');
  const [lookup, value] = entries[0]!;
  if (typeof value !== 'string') throw new WardError('BAD_REQUEST', 'The lookup value must be a string.');
  const fields = opts.fields ?? [];
  checkFields(fields);
  // During an index-key rotation both the active and the retiring index match.
  const candidates = await cipher.blindIndexCandidates(tenantId, PATIENT_LOOKUPS[lookup].field, value);
  const { rows } = await tx.query<PatientRow>(LOOKUP_SQL[lookup], [tenantId, candidates]);
  return Promise.all(rows.map((r) => decryptPatient(cipher, tenantId, r, fields)));
}

export interface ListPatientsOptions {
  /** Page size, 1–200 (default 50). */
  limit?: number;
  /** The last id of the previous page (keyset pagination, ordered by id). */
  after?: string;
  /** Decrypt the given and family names (masked list by default: no PHI at all). */
  includeNames?: boolean;
}

const LIST_SQL = `SELECT id, tenant_id, phi_scope, sex, state, created_at, given_name_enc, family_name_enc
  FROM patients WHERE tenant_id = $1 AND id > $2::uuid ORDER BY id LIMIT $3`;

/** A page of the patients visible in this transaction: ids, scope and non-PHI attributes. */
export async function listPatients(tx: Tx, cipher: FieldCipher, tenantId: TenantId, opts: ListPatientsOptions = {}): Promise<Patient[]> {
  const limit = opts.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new WardError('BAD_REQUEST', 'The page size must be between 1 and 200.');
  const { rows } = await tx.query<PatientRow>(LIST_SQL, [tenantId, opts.after ?? '00000000-0000-0000-0000-000000000000', limit]);
  const fields: PatientPhiField[] = opts.includeNames ? ['givenName', 'familyName'] : [];
  return Promise.all(rows.map((r) => decryptPatient(cipher, tenantId, r, fields)));
}
