-- R-AUTHN-2, R-AUTHZ-5: a person no longer widens what counts as multi-factor authentication alone.
-- The tenant's `mfa_acr` values make an ID token's `acr` count as MFA (sso/mfa.ts), which is what
-- the PHI policies and step-ups require of an SSO session. 0120 left the values one person's change
-- as long as the issuer and client stayed: one Owner or Admin could add an `acr` their IdP gives a
-- password-only login, and every such login would count as MFA from then on. Now a change from the
-- console that adds an `acr` value is refused here (WD001: SSO_NEEDS_APPROVAL) and goes through a
-- proposal that a second Owner or Admin approves (ward_sso_change_propose, unchanged: it takes any
-- connection within the console's rules). Removing values, a new secret or key, and linking by
-- subject stay one step; the operator (`ward sso configure`) still sets anything.
-- Replaced by its owner, so that it keeps its owner and grants.

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE FUNCTION ward_sso_provider_save(p_issuer text, p_client_id text, p_client_auth text, p_client_public_jwk jsonb, p_kek text, p_wrapped bytea,
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
  SELECT x.issuer, x.client_id, x.link_by, x.allow_http_issuer, x.mfa_acr INTO cur FROM public.sso_providers x WHERE x.tenant_id = public.ward_scope_tenant() FOR UPDATE;
  IF NOT operator AND (cur.issuer IS DISTINCT FROM p_issuer OR cur.client_id IS DISTINCT FROM p_client_id
                       OR NOT public.ward_sso_console_rules(cur.issuer, cur.link_by, cur.allow_http_issuer, p_issuer, p_link_by, p_allow_http)
                       OR NOT (COALESCE(p_mfa_acr, ARRAY[]::text[]) <@ COALESCE(cur.mfa_acr, ARRAY[]::text[]))) THEN
    RAISE EXCEPTION 'another issuer or client, or another MFA acr value, needs a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  PERFORM public.ward_sso_provider_write(p_issuer, p_client_id, p_client_auth, p_client_public_jwk, p_kek, p_wrapped, p_link_by, p_mfa_acr, p_allow_http, p_now);
END
$$;

SET LOCAL ROLE ward_owner;
