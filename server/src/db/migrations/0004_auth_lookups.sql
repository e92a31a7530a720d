-- Lookups before any tenant is known (DESIGN.md): a session cookie, a passkey credential id or an
-- enrollment token is found by its hash or id, returning only the owning tenant and member. They are
-- SECURITY DEFINER functions owned by ward_owner with a fixed search_path; ward_app may only execute
-- them, so it never holds a general unscoped connection.

CREATE FUNCTION ward_auth_session(p_token_hash bytea)
  RETURNS TABLE (tenant_id uuid, member_id uuid, session_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT s.tenant_id, s.member_id, s.id
    FROM public.sessions s
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now()
$$;

CREATE FUNCTION ward_auth_credential(p_credential_id text)
  RETURNS TABLE (tenant_id uuid, member_id uuid, credential_row_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT c.tenant_id, c.member_id, c.id
    FROM public.passkey_credentials c
   WHERE c.credential_id = p_credential_id AND c.revoked_at IS NULL
$$;

CREATE FUNCTION ward_auth_enrollment(p_token_hash bytea)
  RETURNS TABLE (tenant_id uuid, member_id uuid, token_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.tenant_id, t.member_id, t.id
    FROM public.enrollment_tokens t
   WHERE t.token_hash = p_token_hash AND t.consumed_at IS NULL AND t.expires_at > now()
$$;

REVOKE ALL ON FUNCTION ward_auth_session(bytea), ward_auth_credential(text), ward_auth_enrollment(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_session(bytea), ward_auth_credential(text), ward_auth_enrollment(bytea) TO ward_app;
