-- R-AUTHZ-5, R-AUTHN-3, R-AUTHZ-1: grants and approvals go through the database's own checks.
-- ward_app may no longer write role or PHI-scope grants, approve an invitation, or change a tenant
-- policy's state; SECURITY DEFINER functions owned by ward_definer (no BYPASSRLS, so row-level
-- security still confines them to the verified tenant) do it, after checking the approvals and the
-- separation-of-duties rules here, in SQL. The acting member is always the verified scope's actor
-- (ward_scope_actor(), 0015), never a parameter; times come from the application's clock, as
-- everywhere else. Refusals raise SQLSTATE class WD (server/src/db/definer.ts):
--   WD001 the actor may not do this (neither an active Owner or Admin nor the operator; no approval)
--   WD002 self-approval or self-grant (the two-person rule)
--   WD003 nothing to act on (no such pending invitation, policy version or member)
--   WD004 the state changed (already decided)

REVOKE INSERT, UPDATE, DELETE ON member_roles, member_phi_scopes FROM ward_app;
REVOKE INSERT, UPDATE ON tenant_policies FROM ward_app;
-- An invitation's approval is written by ward_approve_enrollment only; the application still issues
-- links and consumes them.
REVOKE INSERT, UPDATE ON enrollment_tokens FROM ward_app;
GRANT INSERT (id, tenant_id, member_id, token_hash, purpose, created_by, created_at, expires_at, role, requires_approval)
  ON enrollment_tokens TO ward_app;
GRANT UPDATE (consumed_at) ON enrollment_tokens TO ward_app;

GRANT SELECT ON members, member_roles, member_phi_scopes, passkey_credentials, enrollment_tokens, tenant_policies TO ward_definer;
GRANT INSERT ON member_roles, member_phi_scopes TO ward_definer;
GRANT INSERT, UPDATE (state, decided_by, decided_at) ON tenant_policies TO ward_definer;
GRANT UPDATE (approved_by, approved_at) ON enrollment_tokens TO ward_definer;

SET LOCAL ROLE ward_definer;

-- The verified actor's member id when the actor is a person (kind human), else NULL.
CREATE FUNCTION ward_scope_human() RETURNS uuid
  LANGUAGE sql STABLE
AS $$
  SELECT CASE WHEN a ~ '^human:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN substr(a, 7)::uuid END
    FROM (SELECT public.ward_scope_actor() AS a) s
$$;
REVOKE ALL ON FUNCTION ward_scope_human() FROM PUBLIC;

-- The verified person's member id, when that member is active in the verified tenant and
-- holds one of the roles given; else NULL. Only ward_definer may execute it.
CREATE FUNCTION ward_scope_member_with_role(p_roles text[]) RETURNS uuid
  LANGUAGE plpgsql STABLE
AS $$
DECLARE
  v_member uuid := public.ward_scope_human();
BEGIN
  IF EXISTS (SELECT 1 FROM public.members m WHERE m.id = v_member AND m.status = 'active')
     AND EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = v_member AND r.role = ANY (p_roles)) THEN
    RETURN v_member;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ward_scope_member_with_role(text[]) FROM PUBLIC;

-- The verified actor is the operator (a server-made scope naming a system actor, e.g. the CLI)?
CREATE FUNCTION ward_scope_is_operator() RETURNS boolean
  LANGUAGE sql STABLE
AS $$
  SELECT COALESCE(public.ward_scope_actor() LIKE 'system:%', false)
$$;
REVOKE ALL ON FUNCTION ward_scope_is_operator() FROM PUBLIC;

-- R-AUTHZ-5, R-AUTHN-5: a role granted to a member by an active Owner or Admin (never to
-- themselves) or by the operator. An Owner or Admin role needs that member's invitation for that
-- role to have been approved (ward_approve_enrollment): the second person. `p_granted_by` is
-- recorded only for the operator (the inviter the operator names); a person's grant records the
-- person. True when the member did not hold the role yet.
CREATE FUNCTION ward_grant_role(p_member_id uuid, p_role text, p_granted_by uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  granter uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
BEGIN
  IF granter IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'roles are granted by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  IF granter = p_member_id THEN
    RAISE EXCEPTION 'no one grants a role to themselves' USING ERRCODE = 'WD002';
  END IF;
  IF p_role IN ('Owner', 'Admin') AND NOT EXISTS (
       SELECT 1 FROM public.enrollment_tokens e
        WHERE e.member_id = p_member_id AND e.role = p_role AND e.requires_approval AND e.approved_at IS NOT NULL) THEN
    RAISE EXCEPTION 'an Owner or Admin role needs an approved invitation' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.member_roles (tenant_id, member_id, role, granted_by, granted_at)
  SELECT m.tenant_id, m.id, p_role, COALESCE(granter, p_granted_by), p_now FROM public.members m WHERE m.id = p_member_id
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

-- R-AUTHN-3, R-AUTHZ-5: the second person approves a member's pending Owner or Admin invitation:
-- an active Owner or Admin holding a passkey, neither the inviter nor the invitee. A person approves
-- as themselves (the verified actor); the operator approves naming the person who asked
-- (`p_claimed_approver`, held to the same rules and recorded in the trail, approved_by stays NULL).
CREATE FUNCTION ward_approve_enrollment(p_member_id uuid, p_claimed_approver uuid, p_now timestamptz)
  RETURNS TABLE (token_id uuid, role text, created_by uuid)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  approver uuid;
  t record;
BEGIN
  SELECT e.id, e.role, e.created_by INTO t FROM public.enrollment_tokens e
   WHERE e.member_id = p_member_id AND e.requires_approval AND e.approved_at IS NULL AND e.consumed_at IS NULL AND e.expires_at > p_now
   ORDER BY e.created_at DESC LIMIT 1
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no pending invitation' USING ERRCODE = 'WD003';
  END IF;
  approver := CASE WHEN operator THEN p_claimed_approver ELSE public.ward_scope_human() END;
  IF approver = p_member_id OR approver = t.created_by THEN
    RAISE EXCEPTION 'no one approves an invitation they made or received' USING ERRCODE = 'WD002';
  END IF;
  IF (person IS NULL AND NOT operator)
     OR NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = approver AND m.status = 'active')
     OR NOT EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = approver AND r.role IN ('Owner', 'Admin'))
     OR NOT EXISTS (SELECT 1 FROM public.passkey_credentials c WHERE c.member_id = approver AND c.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.enrollment_tokens e SET approved_by = CASE WHEN operator THEN NULL ELSE approver END, approved_at = p_now WHERE e.id = t.id;
  RETURN QUERY SELECT t.id, t.role, t.created_by;
END
$$;

-- R-AUTHZ-5: a PHI-scope grant, by an active Owner or Admin (never to themselves) or the operator.
CREATE FUNCTION ward_grant_phi_scope(p_member_id uuid, p_phi_scope text, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  granter uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF granter IS NULL AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'PHI scopes are granted by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  IF granter = p_member_id THEN
    RAISE EXCEPTION 'no one grants a PHI scope to themselves' USING ERRCODE = 'WD002';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member_id AND m.status <> 'disabled') THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
  INSERT INTO public.member_phi_scopes (tenant_id, member_id, phi_scope, granted_by, granted_at)
  VALUES (tenant, p_member_id, p_phi_scope, granter, p_now)
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

-- R-AUTHZ-1, R-AUTHZ-5: a tenant policy version, proposed by an active Owner or Admin (validated by
-- the server before). Returns the new version.
CREATE FUNCTION ward_tenant_policy_propose(p_text text, p_now timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  v integer;
BEGIN
  IF proposer IS NULL THEN
    RAISE EXCEPTION 'tenant policies are proposed by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.tenant_policies (tenant_id, version, policy_text, proposed_by, proposed_at)
  SELECT tenant, COALESCE(max(p.version), 0) + 1, p_text, proposer, p_now FROM public.tenant_policies p WHERE p.tenant_id = tenant
  RETURNING version INTO v;
  RETURN v;
END
$$;

-- A proposed version approved (it becomes the one active version) or rejected by an active Owner
-- or Admin who did not propose it.
CREATE FUNCTION ward_tenant_policy_decide(p_version integer, p_approve boolean, p_now timestamptz)
  RETURNS TABLE (version integer, state text, proposed_by uuid, proposed_at timestamptz, decided_by uuid, decided_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  decider uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  p record;
BEGIN
  SELECT x.state, x.proposed_by INTO p FROM public.tenant_policies x WHERE x.tenant_id = tenant AND x.version = p_version FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such tenant policy version' USING ERRCODE = 'WD003';
  END IF;
  IF p.state <> 'proposed' THEN
    RAISE EXCEPTION 'the version was already decided' USING ERRCODE = 'WD004';
  END IF;
  IF decider IS NOT NULL AND decider = p.proposed_by THEN
    RAISE EXCEPTION 'no one approves their own proposal' USING ERRCODE = 'WD002';
  END IF;
  IF decider IS NULL THEN
    RAISE EXCEPTION 'tenant policies are decided by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF p_approve THEN
    UPDATE public.tenant_policies x SET state = 'superseded' WHERE x.tenant_id = tenant AND x.state = 'active';
  END IF;
  RETURN QUERY
    UPDATE public.tenant_policies x SET state = CASE WHEN p_approve THEN 'active' ELSE 'rejected' END, decided_by = decider, decided_at = p_now
     WHERE x.tenant_id = tenant AND x.version = p_version
    RETURNING x.version, x.state, x.proposed_by, x.proposed_at, x.decided_by, x.decided_at;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_grant_role(uuid, text, uuid, timestamptz), ward_approve_enrollment(uuid, uuid, timestamptz),
  ward_grant_phi_scope(uuid, text, timestamptz), ward_tenant_policy_propose(text, timestamptz),
  ward_tenant_policy_decide(integer, boolean, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_grant_role(uuid, text, uuid, timestamptz), ward_approve_enrollment(uuid, uuid, timestamptz),
  ward_grant_phi_scope(uuid, text, timestamptz), ward_tenant_policy_propose(text, timestamptz),
  ward_tenant_policy_decide(integer, boolean, timestamptz) TO ward_app;
