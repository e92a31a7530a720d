-- Workload keys from the admin console (R-WORK-1, R-WORK-2, R-UX-1). Until now only the operator
-- re-keyed a workload (`ward workload rotate-keys`, systemDb). A key decides who may act as an AI
-- agent with its PHI scopes, so ward_app gets no UPDATE on workloads: this SECURITY DEFINER
-- function, owned by ward_definer (no BYPASSRLS: the verified tenant confines it), is the one new
-- writer. The actor is the verified scope's active Owner or Admin (or the operator). It replaces the
-- JWK Set only if it is still the one the caller read (compare and swap), so two administrators
-- adding keys at once cannot lose one; the server has checked the new set (public keys only, 1 to 5).
-- Refusals: WD001 the actor may not; WD003 no such active workload with keys; WD004 the set changed.

GRANT UPDATE (jwks, keys_rotated_at) ON workloads TO ward_definer;

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_workload_set_keys(p_client_id text, p_expected jsonb, p_jwks jsonb, p_now timestamptz) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  w record;
BEGIN
  IF person IS NULL AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'workload keys are changed by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.id, x.jwks INTO w FROM public.workloads x
   WHERE x.client_id = p_client_id AND x.tenant_id = tenant AND x.status = 'active' AND x.role <> 'ScimProvisioner'
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such active workload with keys' USING ERRCODE = 'WD003';
  END IF;
  IF w.jwks IS DISTINCT FROM p_expected THEN
    RAISE EXCEPTION 'the key set changed since it was read' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.workloads x SET jwks = p_jwks, keys_rotated_at = p_now WHERE x.id = w.id;
  RETURN w.id;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_workload_set_keys(text, jsonb, jsonb, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_workload_set_keys(text, jsonb, jsonb, timestamptz) TO ward_app;
