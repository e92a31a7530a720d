-- The per-request definer lookups keep their plans (R-SESS-1, R-SESS-4, R-WORK-2; issue 18's goal:
-- authentication at most 15% of a guarded request).
--
-- ward_auth_session_state (0032, 0039), ward_auth_workload_state (0032) and ward_proof_use (0011, 0040)
-- run on every authenticated request. As LANGUAGE sql functions with SECURITY DEFINER and a SET
-- clause they can never be inlined, and PostgreSQL before 18 parses, rewrites and plans the body of
-- such a function again on every call: the statement cached by the connection is only the outer
-- `SELECT ... FROM f($1, ...)`. Measured on this machine (PostgreSQL 15, server time per call, loop
-- of 2,000 calls in one backend, load average ~15): ward_auth_workload_state 430-560 µs against
-- ~100 µs for the same body as PL/pgSQL, whose statements are prepared once per connection.
--
-- The bodies below are the same statements as before, word for word, so the facts returned and the
-- rules applied are unchanged: the same live session (not revoked, within its absolute lifetime by
-- both clocks and its idle timeout, bound to the proof's key, member active or restricted), the same
-- lock (0039), the same workload grants and revocation. Same owner, same grants, same signatures
-- (CREATE OR REPLACE keeps the ACL).

CREATE OR REPLACE FUNCTION ward_auth_session_state(p_token_hash bytea, p_now timestamptz, p_thumbprint text)
  RETURNS TABLE (
    tenant_id uuid, id uuid, member_id uuid, auth_method text, amr text[], mfa boolean,
    created_at timestamptz, last_verified_at timestamptz, expires_at timestamptz, last_seen_at timestamptz,
    idle_timeout_seconds integer, status text, device_id uuid, thumbprint text, posture text,
    posture_source text, posture_updated_at timestamptz, tenant_settings jsonb, roles text[], scopes text[], locked text)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT s.tenant_id, s.id, s.member_id, s.auth_method, s.amr, s.mfa, s.created_at, s.last_verified_at, s.expires_at,
         s.last_seen_at, s.idle_timeout_seconds, m.status, d.id, d.thumbprint, d.posture, d.posture_source,
         d.posture_updated_at, t.settings,
         ARRAY(SELECT r.role FROM public.member_roles r WHERE r.member_id = s.member_id AND r.tenant_id = s.tenant_id ORDER BY r.role),
         ARRAY(SELECT p.phi_scope FROM public.member_phi_scopes p WHERE p.member_id = s.member_id AND p.tenant_id = s.tenant_id ORDER BY p.phi_scope),
         (SELECT min(l.target_kind) FROM public.locks l
           WHERE l.tenant_id = s.tenant_id AND l.unlocked_at IS NULL
             AND ((l.target_kind = 'member' AND l.target_id = s.member_id) OR (l.target_kind = 'device' AND l.target_id = s.device_id)))
    FROM public.sessions s
    JOIN public.members m ON m.id = s.member_id AND m.tenant_id = s.tenant_id
    JOIN public.devices d ON d.id = s.device_id AND d.tenant_id = s.tenant_id
    JOIN public.tenants t ON t.id = s.tenant_id
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
     AND s.expires_at > now() AND s.expires_at > p_now
     AND s.last_seen_at + make_interval(secs => s.idle_timeout_seconds) > p_now
     AND d.thumbprint = p_thumbprint AND m.status IN ('active', 'restricted');
END
$$;

CREATE OR REPLACE FUNCTION ward_auth_workload_state(p_client_id text, p_tenant_id uuid, p_jti text)
  RETURNS TABLE (id uuid, kind text, role text, status text, scopes text[], is_revoked boolean)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT w.id, w.kind, w.role, w.status,
         ARRAY(SELECT s.phi_scope FROM public.workload_phi_scopes s WHERE s.workload_id = w.id AND s.tenant_id = w.tenant_id ORDER BY s.phi_scope),
         EXISTS (SELECT 1 FROM public.workload_token_revocations r WHERE r.jti = p_jti AND r.tenant_id = w.tenant_id)
    FROM public.workloads w
   WHERE w.client_id = p_client_id AND w.tenant_id = p_tenant_id;
END
$$;

CREATE OR REPLACE FUNCTION ward_proof_use(p_key bytea, p_usable_until timestamptz, p_now timestamptz)
  RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  fresh boolean;
BEGIN
  WITH spent AS (
    INSERT INTO public.proof_replays AS r (replay_key, usable_until) VALUES (p_key, p_usable_until)
    ON CONFLICT (replay_key) DO UPDATE SET usable_until = EXCLUDED.usable_until WHERE r.usable_until < p_now
    RETURNING 1)
  SELECT EXISTS (SELECT 1 FROM spent) INTO fresh;
  RETURN fresh;
END
$$;
