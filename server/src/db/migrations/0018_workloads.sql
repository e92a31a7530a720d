-- Workload identities (R-WORK-1, R-WORK-2): AI agents, tools and jobs registered per tenant, each
-- with its own public keys (private_key_jwt, RFC 7523: no shared secret is ever stored), one
-- workload role, its PHI scopes and a ceiling on its access tokens' lifetime.
CREATE TABLE workloads (
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                 uuid PRIMARY KEY,
  client_id          text NOT NULL UNIQUE CHECK (client_id ~ '^wl_[A-Za-z0-9_-]{22}$'),
  name               text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  kind               text NOT NULL CHECK (kind IN ('ai_agent', 'service')),
  role               text NOT NULL,
  jwks               jsonb NOT NULL,
  max_token_seconds  integer NOT NULL DEFAULT 3600 CHECK (max_token_seconds BETWEEN 60 AND 86400),
  status             text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  keys_rotated_at    timestamptz,
  disabled_at        timestamptz,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, name)
);

CREATE TABLE workload_phi_scopes (
  tenant_id   uuid NOT NULL,
  workload_id uuid NOT NULL,
  phi_scope   text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  granted_by  text NOT NULL,
  granted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workload_id, phi_scope),
  FOREIGN KEY (tenant_id, workload_id) REFERENCES workloads (tenant_id, id) ON DELETE CASCADE
);

-- RFC 7009: revoked access tokens by jti, kept until the token would have expired anyway.
CREATE TABLE workload_token_revocations (
  tenant_id   uuid NOT NULL,
  jti         text PRIMARY KEY CHECK (length(jti) BETWEEN 16 AND 64),
  workload_id uuid NOT NULL,
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (tenant_id, workload_id) REFERENCES workloads (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX workload_token_revocations_expiry ON workload_token_revocations (expires_at);

-- Row-level security reads the tenant only through the MAC-verified scope (0015, R-AUTHZ-7).
ALTER TABLE workloads ENABLE ROW LEVEL SECURITY;
ALTER TABLE workloads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workloads
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

ALTER TABLE workload_phi_scopes ENABLE ROW LEVEL SECURITY;
ALTER TABLE workload_phi_scopes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workload_phi_scopes
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

ALTER TABLE workload_token_revocations ENABLE ROW LEVEL SECURITY;
ALTER TABLE workload_token_revocations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workload_token_revocations
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

-- The application reads the registry and records revocations; it never registers, re-keys, grants
-- or disables (the operator does, through the CLI).
GRANT SELECT ON workloads, workload_phi_scopes TO ward_app;
GRANT SELECT, INSERT ON workload_token_revocations TO ward_app;

-- The token endpoint's lookup before any tenant is known (DESIGN.md): a client_id names only its
-- tenant and workload; everything else is read in that tenant's scope.
CREATE FUNCTION ward_auth_workload(p_client_id text)
  RETURNS TABLE (tenant_id uuid, workload_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT w.tenant_id, w.id FROM public.workloads w WHERE w.client_id = p_client_id
$$;
REVOKE ALL ON FUNCTION ward_auth_workload(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_workload(text) TO ward_app;
