-- Per-tenant additional Cedar policies (R-AUTHZ-1, R-AUTHZ-5): forbid-only (they can only narrow
-- access), validated on save, versioned, and in force only after a second Owner or Admin approves.
-- At most one active version per tenant; the proposer can never be the approver.
CREATE TABLE tenant_policies (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  version     integer NOT NULL CHECK (version > 0),
  policy_text text NOT NULL CHECK (length(policy_text) BETWEEN 1 AND 65536),
  state       text NOT NULL DEFAULT 'proposed' CHECK (state IN ('proposed', 'active', 'superseded', 'rejected')),
  proposed_by uuid NOT NULL,
  proposed_at timestamptz NOT NULL DEFAULT now(),
  decided_by  uuid,
  decided_at  timestamptz,
  UNIQUE (tenant_id, version),
  CHECK (decided_by IS NULL OR decided_by <> proposed_by),
  CHECK ((state = 'proposed') = (decided_by IS NULL)),
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
CREATE UNIQUE INDEX tenant_policies_one_active ON tenant_policies (tenant_id) WHERE state = 'active';

ALTER TABLE tenant_policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenant_policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_policies
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

GRANT SELECT, INSERT, UPDATE ON tenant_policies TO ward_app;
