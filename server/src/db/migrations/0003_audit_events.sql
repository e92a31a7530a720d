-- The audit trail (R-AUDIT-1, R-AUDIT-2). Events are written plain, in the same transaction as the
-- access they record, with seq NULL; the sealer (audit issue) assigns each tenant's gap-free seq in
-- commit order and chains them. Identifiers of targets only, never PHI values. The justification's
-- free text may hold PHI and is stored encrypted. ward_app may INSERT and SELECT, nothing else.

CREATE TABLE audit_events (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id         uuid NOT NULL REFERENCES tenants (id),
  seq               bigint,
  occurred_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  actor_kind        text NOT NULL CHECK (actor_kind IN ('human', 'ai_agent', 'service', 'ai_agent_for_human', 'system')),
  actor_id          text NOT NULL,
  on_behalf_of      text,
  session_id        uuid,
  device_id         uuid,
  source_ip         inet,
  action            text NOT NULL,
  target_type       text,
  target_id         text,
  phi_scope         text CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  decision          text CHECK (decision IN ('allow', 'deny')),
  policy_ids        text[] NOT NULL DEFAULT '{}',
  reasons           text[] NOT NULL DEFAULT '{}',
  purpose           text,
  justification_enc bytea,
  outcome           text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  metadata          jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_events_unsealed ON audit_events (tenant_id, occurred_at) WHERE seq IS NULL;
CREATE INDEX audit_events_time ON audit_events (tenant_id, occurred_at);
CREATE INDEX audit_events_actor ON audit_events (tenant_id, actor_id, occurred_at);
CREATE INDEX audit_events_session ON audit_events (tenant_id, session_id) WHERE session_id IS NOT NULL;

ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_events
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

-- R-AUDIT-3: append-only for the application; sealing runs as the owner.
GRANT SELECT, INSERT ON audit_events TO ward_app;
