-- R-ELEV-1, R-ELEV-2, R-AUTHZ-7: a recording reached by its own id (GET /v1/recordings/:id and its
-- audio) is covered by an elevation of its call, as the call and its transcript are. The enforcement
-- point widens the transaction's PHI scopes before it loads anything, from the target the request
-- names; a recording's id does not name its call, and row-level security hides the recording from a
-- member who holds no grant of its scope. ward_elevated_recording_call() returns the recording's call
-- only when the verified person holds a live, approved elevation (just-in-time or break-glass) of
-- that very call in the verified tenant, by the database's own clock; NULL otherwise. It reveals an
-- id the caller's elevation already names, never PHI.

-- The call of a recording in a tenant (ids only). Owned by ward_owner (it reads across PHI scopes);
-- only ward_definer may execute it, and its only caller passes the verified tenant.
CREATE FUNCTION ward_recording_call(p_tenant uuid, p_recording uuid) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT r.call_id FROM public.recordings r WHERE r.id = p_recording AND r.tenant_id = p_tenant
$$;
REVOKE ALL ON FUNCTION ward_recording_call(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_recording_call(uuid, uuid) TO ward_definer;

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_elevated_recording_call(p_recording uuid) RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_human();
  tenant uuid := public.ward_scope_tenant();
  call uuid;
BEGIN
  IF person IS NULL OR tenant IS NULL THEN
    RETURN NULL;
  END IF;
  call := public.ward_recording_call(tenant, p_recording);
  IF call IS NULL OR NOT EXISTS (
       SELECT 1 FROM public.elevations e
        WHERE e.tenant_id = tenant AND e.member_id = person AND e.state = 'approved'
          AND e.target_type = 'call' AND e.target_id = call AND e.db_expires_at > now()) THEN
    RETURN NULL;
  END IF;
  RETURN call;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_elevated_recording_call(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_elevated_recording_call(uuid) TO ward_app;
