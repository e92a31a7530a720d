-- Device posture from a posture source (R-SESS-4). A device is bound once to its MDM device id: the
-- person's browser shows a one-time binding code (stored by hash, short-lived), an Admin or the MDM
-- integration claims it for the MDM's device id; from then on the posture source's signed reports set
-- the device's posture, and a report older than the tenant's limit reads as `unknown`.
ALTER TABLE devices ADD COLUMN mdm_device_id text CHECK (mdm_device_id ~ '^[A-Za-z0-9._:-]{1,128}$');
ALTER TABLE devices ADD COLUMN bound_at timestamptz;
ALTER TABLE devices ADD COLUMN bound_by text;
-- The last report's facts (booleans and its observation time only: no PHI, no free text).
ALTER TABLE devices ADD COLUMN posture_report jsonb;
ALTER TABLE devices ADD CONSTRAINT devices_mdm_device_id UNIQUE (tenant_id, mdm_device_id);

CREATE TABLE device_binding_codes (
  code_hash  bytea PRIMARY KEY CHECK (length(code_hash) = 32), -- SHA-256 of the code
  tenant_id  uuid NOT NULL,
  device_id  uuid NOT NULL UNIQUE, -- one live code per device: a new one replaces it
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX device_binding_codes_tenant ON device_binding_codes (tenant_id);

ALTER TABLE device_binding_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE device_binding_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON device_binding_codes
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT, INSERT, DELETE ON device_binding_codes TO ward_app;
