-- An elevation that names an action of the Owner's or Admin's (R-ELEV-1, R-AUTHZ-5; docs/elevation.md).
--
-- 0038 counted an elevation as Owner/Admin-level, two approvals by Owners or Admins, only when it
-- granted the Owner or Admin role. An elevation may also name actions, and `elevation-granted-actions`
-- permits a named action by itself: an Agent who asked for `audit.read`, `policy.manage`, `grant.role`
-- or `member.manage` was given them on one Manager's approval, which is what their roles would take
-- two Owners or Admins for. Now an elevation is Owner/Admin-level when it grants the Owner, Admin or
-- Auditor role (an Auditor's invitation waits for a second person like theirs), or names any action
-- outside the contact center's own work: the actions the Manager and Agent roles hold
-- (policies/default/30-roles.cedar), a Manager's analytics, delegation and the review attestation.
-- Fail closed: an action this list does not know is Owner/Admin-level. Nothing else changes; the
-- approvals are decided by ward_elevation_decide (0038), which reads approvals_required. Replaced by its
-- owner, so that it keeps its owner and grants.

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE FUNCTION ward_elevation_request(
  p_id uuid, p_member uuid, p_roles text[], p_scopes text[], p_actions text[], p_target_type text, p_target_id uuid,
  p_purpose text, p_reason bytea, p_duration_seconds integer, p_now timestamptz) RETURNS smallint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  requester uuid := public.ward_scope_human();
  tenant uuid := public.ward_scope_tenant();
  max_seconds integer;
  needed smallint := CASE
    WHEN p_roles && ARRAY['Owner', 'Admin', 'Auditor'] THEN 2
    WHEN NOT (COALESCE(p_actions, ARRAY[]::text[]) <@ ARRAY[
      'patient.list', 'patient.view', 'patient.viewSensitive', 'caseNote.readFull', 'recording.listen', 'transcript.readRedacted',
      'transcript.read', 'ai.run', 'ai.reidentify', 'caseNote.write', 'caseNote.writeRestricted', 'ai.review', 'export.create',
      'consent.manage', 'analytics.read', 'delegation.create', 'review.attest']) THEN 2
    ELSE 1 END;
BEGIN
  IF requester IS NULL OR NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = requester AND m.status = 'active') THEN
    RAISE EXCEPTION 'elevations are requested by active people, never by workloads' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member AND m.status = 'active') THEN
    RAISE EXCEPTION 'no such active member' USING ERRCODE = 'WD003';
  END IF;
  SELECT LEAST(COALESCE((t.settings->>'elevationMaxSeconds')::integer, 14400), 86400) INTO max_seconds FROM public.tenants t WHERE t.id = tenant;
  IF p_duration_seconds > max_seconds THEN
    RAISE EXCEPTION 'longer than the tenant allows' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.elevations (id, tenant_id, kind, member_id, requested_by, roles, phi_scopes, actions, target_type, target_id,
                                 purpose, reason_enc, duration_seconds, approvals_required, state, requested_at)
  VALUES (p_id, tenant, 'jit', p_member, requester, p_roles, p_scopes, p_actions, p_target_type, p_target_id,
          p_purpose, p_reason, p_duration_seconds, needed, 'pending', p_now);
  RETURN needed;
END
$$;

SET LOCAL ROLE ward_owner;
