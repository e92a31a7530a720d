-- Spent back-channel logout token ids (R-SESS-1; OpenID Connect Back-Channel Logout 1.0 §2.6, step 8:
-- a logout token whose jti was already received is refused). A logout token is accepted at most for
-- its window (its iat within 300 s, and before its exp when it has one); its id is kept, per issuer,
-- until that window and a clock skew have passed, so a captured token cannot be replayed at this server
-- or another. Like proof_replays (0011, 0040): reached only through a SECURITY DEFINER function, written
-- in the transaction that revokes the sessions and writes the audit record (a concurrent replay waits on
-- the primary key and is refused when the first commits; a rolled-back logout unspends its id).
--
-- Bounded: an id is written only after the token's signature verified under the issuer's own keys, so
-- only the IdP (or who holds its key) adds rows, each living at most ~6 minutes, and at most 10,000 live
-- per issuer. An issuer at that ceiling still has its logouts applied (a logout is never lost: that is the
-- safe direction) but their ids are not recorded; the caller audits that (docs/threat-model.md).
CREATE TABLE sso_logout_jtis (
  issuer_hash  bytea NOT NULL CHECK (length(issuer_hash) = 32), -- SHA-256 of the issuer URL
  jti_hash     bytea NOT NULL CHECK (length(jti_hash) = 32),    -- SHA-256 of the jti
  usable_until timestamptz NOT NULL,
  PRIMARY KEY (issuer_hash, jti_hash)
);
CREATE INDEX sso_logout_jtis_expiry ON sso_logout_jtis (issuer_hash, usable_until);
ALTER TABLE sso_logout_jtis ENABLE ROW LEVEL SECURITY;
ALTER TABLE sso_logout_jtis FORCE ROW LEVEL SECURITY;

-- 'fresh' (now spent), 'replayed' (spent before and still in its window) or 'full' (the issuer holds its
-- ceiling of live ids: not recorded). The issuer's ids past their window by the database's clock and five
-- minutes of grace are removed first (as ward_proof_prune does, 0040): logouts are rare, so the few rows
-- of one issuer are pruned on its own spend and no timer is needed.
CREATE FUNCTION ward_sso_logout_jti_spend(p_issuer_hash bytea, p_jti_hash bytea, p_usable_until timestamptz, p_now timestamptz)
  RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  v_live integer;
BEGIN
  DELETE FROM public.sso_logout_jtis j
   WHERE j.issuer_hash = p_issuer_hash AND j.usable_until < now() - interval '5 minutes';
  SELECT count(*) INTO v_live
    FROM (SELECT 1 FROM public.sso_logout_jtis j
           WHERE j.issuer_hash = p_issuer_hash AND j.usable_until >= p_now LIMIT 10000) live;
  IF v_live >= 10000 THEN
    IF EXISTS (SELECT 1 FROM public.sso_logout_jtis j
                WHERE j.issuer_hash = p_issuer_hash AND j.jti_hash = p_jti_hash AND j.usable_until >= p_now) THEN
      RETURN 'replayed';
    END IF;
    RETURN 'full';
  END IF;
  INSERT INTO public.sso_logout_jtis AS r (issuer_hash, jti_hash, usable_until)
  VALUES (p_issuer_hash, p_jti_hash, p_usable_until)
  ON CONFLICT (issuer_hash, jti_hash) DO UPDATE SET usable_until = EXCLUDED.usable_until WHERE r.usable_until < p_now;
  IF FOUND THEN
    RETURN 'fresh';
  END IF;
  RETURN 'replayed';
END
$$;

REVOKE ALL ON FUNCTION ward_sso_logout_jti_spend(bytea, bytea, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_sso_logout_jti_spend(bytea, bytea, timestamptz, timestamptz) TO ward_app;

-- `GET /sso/<slug>` and an SSO sign-in's start (R-AUTHN-2): the tenant named by a slug only when it
-- signs in with SSO, in one statement. Until now the slug was looked up first and the provider read in a
-- scoped transaction of its own only when a tenant had the slug, so that an unknown slug answered after
-- one statement and an existing tenant without SSO after a transaction more: the time told which slugs
-- exist. Now both are the same single statement, and both answer SSO_NOT_CONFIGURED. (0020's
-- ward_auth_tenant_by_slug is no longer called by the server.)
CREATE FUNCTION ward_sso_tenant_by_slug(p_slug text)
  RETURNS TABLE (tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.id FROM public.tenants t JOIN public.sso_providers p ON p.tenant_id = t.id WHERE t.slug = p_slug
$$;

REVOKE ALL ON FUNCTION ward_sso_tenant_by_slug(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_sso_tenant_by_slug(text) TO ward_app;
