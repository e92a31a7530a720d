-- Single sign-on through OpenID Connect (R-AUTHN-2, R-SESS-1, R-SESS-4). Runs as ward_owner.

-- One identity provider per tenant. The client secret is wrapped by the tenant's key-encryption key
-- (R-DATA-1) and never stored in the clear. `mfa_acr` lists the acr values the tenant accepts as MFA.
CREATE TABLE sso_providers (
  tenant_id         uuid PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  issuer            text NOT NULL CHECK (issuer ~ '^https?://' AND length(issuer) <= 2000),
  client_id         text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 500),
  secret_kek_id     text NOT NULL,
  secret_wrapped    bytea NOT NULL,
  link_by           text NOT NULL CHECK (link_by IN ('email', 'subject')),
  mfa_acr           text[] NOT NULL DEFAULT '{}',
  allow_http_issuer boolean NOT NULL DEFAULT false,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer, client_id)
);

-- The IdP's (iss, sub) names a person after the first login; a member is linked at most once per issuer.
CREATE TABLE sso_identities (
  tenant_id uuid NOT NULL,
  member_id uuid NOT NULL,
  issuer    text NOT NULL,
  subject   text NOT NULL CHECK (length(subject) BETWEEN 1 AND 255),
  linked_by text NOT NULL CHECK (linked_by IN ('email', 'step_up')),
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, issuer, subject),
  UNIQUE (tenant_id, member_id, issuer),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE sso_providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_providers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_providers
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

ALTER TABLE sso_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_identities FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_identities
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT, INSERT, UPDATE ON sso_providers TO ward_app;
GRANT SELECT, INSERT ON sso_identities TO ward_app;

-- A flow in flight: state, nonce and PKCE verifier, bound to the device key that started it, for at
-- most 10 minutes. The callback arrives before any tenant is known, so the table is reached only
-- through the SECURITY DEFINER functions below (as webauthn_challenges is); the state is stored by hash.
CREATE TABLE sso_flows (
  state_hash        bytea PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  purpose           text NOT NULL CHECK (purpose IN ('sign_in', 'step_up', 'link')),
  member_id         uuid,
  session_id        uuid,
  device_thumbprint text NOT NULL,
  nonce             text NOT NULL,
  code_verifier     text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL
);
CREATE INDEX sso_flows_expiry ON sso_flows (expires_at);
ALTER TABLE sso_flows ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_flows FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_flows
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

CREATE FUNCTION ward_auth_tenant_by_slug(p_slug text)
  RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.id FROM public.tenants t WHERE t.slug = p_slug
$$;

CREATE FUNCTION ward_sso_flow_issue(p_hash bytea, p_tenant_id uuid, p_purpose text, p_member_id uuid, p_session_id uuid,
                                    p_thumbprint text, p_nonce text, p_code_verifier text, p_ttl_seconds integer)
  RETURNS TABLE (flow_expires_at timestamptz)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM public.sso_flows f WHERE f.expires_at < now();
  INSERT INTO public.sso_flows (state_hash, tenant_id, purpose, member_id, session_id, device_thumbprint, nonce, code_verifier, expires_at)
  VALUES (p_hash, p_tenant_id, p_purpose, p_member_id, p_session_id, p_thumbprint, p_nonce, p_code_verifier,
          now() + make_interval(secs => LEAST(GREATEST(p_ttl_seconds, 1), 600)))
  RETURNING expires_at
$$;

-- Consumed (deleted) before the code is redeemed, whatever comes next: a state works once.
CREATE FUNCTION ward_sso_flow_consume(p_hash bytea)
  RETURNS TABLE (tenant_id uuid, purpose text, member_id uuid, session_id uuid, device_thumbprint text, nonce text,
                 code_verifier text, is_expired boolean)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM public.sso_flows f WHERE f.state_hash = p_hash
  RETURNING f.tenant_id, f.purpose, f.member_id, f.session_id, f.device_thumbprint, f.nonce, f.code_verifier, f.expires_at <= now()
$$;

-- Back-channel logout: the tenant whose client a logout token is addressed to.
CREATE FUNCTION ward_sso_provider_by_client(p_issuer text, p_client_id text)
  RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p.tenant_id FROM public.sso_providers p WHERE p.issuer = p_issuer AND p.client_id = p_client_id
$$;

REVOKE ALL ON FUNCTION ward_auth_tenant_by_slug(text), ward_sso_flow_issue(bytea, uuid, text, uuid, uuid, text, text, text, integer),
  ward_sso_flow_consume(bytea), ward_sso_provider_by_client(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_tenant_by_slug(text), ward_sso_flow_issue(bytea, uuid, text, uuid, uuid, text, text, text, integer),
  ward_sso_flow_consume(bytea), ward_sso_provider_by_client(text, text) TO ward_app;
