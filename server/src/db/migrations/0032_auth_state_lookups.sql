-- The authentication chain's state in one statement (R-SESS-1, R-SESS-4, R-WORK-2; issue 12's cost).
-- Until now a session was found by its hash (ward_auth_session, 0004), then read again in a scoped
-- transaction of its own: BEGIN, the MAC-bound scope, a statement over six tenant tables (each table
-- reference verifying the scope's MAC once), COMMIT. These definer lookups return the same facts in
-- one autocommit statement. What they reveal needs the credential itself: a session's state needs the
-- hash of its secret cookie and the key thumbprint it is bound to; a workload's state needs its
-- client_id and tenant together (a client_id alone already names its tenant through
-- ward_auth_workload, 0018) and reveals no PHI: its status, role, PHI scope names and whether one
-- token id was revoked. Neither writes, and neither sets or widens a scope: the request's own
-- transaction is still scoped by db.scoped with a MAC the application key alone can make (0015, 0022).

CREATE FUNCTION ward_auth_session_state(p_token_hash bytea, p_now timestamptz, p_thumbprint text)
  RETURNS TABLE (
    tenant_id uuid, id uuid, member_id uuid, auth_method text, amr text[], mfa boolean,
    created_at timestamptz, last_verified_at timestamptz, expires_at timestamptz, last_seen_at timestamptz,
    idle_timeout_seconds integer, status text, device_id uuid, thumbprint text, posture text,
    posture_source text, posture_updated_at timestamptz, tenant_settings jsonb, roles text[], scopes text[])
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT s.tenant_id, s.id, s.member_id, s.auth_method, s.amr, s.mfa, s.created_at, s.last_verified_at, s.expires_at,
         s.last_seen_at, s.idle_timeout_seconds, m.status, d.id, d.thumbprint, d.posture, d.posture_source,
         d.posture_updated_at, t.settings,
         ARRAY(SELECT r.role FROM public.member_roles r WHERE r.member_id = s.member_id AND r.tenant_id = s.tenant_id ORDER BY r.role),
         ARRAY(SELECT p.phi_scope FROM public.member_phi_scopes p WHERE p.member_id = s.member_id AND p.tenant_id = s.tenant_id ORDER BY p.phi_scope)
    FROM public.sessions s
    JOIN public.members m ON m.id = s.member_id AND m.tenant_id = s.tenant_id
    JOIN public.devices d ON d.id = s.device_id AND d.tenant_id = s.tenant_id
    JOIN public.tenants t ON t.id = s.tenant_id
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
     AND s.expires_at > now() AND s.expires_at > p_now
     AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > p_now
     AND d.thumbprint = p_thumbprint AND m.status IN ('active', 'restricted')
$$;

CREATE FUNCTION ward_auth_workload_state(p_client_id text, p_tenant_id uuid, p_jti text)
  RETURNS TABLE (id uuid, kind text, role text, status text, scopes text[], is_revoked boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT w.id, w.kind, w.role, w.status,
         ARRAY(SELECT s.phi_scope FROM public.workload_phi_scopes s WHERE s.workload_id = w.id AND s.tenant_id = w.tenant_id ORDER BY s.phi_scope),
         EXISTS (SELECT 1 FROM public.workload_token_revocations r WHERE r.jti = p_jti AND r.tenant_id = w.tenant_id)
    FROM public.workloads w
   WHERE w.client_id = p_client_id AND w.tenant_id = p_tenant_id
$$;

REVOKE ALL ON FUNCTION ward_auth_session_state(bytea, timestamptz, text), ward_auth_workload_state(text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_session_state(bytea, timestamptz, text), ward_auth_workload_state(text, uuid, text) TO ward_app;
