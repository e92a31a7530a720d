-- R-AUTHN-2, R-AUTHZ-5, R-AUTHZ-7: from the admin console, pointing the tenant's OpenID Connect
-- connection at another issuer or client (or a first one), and disconnecting it, take two people, like
-- a SCIM token (0095): whoever chooses the IdP chooses who signs in as the tenant's members, and
-- cutting it off takes the tenant's sign-in away. An enrolled, active Owner or Admin proposes it (the
-- server checked the issuer by discovery and wrapped any new secret under the tenant's key-encryption
-- key first: the proposal holds what the connection would, never a secret in the clear); a second one,
-- not the proposer, approves it through their own session, and only then is the connection written or
-- removed, if it is still the one the proposal read (compare and swap on updated_at). A proposal
-- expires on its own (at most 7 days), one open per tenant; its proposer withdraws it (cancelled) or
-- another Owner or Admin refuses it (refused). A change that keeps the issuer and client (a new
-- secret, the MFA acr values, linking by subject) stays one step.
--
-- Everything is written by SECURITY DEFINER functions owned by ward_definer (no BYPASSRLS), with the
-- acting person taken from the verified scope, never a parameter: ward_app loses INSERT and UPDATE on
-- sso_providers, so a leaked ward_app credential points SSO nowhere. The operator (`ward sso
-- configure`, a system actor on the host) keeps the one-step path. The console's rules hold here too
-- for a person: the operator's http allowance is kept as it is, and e-mail linking only where the
-- operator set it, for the same issuer (SSO_LINK_BY_EMAIL_OPERATOR).
-- Refusals: WD001 the actor may not (or the change needs a proposal); WD002 the proposer approves;
-- WD003 no such proposal, or no connection to disconnect; WD004 the proposal is no longer open, one
-- is open, or the connection changed since it was proposed.

CREATE TABLE sso_change_requests (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind              text NOT NULL CHECK (kind IN ('connect', 'disconnect')),
  issuer            text CHECK (issuer ~ '^https?://' AND length(issuer) <= 2000),
  client_id         text CHECK (length(client_id) BETWEEN 1 AND 500),
  client_auth       text CHECK (client_auth IN ('client_secret_basic', 'client_secret_post', 'client_secret_jwt', 'private_key_jwt')),
  client_public_jwk jsonb CHECK (client_public_jwk IS NULL OR (jsonb_typeof(client_public_jwk) = 'object' AND length(client_public_jwk::text) <= 4096
                                 AND NOT client_public_jwk ?| ARRAY['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])),
  secret_kek_id     text,
  secret_wrapped    bytea,
  link_by           text CHECK (link_by IN ('email', 'subject')),
  mfa_acr           text[],
  allow_http_issuer boolean,
  -- The connection the proposal read: its issuer and client (shown) and when it last changed (compared).
  replaces_issuer   text,
  replaces_client   text,
  expected_updated  timestamptz,
  proposed_by       uuid NOT NULL,
  proposed_at       timestamptz NOT NULL,
  expires_at        timestamptz NOT NULL,
  state             text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'cancelled', 'refused', 'expired')),
  decided_by        uuid,
  decided_at        timestamptz,
  CHECK ((kind = 'connect') = (issuer IS NOT NULL AND client_id IS NOT NULL AND client_auth IS NOT NULL AND secret_kek_id IS NOT NULL
                               AND secret_wrapped IS NOT NULL AND link_by IS NOT NULL AND mfa_acr IS NOT NULL AND allow_http_issuer IS NOT NULL)),
  CHECK (kind = 'connect' OR (issuer IS NULL AND client_id IS NULL AND client_auth IS NULL AND client_public_jwk IS NULL AND secret_wrapped IS NULL)),
  CHECK (kind <> 'connect' OR (client_auth = 'private_key_jwt') = (client_public_jwk IS NOT NULL)),
  CHECK (kind <> 'disconnect' OR expected_updated IS NOT NULL),
  CHECK (expires_at > proposed_at AND expires_at <= proposed_at + interval '7 days'),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK (state <> 'approved' OR (decided_by IS NOT NULL AND decided_by <> proposed_by)),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
CREATE UNIQUE INDEX sso_change_requests_open ON sso_change_requests (tenant_id) WHERE state = 'pending';
CREATE INDEX sso_change_requests_recent ON sso_change_requests (tenant_id, proposed_at DESC);

ALTER TABLE sso_change_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_change_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sso_change_requests
  USING (tenant_id = (SELECT ward_scope_tenant())) WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON sso_change_requests TO ward_app;
GRANT SELECT, INSERT, UPDATE (state, decided_by, decided_at) ON sso_change_requests TO ward_definer;

REVOKE INSERT, UPDATE, DELETE ON sso_providers FROM ward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON sso_providers TO ward_definer;

SET LOCAL ROLE ward_definer;

-- Writes the tenant's connection (not callable by ward_app).
CREATE FUNCTION ward_sso_provider_write(p_issuer text, p_client_id text, p_client_auth text, p_client_public_jwk jsonb, p_kek text, p_wrapped bytea,
                                        p_link_by text, p_mfa_acr text[], p_allow_http boolean, p_now timestamptz) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO public.sso_providers AS x (tenant_id, issuer, client_id, client_auth, client_public_jwk, secret_kek_id, secret_wrapped, link_by, mfa_acr, allow_http_issuer, updated_at)
  VALUES (public.ward_scope_tenant(), p_issuer, p_client_id, p_client_auth, p_client_public_jwk, p_kek, p_wrapped, p_link_by, p_mfa_acr, p_allow_http, p_now)
  ON CONFLICT (tenant_id) DO UPDATE SET issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, client_auth = EXCLUDED.client_auth,
    client_public_jwk = EXCLUDED.client_public_jwk, secret_kek_id = EXCLUDED.secret_kek_id, secret_wrapped = EXCLUDED.secret_wrapped,
    link_by = EXCLUDED.link_by, mfa_acr = EXCLUDED.mfa_acr, allow_http_issuer = EXCLUDED.allow_http_issuer, updated_at = EXCLUDED.updated_at
$$;

-- The console's rules for a person, on what a connection would become (p_cur: the stored one, or NULL):
-- the operator's http allowance unchanged (none without a connection), e-mail linking only where the
-- operator set it, for the same issuer up to a trailing slash.
CREATE FUNCTION ward_sso_console_rules(p_cur_issuer text, p_cur_link text, p_cur_http boolean, p_issuer text, p_link_by text, p_allow_http boolean) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p_allow_http = COALESCE(p_cur_http, false)
     AND (p_link_by <> 'email' OR (p_cur_link = 'email' AND rtrim(p_cur_issuer, '/') = rtrim(p_issuer, '/')))
$$;

-- One step: an active Owner or Admin changes what keeps the issuer and client (a new secret or key,
-- the MFA acr values, the linking within the console's rules); the operator sets anything.
CREATE FUNCTION ward_sso_provider_save(p_issuer text, p_client_id text, p_client_auth text, p_client_public_jwk jsonb, p_kek text, p_wrapped bytea,
                                       p_link_by text, p_mfa_acr text[], p_allow_http boolean, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  cur record;
BEGIN
  IF person IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'the SSO connection is set by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.issuer, x.client_id, x.link_by, x.allow_http_issuer INTO cur FROM public.sso_providers x WHERE x.tenant_id = public.ward_scope_tenant() FOR UPDATE;
  IF NOT operator AND (cur.issuer IS DISTINCT FROM p_issuer OR cur.client_id IS DISTINCT FROM p_client_id
                       OR NOT public.ward_sso_console_rules(cur.issuer, cur.link_by, cur.allow_http_issuer, p_issuer, p_link_by, p_allow_http)) THEN
    RAISE EXCEPTION 'another issuer or client needs a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  PERFORM public.ward_sso_provider_write(p_issuer, p_client_id, p_client_auth, p_client_public_jwk, p_kek, p_wrapped, p_link_by, p_mfa_acr, p_allow_http, p_now);
END
$$;

-- R-AUTHZ-5: an enrolled, active Owner or Admin proposes a connection ('connect', the checked provider)
-- or its removal ('disconnect', the other parameters NULL). A stale open proposal is marked expired first.
CREATE FUNCTION ward_sso_change_propose(p_id uuid, p_kind text, p_issuer text, p_client_id text, p_client_auth text, p_client_public_jwk jsonb,
                                        p_kek text, p_wrapped bytea, p_link_by text, p_mfa_acr text[], p_allow_http boolean,
                                        p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  cur record;
BEGIN
  IF proposer IS NULL OR NOT public.ward_phi_grant_party(proposer) THEN
    RAISE EXCEPTION 'SSO changes are proposed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.issuer, x.client_id, x.link_by, x.allow_http_issuer, x.updated_at INTO cur FROM public.sso_providers x WHERE x.tenant_id = tenant;
  IF p_kind = 'disconnect' AND cur.updated_at IS NULL THEN
    RAISE EXCEPTION 'no SSO connection to disconnect' USING ERRCODE = 'WD003';
  END IF;
  IF p_kind = 'connect' AND NOT public.ward_sso_console_rules(cur.issuer, cur.link_by, cur.allow_http_issuer, p_issuer, p_link_by, p_allow_http) THEN
    RAISE EXCEPTION 'e-mail linking and plain http are the operator''s' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.sso_change_requests g SET state = 'expired', decided_at = g.expires_at
   WHERE g.tenant_id = tenant AND g.state = 'pending' AND g.expires_at <= p_now;
  IF EXISTS (SELECT 1 FROM public.sso_change_requests g WHERE g.tenant_id = tenant AND g.state = 'pending') THEN
    RAISE EXCEPTION 'an SSO proposal is open already' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.sso_change_requests (id, tenant_id, kind, issuer, client_id, client_auth, client_public_jwk, secret_kek_id, secret_wrapped, link_by, mfa_acr,
                                          allow_http_issuer, replaces_issuer, replaces_client, expected_updated, proposed_by, proposed_at, expires_at)
  VALUES (p_id, tenant, p_kind, p_issuer, p_client_id, p_client_auth, p_client_public_jwk, p_kek, p_wrapped, p_link_by, p_mfa_acr,
          p_allow_http, cur.issuer, cur.client_id, cur.updated_at, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: the second person approves an open, unexpired proposal; the connection is written or
-- removed if it is still the one the proposal read. The approver is an enrolled, active Owner or
-- Admin who is not the proposer.
CREATE FUNCTION ward_sso_change_approve(p_id uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  approver uuid := public.ward_scope_human();
  g record;
  cur record;
BEGIN
  SELECT x.* INTO g FROM public.sso_change_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  -- The database's clock too: a caller's old p_now never revives an expired proposal.
  IF g.state <> 'pending' OR g.expires_at <= greatest(p_now, statement_timestamp()) THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  IF approver = g.proposed_by THEN
    RAISE EXCEPTION 'no one approves an SSO change they proposed' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL OR NOT public.ward_phi_grant_party(approver) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.updated_at INTO cur FROM public.sso_providers x WHERE x.tenant_id = g.tenant_id FOR UPDATE;
  IF cur.updated_at IS DISTINCT FROM g.expected_updated THEN
    RAISE EXCEPTION 'the connection changed since it was proposed' USING ERRCODE = 'WD004';
  END IF;
  IF g.kind = 'connect' THEN
    PERFORM public.ward_sso_provider_write(g.issuer, g.client_id, g.client_auth, g.client_public_jwk, g.secret_kek_id, g.secret_wrapped,
                                           g.link_by, g.mfa_acr, g.allow_http_issuer, p_now);
  ELSE
    DELETE FROM public.sso_providers x WHERE x.tenant_id = g.tenant_id;
  END IF;
  UPDATE public.sso_change_requests x SET state = 'approved', decided_by = approver, decided_at = p_now WHERE x.id = p_id;
  RETURN g.kind;
END
$$;

-- An open proposal withdrawn by its proposer (cancelled) or refused by another active Owner or Admin.
CREATE FUNCTION ward_sso_change_refuse(p_id uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  g record;
  outcome text;
BEGIN
  SELECT x.state, x.proposed_by, x.expires_at INTO g FROM public.sso_change_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'proposals are refused by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF g.state <> 'pending' OR g.expires_at <= p_now THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  outcome := CASE WHEN person = g.proposed_by THEN 'cancelled' ELSE 'refused' END;
  UPDATE public.sso_change_requests x SET state = outcome, decided_by = person, decided_at = p_now WHERE x.id = p_id;
  RETURN outcome;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_sso_provider_write(text, text, text, jsonb, text, bytea, text, text[], boolean, timestamptz),
  ward_sso_console_rules(text, text, boolean, text, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION ward_sso_provider_save(text, text, text, jsonb, text, bytea, text, text[], boolean, timestamptz),
  ward_sso_change_propose(uuid, text, text, text, text, jsonb, text, bytea, text, text[], boolean, timestamptz, timestamptz),
  ward_sso_change_approve(uuid, timestamptz), ward_sso_change_refuse(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_sso_provider_save(text, text, text, jsonb, text, bytea, text, text[], boolean, timestamptz),
  ward_sso_change_propose(uuid, text, text, text, text, jsonb, text, bytea, text, text[], boolean, timestamptz, timestamptz),
  ward_sso_change_approve(uuid, timestamptz), ward_sso_change_refuse(uuid, timestamptz) TO ward_app;
