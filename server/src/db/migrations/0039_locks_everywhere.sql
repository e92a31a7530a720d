-- Locks on every authenticated route, and their containment records (R-GOV-5, R-ELEV-1; issue 23).
--
-- 1. Until now the enforcement point read live locks in each guarded transaction (modules/elevation,
--    access-state.ts), so `self` routes (GET /v1/me, the passkey step-up ceremony, logout, one's own
--    passkeys), which run no guard, still served a locked member or device. The session lookup every
--    authenticated request of a person makes (ward_auth_session_state, 0032) now returns the lock that
--    stops the session's member or device, and the session authenticator refuses it (LOCKED) before
--    any route runs. Same facts and same rules as 0032 otherwise; the one new column names the lock's
--    target kind ('member' or 'device'), never more than the credential itself already reveals.
-- 2. A lock that names the detection it contains records the containment (containments, 0033) in the
--    same definer call, so that time to contain is measured from the detections like a revoked
--    session's. The detection must be one of the verified tenant's (WD003 otherwise).

DROP FUNCTION ward_auth_session_state(bytea, timestamptz, text);

CREATE FUNCTION ward_auth_session_state(p_token_hash bytea, p_now timestamptz, p_thumbprint text)
  RETURNS TABLE (
    tenant_id uuid, id uuid, member_id uuid, auth_method text, amr text[], mfa boolean,
    created_at timestamptz, last_verified_at timestamptz, expires_at timestamptz, last_seen_at timestamptz,
    idle_timeout_seconds integer, status text, device_id uuid, thumbprint text, posture text,
    posture_source text, posture_updated_at timestamptz, tenant_settings jsonb, roles text[], scopes text[], locked text)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
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
     AND d.thumbprint = p_thumbprint AND m.status IN ('active', 'restricted')
$$;
REVOKE ALL ON FUNCTION ward_auth_session_state(bytea, timestamptz, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_session_state(bytea, timestamptz, text) TO ward_app;

-- Containments of a lock: one kind per lock target.
ALTER TABLE containments DROP CONSTRAINT containments_kind_check;
ALTER TABLE containments ADD CONSTRAINT containments_kind_check CHECK (kind IN ('session_revoke', 'member_lock', 'workload_lock', 'device_lock'));
GRANT SELECT, INSERT ON containments TO ward_definer;
GRANT SELECT ON detections TO ward_definer;

SET LOCAL ROLE ward_definer;

-- Locks, as in 0038 (an active Owner or Admin, or the operator; a target of the verified tenant; one
-- live lock per target), and with a detection: that detection exists in the verified tenant, and the
-- lock is recorded as its containment.
CREATE OR REPLACE FUNCTION ward_lock(p_id uuid, p_kind text, p_target uuid, p_detection text, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  tenant uuid := public.ward_scope_tenant();
  found_target boolean;
BEGIN
  IF person IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'locks are set by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  found_target := CASE p_kind
           WHEN 'member' THEN EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_target)
           WHEN 'workload' THEN EXISTS (SELECT 1 FROM public.workloads w WHERE w.id = p_target)
           WHEN 'device' THEN EXISTS (SELECT 1 FROM public.devices d WHERE d.id = p_target)
           ELSE false END;
  IF NOT found_target THEN
    RAISE EXCEPTION 'no such target' USING ERRCODE = 'WD003';
  END IF;
  IF p_detection IS NOT NULL AND NOT (p_detection ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       AND EXISTS (SELECT 1 FROM public.detections x WHERE x.id = p_detection::uuid AND x.tenant_id = tenant)) THEN
    RAISE EXCEPTION 'no such detection' USING ERRCODE = 'WD003';
  END IF;
  INSERT INTO public.locks (id, tenant_id, target_kind, target_id, detection_id, locked_by, locked_at)
  VALUES (p_id, tenant, p_kind, p_target, lower(p_detection), public.ward_scope_actor(), p_now)
  ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  IF p_detection IS NOT NULL THEN
    INSERT INTO public.containments (tenant_id, detection_id, kind, subject_id, actor_id, contained_at)
    VALUES (tenant, p_detection::uuid, p_kind || '_lock', p_target::text, public.ward_scope_actor(), p_now);
  END IF;
  RETURN true;
END
$$;

SET LOCAL ROLE ward_owner;
