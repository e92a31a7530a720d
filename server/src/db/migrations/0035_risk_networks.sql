-- R-SESS-2: risk signals read in every request's transaction (modules/risk). The network prefixes
-- (/24, /48) and countries each principal has used, with when each was first seen: a network is
-- "new" for a while after its first use when others came before it. No address is kept whole.
CREATE TABLE risk_networks (
  tenant_id     uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  principal_id  text NOT NULL CHECK (length(principal_id) BETWEEN 1 AND 128),
  kind          text NOT NULL CHECK (kind IN ('prefix', 'country')),
  value         text NOT NULL CHECK (length(value) BETWEEN 1 AND 64),
  first_seen_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, principal_id, kind, value)
);

ALTER TABLE risk_networks ENABLE ROW LEVEL SECURITY;
ALTER TABLE risk_networks FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON risk_networks
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

-- The application remembers a network on its first use; it never rewrites what it saw.
GRANT SELECT, INSERT ON risk_networks TO ward_app;

-- A principal's recent denials and failed authentications, read on every request: the rows that
-- were not a success only, so that a busy principal's successes are never scanned.
CREATE INDEX audit_events_actor_unsuccessful ON audit_events (tenant_id, actor_id, occurred_at) WHERE outcome <> 'success';
