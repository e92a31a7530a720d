-- Two-phase access (DESIGN.md; R-AUDIT-1, R-AUDIT-2): work that must not hold a transaction open (a
-- model call, an export) is decided and its intent audited in one transaction, done outside, and its
-- outcome recorded in a second, linked to the intent. An intent that never reaches an outcome (the
-- server crashed in between) stays `started`: visible as unfinished, and nothing of its result was
-- recorded or returned. The state only moves forward from `started`, once.
CREATE TABLE guard_intents (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  action      text NOT NULL,
  actor_id    text NOT NULL,
  target_type text,
  target_id   text,
  state       text NOT NULL DEFAULT 'started' CHECK (state IN ('started', 'succeeded', 'failed')),
  started_at  timestamptz NOT NULL,
  finished_at timestamptz,
  CHECK ((state = 'started') = (finished_at IS NULL))
);
CREATE INDEX guard_intents_unfinished ON guard_intents (tenant_id, started_at) WHERE state = 'started';

ALTER TABLE guard_intents ENABLE ROW LEVEL SECURITY;
ALTER TABLE guard_intents FORCE ROW LEVEL SECURITY;
-- R-AUTHZ-7: the tenant only as the scope MAC verifies it (0015).
CREATE POLICY tenant_isolation ON guard_intents
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT, INSERT ON guard_intents TO ward_app;
GRANT UPDATE (state, finished_at) ON guard_intents TO ward_app;
