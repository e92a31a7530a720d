-- R-AUTHZ-5, R-AUDIT-4: a new key for a workload that reads the audit trail takes two people, as one
-- for a workload with a PHI scope does (0096). A key of a workload without a PHI scope was one Owner's
-- or Admin's act, since such a workload reads no PHI; but the SIEM exporter reads every audit event of
-- the tenant (`audit.read`), which no Admin holds (the Auditor's): an Admin added a key of their own to
-- it and read the trail with the workload's token. The roles are `WORKLOAD_ROLES_READING_AUDIT` in
-- @ward/contracts (`workloadKeysNeedApproval`). Otherwise as 0096: same signature, same refusals.

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE FUNCTION ward_workload_set_keys(p_client_id text, p_expected jsonb, p_jwks jsonb, p_now timestamptz) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  tenant uuid := public.ward_scope_tenant();
  w record;
BEGIN
  IF person IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'workload keys are changed by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.id, x.jwks, x.role INTO w FROM public.workloads x
   WHERE x.client_id = p_client_id AND x.tenant_id = tenant AND x.status = 'active' AND x.role <> 'ScimProvisioner'
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such active workload with keys' USING ERRCODE = 'WD003';
  END IF;
  IF w.jwks IS DISTINCT FROM p_expected THEN
    RAISE EXCEPTION 'the key set changed since it was read' USING ERRCODE = 'WD004';
  END IF;
  IF NOT operator AND NOT public.ward_jwks_subset(p_jwks, w.jwks)
     AND (w.role IN ('SiemExporter') OR EXISTS (SELECT 1 FROM public.workload_phi_scopes s WHERE s.workload_id = w.id)) THEN
    RAISE EXCEPTION 'a new key for a workload that reads PHI or the audit trail needs a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.workloads x SET jwks = p_jwks, keys_rotated_at = p_now WHERE x.id = w.id;
  RETURN w.id;
END
$$;

SET LOCAL ROLE ward_owner;
