-- A case note's call is a call of the note's own patient, in the note's tenant and PHI scope
-- (R-AUTHZ-7, R-DATA-3). The composite foreign key makes any other combination impossible to write:
-- another tenant's call, a call in another scope, another patient's call, a call that does not
-- exist, or a call whose caller was never identified. A deleted call leaves the note without one.
ALTER TABLE calls ADD CONSTRAINT calls_tenant_id_patient_scope UNIQUE (tenant_id, id, patient_id, phi_scope);

ALTER TABLE case_notes ADD CONSTRAINT case_notes_call_of_patient
  FOREIGN KEY (tenant_id, call_id, patient_id, phi_scope) REFERENCES calls (tenant_id, id, patient_id, phi_scope)
  ON UPDATE CASCADE ON DELETE SET NULL (call_id);
