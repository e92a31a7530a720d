-- Locks stop sign-in too (R-GOV-5, R-SESS-1; issue 23). 0039 refuses a locked member's or device's
-- session on every authenticated route; a public ceremony (passkey sign-in, invitation enrollment,
-- lost-device recovery, SSO callback) still issued the session first. Those ceremonies run before
-- any session exists, so they cannot read the session state; this definer answers one question for
-- the member the ceremony already proved, in the verified tenant of the scope: is that member, or
-- its device for this key, under a live lock. It returns the lock's target kind ('device' before
-- 'member', as 0039) or NULL, and nothing else; the session is then never written.

GRANT SELECT ON locks, devices TO ward_definer;

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_sign_in_lock(p_member uuid, p_thumbprint text) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT min(l.target_kind) FROM public.locks l
   WHERE l.tenant_id = public.ward_scope_tenant() AND l.unlocked_at IS NULL
     AND ((l.target_kind = 'member' AND l.target_id = p_member)
       OR (l.target_kind = 'device' AND l.target_id IN (
             SELECT d.id FROM public.devices d
              WHERE d.tenant_id = public.ward_scope_tenant() AND d.member_id = p_member AND d.thumbprint = p_thumbprint)))
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_sign_in_lock(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_sign_in_lock(uuid, text) TO ward_app;
