-- R-WORK-1, R-AUTHZ-5: a workload's PHI scopes are granted through the database's own checks, like
-- a member's (0017): the SECURITY DEFINER function below, owned by ward_definer (no BYPASSRLS: the
-- verified tenant still confines it), is the one writer of workload_phi_scopes besides the owner.
-- The actor is the verified scope's: an active Owner or Admin of the tenant, who approves as
-- themselves; or the operator (`ward workload create --scopes` / `grant-scope`), who must name the
-- active Owner or Admin who approved the grant (the second person; recorded as `granted_by`).
-- Refusals: WD001 the actor or the approver may not; WD003 no such active workload.

GRANT SELECT ON workloads, workload_phi_scopes TO ward_definer;
GRANT INSERT ON workload_phi_scopes TO ward_definer;

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_grant_workload_phi_scope(p_client_id text, p_phi_scope text, p_claimed_approver uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  tenant uuid := public.ward_scope_tenant();
  approver uuid;
  w record;
BEGIN
  IF person IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'workload PHI scopes are granted by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  approver := CASE WHEN operator THEN p_claimed_approver ELSE person END;
  IF approver IS NULL
     OR NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = approver AND m.tenant_id = tenant AND m.status = 'active')
     OR NOT EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = approver AND r.role IN ('Owner', 'Admin')) THEN
    RAISE EXCEPTION 'a workload PHI scope is approved by an active Owner or Admin of the tenant' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.id, x.tenant_id INTO w FROM public.workloads x WHERE x.client_id = p_client_id AND x.status = 'active';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such active workload' USING ERRCODE = 'WD003';
  END IF;
  INSERT INTO public.workload_phi_scopes (tenant_id, workload_id, phi_scope, granted_by, granted_at)
  VALUES (w.tenant_id, w.id, p_phi_scope, approver::text, p_now)
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_grant_workload_phi_scope(text, text, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_grant_workload_phi_scope(text, text, uuid, timestamptz) TO ward_app;
