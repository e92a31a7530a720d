-- Exports as disclosures (R-AUTHZ-3, R-AUDIT-1; 45 CFR 164.528, 42 CFR 2.31, 2.32; docs/disclosures.md).
-- An export is decided as `export.create` through the two-phase guard, produced outside the decision's
-- transaction, encrypted under the tenant's key, and downloadable once, by the session that asked for
-- it, within a short window. Every export is a disclosure: one row in `disclosures` (append-only), the
-- accounting a patient may request for six years back. A disclosure of SUD-Part2 data needs a recorded
-- patient consent (42 CFR 2.31) naming the recipient and purpose, unexpired and not revoked.
-- Recipients are stored encrypted (a consent's recipient is itself Part 2 information); purposes are
-- HL7 PurposeOfUse codes; `description` says what was disclosed in words that hold no PHI.
CREATE TABLE part2_consents (
  id            uuid PRIMARY KEY,
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope     text NOT NULL CHECK (phi_scope = 'SUD-Part2'),
  patient_id    uuid NOT NULL,
  recipient_enc bytea NOT NULL,
  purpose       text NOT NULL CHECK (purpose ~ '^[A-Z][A-Z0-9]{1,15}$'),
  expires_at    timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  recorded_by   text NOT NULL,
  revoked_at    timestamptz,
  revoked_by    text,
  CHECK ((revoked_at IS NULL) = (revoked_by IS NULL)),
  FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE
);
CREATE INDEX part2_consents_patient ON part2_consents (tenant_id, patient_id);

CREATE TABLE exports (
  id              uuid PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope       text NOT NULL,
  patient_id      uuid NOT NULL,
  target_type     text NOT NULL CHECK (target_type IN ('Patient', 'Transcript')),
  target_id       uuid NOT NULL,
  requested_by    text NOT NULL,
  session_id      text NOT NULL,   -- only this session downloads it
  content_enc     bytea,           -- cleared by the one download
  content_sha256  bytea NOT NULL CHECK (length(content_sha256) = 32),
  part2           boolean NOT NULL,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  downloaded_at   timestamptz,
  CHECK (downloaded_at IS NULL OR content_enc IS NULL),
  FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE
);
CREATE INDEX exports_patient ON exports (tenant_id, patient_id);

CREATE TABLE disclosures (
  id               uuid PRIMARY KEY,
  tenant_id        uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  phi_scope        text NOT NULL,
  patient_id       uuid NOT NULL,
  export_id        uuid REFERENCES exports (id),
  disclosed_at     timestamptz NOT NULL,
  disclosed_by     text NOT NULL,
  recipient_enc    bytea NOT NULL,
  purpose          text NOT NULL,
  description      text NOT NULL CHECK (length(description) <= 200),
  part2_consent_id uuid REFERENCES part2_consents (id),
  FOREIGN KEY (patient_id) REFERENCES patients (id) ON DELETE CASCADE
);
CREATE INDEX disclosures_patient ON disclosures (tenant_id, patient_id, disclosed_at);

-- Like the PHI tables (0019): the verified tenant, and a PHI scope among those granted to the transaction.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['part2_consents', 'exports', 'disclosures'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_and_scope ON %I '
                   'USING (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || ''/'' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[])) '
                   'WITH CHECK (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || ''/'' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[]))', t);
  END LOOP;
END
$$;

GRANT SELECT ON part2_consents TO ward_app;
GRANT SELECT, INSERT ON exports TO ward_app;
GRANT UPDATE (content_enc, downloaded_at) ON exports TO ward_app;
GRANT SELECT, INSERT ON disclosures TO ward_app; -- append-only: the accounting is never edited
