-- SCIM tokens issued from the admin console (R-AUTHN-5, R-UX-1). Until now only the operator issued
-- them (`ward scim token`, systemDb). A SCIM token provisions and deprovisions members, so ward_app
-- gets no INSERT on scim_tokens or workloads: this SECURITY DEFINER function, owned by ward_definer
-- (no BYPASSRLS: the verified tenant confines it), registers the tenant's SCIM client if it has none
-- (a `service` workload with the one role ScimProvisioner and no keys), optionally revokes the live
-- tokens (rotation), and stores the new token's hash; the server made the token and answers it once.
-- The actor is the verified scope's active Owner or Admin (or the operator).
-- Refusals: WD001 the actor may not; WD004 the SCIM client is disabled.

GRANT INSERT ON workloads TO ward_definer;
GRANT SELECT, INSERT ON scim_tokens TO ward_definer;
GRANT UPDATE (revoked_at) ON scim_tokens TO ward_definer;

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_scim_token_issue(p_token_id uuid, p_token_hash bytea, p_expires timestamptz, p_revoke_old boolean,
                                      p_new_workload uuid, p_new_client_id text, p_now timestamptz)
  RETURNS TABLE (workload_id uuid, client_id text, revoked integer, registered boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  w record;
  n integer := 0;
  fresh boolean := false;
BEGIN
  IF person IS NULL AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'SCIM tokens are issued by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.id, x.client_id, x.status INTO w FROM public.workloads x WHERE x.tenant_id = tenant AND x.role = 'ScimProvisioner' FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO public.workloads AS x (tenant_id, id, client_id, name, kind, role, jwks, max_token_seconds, created_at)
    VALUES (tenant, p_new_workload, p_new_client_id, 'scim-provisioner', 'service', 'ScimProvisioner', '{"keys":[]}', 60, p_now)
    RETURNING x.id, x.client_id, x.status INTO w;
    fresh := true;
  END IF;
  IF w.status <> 'active' THEN
    RAISE EXCEPTION 'the SCIM client of this tenant is disabled' USING ERRCODE = 'WD004';
  END IF;
  IF p_revoke_old THEN
    UPDATE public.scim_tokens t SET revoked_at = p_now WHERE t.workload_id = w.id AND t.revoked_at IS NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
  END IF;
  INSERT INTO public.scim_tokens AS t (tenant_id, id, workload_id, token_hash, created_at, expires_at)
  VALUES (tenant, p_token_id, w.id, p_token_hash, p_now, p_expires);
  RETURN QUERY SELECT w.id, w.client_id, n, fresh;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_scim_token_issue(uuid, bytea, timestamptz, boolean, uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_scim_token_issue(uuid, bytea, timestamptz, boolean, uuid, text, timestamptz) TO ward_app;
