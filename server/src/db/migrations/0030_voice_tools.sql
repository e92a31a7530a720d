-- The voice agent's tools over MCP (R-AI-6): appointments, callbacks and caller verification per
-- call. Each table is PHI-scoped like the call or patient it belongs to: the composite foreign keys
-- (tenant_id, …, phi_scope) keep a row in its parent's tenant and scope, and row-level security reads
-- the same verified scope settings as every other PHI table (0019). No PHI value is stored here:
-- times, fixed codes and counts only.
CREATE TABLE appointments (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope   text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  patient_id  uuid NOT NULL,
  starts_at   timestamptz NOT NULL,
  minutes     integer NOT NULL CHECK (minutes BETWEEN 5 AND 480),
  kind        text NOT NULL CHECK (kind IN ('new-patient', 'follow-up', 'telehealth', 'procedure', 'lab')),
  status      text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled', 'completed')),
  FOREIGN KEY (tenant_id, patient_id, phi_scope) REFERENCES patients (tenant_id, id, phi_scope) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX appointments_patient ON appointments (tenant_id, patient_id, starts_at);

CREATE TABLE callbacks (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id              uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope              text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  call_id                uuid NOT NULL,
  patient_id             uuid NOT NULL,
  reason                 text NOT NULL CHECK (reason IN ('scheduling', 'billing', 'results', 'prescription', 'other')),
  requested_by_workload  uuid,
  requested_at           timestamptz NOT NULL,
  status                 text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'cancelled')),
  FOREIGN KEY (tenant_id, call_id, phi_scope) REFERENCES calls (tenant_id, id, phi_scope) ON UPDATE CASCADE ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, patient_id, phi_scope) REFERENCES patients (tenant_id, id, phi_scope) ON UPDATE CASCADE ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, requested_by_workload) REFERENCES workloads (tenant_id, id) ON DELETE SET NULL (requested_by_workload)
);
CREATE INDEX callbacks_call ON callbacks (tenant_id, call_id);

-- Caller verification per call: after 3 failed attempts the call is locked for verification.
CREATE TABLE call_verifications (
  call_id      uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope    text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  verified_at  timestamptz,
  locked_at    timestamptz,
  FOREIGN KEY (tenant_id, call_id, phi_scope) REFERENCES calls (tenant_id, id, phi_scope) ON UPDATE CASCADE ON DELETE CASCADE
);

-- transfer_to_human: the call passes to a person; the agent's tools stop at that point.
ALTER TABLE calls ADD COLUMN transferred_at timestamptz;
ALTER TABLE calls ADD COLUMN transfer_reason text CHECK (transfer_reason IN ('caller-request', 'verification-locked', 'clinical', 'out-of-scope', 'other'));

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['appointments', 'callbacks', 'call_verifications'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_and_scope ON %I '
                   'USING (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || ''/'' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[])) '
                   'WITH CHECK (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || ''/'' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[]))', t);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON appointments, callbacks, call_verifications TO ward_app;
