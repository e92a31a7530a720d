-- R-AUTHZ-5, R-AUTHZ-2, R-AUTHN-5: a role added to an existing member takes two people, like a PHI
-- scope (0053). An enrolled, active Owner or Admin proposes a role for another member; a second one,
-- neither the proposer nor the member, approves it, and only then is the role granted. Owner and
-- Admin are proposed and approved by Owners only (Cedar's `sod-owner-grants-privileged-roles`, held
-- here again). A proposal expires on its own (at most 7 days) and may be cancelled until decided.
-- Everything is written by SECURITY DEFINER functions owned by ward_definer (no BYPASSRLS), with the
-- acting person taken from the verified scope, never a parameter; ward_app reads the proposals and
-- writes none of them.
--
-- Removing a role is one person's act and immediate (ward_revoke_role): least privilege, and the
-- same as disabling the member, which one Owner or Admin does at once. Only an Owner removes Owner or
-- Admin; no one removes their own role; the tenant's last active Owner keeps the role.
--
-- ward_grant_role (0017) let one Owner or Admin grant Manager, Agent, Viewer or Auditor to any member
-- alone. From here on a person grants through it only the role named by the member's own invitation,
-- while the member is still invited and holds no passkey (the invite flow, docs/roles.md); Owner,
-- Admin and now Auditor invitations need the second person's approval first (ward_approve_enrollment).
-- The operator keeps the one-person path. Same signature, same refusal codes (WD001..WD004, 0017).

CREATE TABLE role_grant_requests (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  member_id    uuid NOT NULL,
  role         text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor')),
  proposed_by  uuid NOT NULL,
  proposed_at  timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'cancelled', 'expired')),
  decided_by   uuid,
  decided_at   timestamptz,
  CHECK (expires_at > proposed_at AND expires_at <= proposed_at + interval '7 days'),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK (state <> 'approved' OR (decided_by IS NOT NULL AND decided_by <> proposed_by AND decided_by <> member_id)),
  CHECK (proposed_by <> member_id),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
-- One open proposal per member and role.
CREATE UNIQUE INDEX role_grant_requests_open ON role_grant_requests (tenant_id, member_id, role) WHERE state = 'pending';
CREATE INDEX role_grant_requests_recent ON role_grant_requests (tenant_id, proposed_at DESC);

ALTER TABLE role_grant_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE role_grant_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON role_grant_requests
  USING (tenant_id = (SELECT ward_scope_tenant())) WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON role_grant_requests TO ward_app;
GRANT SELECT, INSERT, UPDATE (state, decided_by, decided_at) ON role_grant_requests TO ward_definer;

SET LOCAL ROLE ward_definer;

-- R-AUTHZ-5: an enrolled, active Owner or Admin (an Owner for Owner and Admin) proposes a role for
-- another member who does not hold it yet. A stale open proposal for the same member and role is
-- marked expired first.
-- Who may take part is ward_phi_grant_party (0053): active, Owner or Admin, with a live passkey.
CREATE FUNCTION ward_role_grant_propose(p_id uuid, p_member uuid, p_role text, p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF proposer IS NULL OR NOT public.ward_phi_grant_party(proposer) THEN
    RAISE EXCEPTION 'roles are proposed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF proposer = p_member THEN
    RAISE EXCEPTION 'no one proposes a role for themselves' USING ERRCODE = 'WD002';
  END IF;
  IF p_role IN ('Owner', 'Admin') AND public.ward_scope_member_with_role(ARRAY['Owner']) IS NULL THEN
    RAISE EXCEPTION 'only an Owner proposes an Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member AND m.status <> 'disabled') THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
  IF EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = p_member AND r.role = p_role) THEN
    RAISE EXCEPTION 'the member holds the role already' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.role_grant_requests g SET state = 'expired', decided_at = g.expires_at
   WHERE g.tenant_id = tenant AND g.member_id = p_member AND g.role = p_role AND g.state = 'pending' AND g.expires_at <= p_now;
  IF EXISTS (SELECT 1 FROM public.role_grant_requests g
              WHERE g.tenant_id = tenant AND g.member_id = p_member AND g.role = p_role AND g.state = 'pending') THEN
    RAISE EXCEPTION 'a proposal for this member and role is open already' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.role_grant_requests (id, tenant_id, member_id, role, proposed_by, proposed_at, expires_at)
  VALUES (p_id, tenant, p_member, p_role, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: the second person approves an open, unexpired proposal, which grants the role. The
-- approver is an enrolled, active Owner or Admin (an Owner for Owner and Admin) who is neither the
-- proposer nor the member.
CREATE FUNCTION ward_role_grant_approve(p_id uuid, p_now timestamptz) RETURNS TABLE (member_id uuid, role text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  approver uuid := public.ward_scope_human();
  g record;
BEGIN
  SELECT x.tenant_id, x.member_id, x.role, x.proposed_by, x.state, x.expires_at INTO g
    FROM public.role_grant_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF g.state <> 'pending' OR g.expires_at <= p_now THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  IF approver = g.proposed_by OR approver = g.member_id THEN
    RAISE EXCEPTION 'no one approves a role they proposed or receive' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL OR NOT public.ward_phi_grant_party(approver) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF g.role IN ('Owner', 'Admin') AND public.ward_scope_member_with_role(ARRAY['Owner']) IS NULL THEN
    RAISE EXCEPTION 'only an Owner approves an Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = g.member_id AND m.status <> 'disabled') THEN
    RAISE EXCEPTION 'the member is disabled' USING ERRCODE = 'WD003';
  END IF;
  UPDATE public.role_grant_requests x SET state = 'approved', decided_by = approver, decided_at = p_now WHERE x.id = p_id;
  INSERT INTO public.member_roles (tenant_id, member_id, role, granted_by, granted_at)
  VALUES (g.tenant_id, g.member_id, g.role, approver, p_now)
  ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT g.member_id, g.role;
END
$$;

-- An open proposal cancelled by an active Owner or Admin (the proposer included) other than its member.
CREATE FUNCTION ward_role_grant_cancel(p_id uuid, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  g record;
BEGIN
  SELECT x.member_id, x.state INTO g FROM public.role_grant_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'proposals are cancelled by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF person = g.member_id THEN
    RAISE EXCEPTION 'no one decides a role they receive' USING ERRCODE = 'WD002';
  END IF;
  IF g.state <> 'pending' THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.role_grant_requests x SET state = 'cancelled', decided_by = person, decided_at = p_now WHERE x.id = p_id;
END
$$;

-- R-AUTHN-5, least privilege: a role removed at once by an enrolled, active Owner or Admin (an Owner
-- for Owner and Admin), never their own, never the tenant's last active Owner. True when removed.
CREATE FUNCTION ward_revoke_role(p_member uuid, p_role text, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
BEGIN
  IF person IS NULL OR NOT public.ward_phi_grant_party(person) THEN
    RAISE EXCEPTION 'roles are removed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF person = p_member THEN
    RAISE EXCEPTION 'no one removes their own role' USING ERRCODE = 'WD002';
  END IF;
  IF p_role IN ('Owner', 'Admin') AND public.ward_scope_member_with_role(ARRAY['Owner']) IS NULL THEN
    RAISE EXCEPTION 'only an Owner removes an Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = p_member AND r.role = p_role) THEN
    RAISE EXCEPTION 'the member does not hold the role' USING ERRCODE = 'WD003';
  END IF;
  -- Concurrent removals of a tenant's Owners wait for each other, so that two cannot each leave the
  -- other as the last (each statement below reads what the one before committed).
  IF p_role = 'Owner' THEN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('ward_revoke_role:' || public.ward_scope_tenant()::text));
  END IF;
  IF p_role = 'Owner' AND NOT EXISTS (
       SELECT 1 FROM public.member_roles r JOIN public.members m ON m.id = r.member_id AND m.status = 'active'
        WHERE r.role = 'Owner' AND r.member_id <> p_member) THEN
    RAISE EXCEPTION 'the last active Owner keeps the role' USING ERRCODE = 'WD004';
  END IF;
  DELETE FROM public.member_roles r WHERE r.member_id = p_member AND r.role = p_role;
  RETURN FOUND;
END
$$;

-- ward_grant_role (0017): a person grants only the role of the member's own open invitation (the
-- invite flow), and Owner, Admin or Auditor only once a second person approved that invitation; the
-- operator grants any role, Owner and Admin with an approved invitation as before.
CREATE OR REPLACE FUNCTION ward_grant_role(p_member_id uuid, p_role text, p_granted_by uuid, p_now timestamptz) RETURNS boolean
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
  IF (p_role IN ('Owner', 'Admin') OR (p_role = 'Auditor' AND NOT operator)) AND NOT EXISTS (
       SELECT 1 FROM public.enrollment_tokens e
        WHERE e.member_id = p_member_id AND e.role = p_role AND e.requires_approval AND e.approved_at IS NOT NULL) THEN
    RAISE EXCEPTION 'an Owner, Admin or Auditor role needs an approved invitation' USING ERRCODE = 'WD001';
  END IF;
  IF NOT operator AND NOT EXISTS (
       SELECT 1 FROM public.members m
        WHERE m.id = p_member_id AND m.status = 'invited'
          AND NOT EXISTS (SELECT 1 FROM public.passkey_credentials c WHERE c.member_id = m.id)
          AND EXISTS (SELECT 1 FROM public.enrollment_tokens e
                       WHERE e.member_id = m.id AND e.role = p_role AND e.consumed_at IS NULL AND e.expires_at > p_now)) THEN
    RAISE EXCEPTION 'a person adds a role to an existing member through a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.member_roles (tenant_id, member_id, role, granted_by, granted_at)
  SELECT m.tenant_id, m.id, p_role, COALESCE(granter, p_granted_by), p_now FROM public.members m WHERE m.id = p_member_id
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_role_grant_propose(uuid, uuid, text, timestamptz, timestamptz), ward_role_grant_approve(uuid, timestamptz),
  ward_role_grant_cancel(uuid, timestamptz), ward_revoke_role(uuid, text, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_role_grant_propose(uuid, uuid, text, timestamptz, timestamptz), ward_role_grant_approve(uuid, timestamptz),
  ward_role_grant_cancel(uuid, timestamptz), ward_revoke_role(uuid, text, timestamptz) TO ward_app;
