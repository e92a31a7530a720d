-- R-AUTHZ-2, R-AUTHZ-5: a PHI-scope grant takes two people. An active Owner or Admin proposes that a
-- member (never themselves) receive a PHI scope; a second active, enrolled Owner or Admin (neither the
-- proposer nor the member) approves it, and only then is the scope granted. A proposal expires on
-- its own (`expires_at`, at most 7 days) and may be cancelled by an Owner or Admin until it is
-- decided. Everything here is written by SECURITY DEFINER functions owned by ward_definer (no
-- BYPASSRLS: row-level security still confines them to the verified tenant), with the acting person
-- taken from the verified scope (ward_scope_human(), 0017), never a parameter; ward_app reads the
-- proposals (tenant isolation) and writes none of them.
--
-- ward_grant_phi_scope (0017) let one Owner or Admin grant a PHI scope alone; from here on it is the
-- operator's path only (`system:` actors, e.g. the CLI and demo set-up): a person grants through a
-- proposal and a second person's approval. Same signature, same refusal codes.
-- Refusals: WD001..WD004 as in 0017.

CREATE TABLE phi_scope_grant_requests (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  member_id    uuid NOT NULL,
  phi_scope    text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
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
-- One open proposal per member and scope.
CREATE UNIQUE INDEX phi_scope_grant_requests_open ON phi_scope_grant_requests (tenant_id, member_id, phi_scope) WHERE state = 'pending';
CREATE INDEX phi_scope_grant_requests_recent ON phi_scope_grant_requests (tenant_id, proposed_at DESC);

ALTER TABLE phi_scope_grant_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE phi_scope_grant_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON phi_scope_grant_requests
  USING (tenant_id = (SELECT ward_scope_tenant())) WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON phi_scope_grant_requests TO ward_app;
GRANT SELECT, INSERT, UPDATE (state, decided_by, decided_at) ON phi_scope_grant_requests TO ward_definer;

SET LOCAL ROLE ward_definer;

-- A member of the verified tenant who may take part: active, holding Owner or Admin, with a live passkey.
CREATE FUNCTION ward_phi_grant_party(p_member uuid) RETURNS boolean
  LANGUAGE sql STABLE
AS $$
  SELECT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member AND m.status = 'active')
     AND EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = p_member AND r.role IN ('Owner', 'Admin'))
     AND EXISTS (SELECT 1 FROM public.passkey_credentials c WHERE c.member_id = p_member AND c.revoked_at IS NULL)
$$;
REVOKE ALL ON FUNCTION ward_phi_grant_party(uuid) FROM PUBLIC;

-- R-AUTHZ-5: an Owner or Admin proposes a PHI scope for another member who does not hold it yet.
-- A stale open proposal for the same member and scope is marked expired first.
CREATE FUNCTION ward_phi_grant_propose(p_id uuid, p_member uuid, p_scope text, p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF proposer IS NULL OR NOT public.ward_phi_grant_party(proposer) THEN
    RAISE EXCEPTION 'PHI-scope grants are proposed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF proposer = p_member THEN
    RAISE EXCEPTION 'no one proposes a PHI scope for themselves' USING ERRCODE = 'WD002';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member AND m.status <> 'disabled') THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
  IF EXISTS (SELECT 1 FROM public.member_phi_scopes s WHERE s.member_id = p_member AND s.phi_scope = p_scope) THEN
    RAISE EXCEPTION 'the member holds the scope already' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.phi_scope_grant_requests g SET state = 'expired', decided_at = g.expires_at
   WHERE g.tenant_id = tenant AND g.member_id = p_member AND g.phi_scope = p_scope AND g.state = 'pending' AND g.expires_at <= p_now;
  IF EXISTS (SELECT 1 FROM public.phi_scope_grant_requests g
              WHERE g.tenant_id = tenant AND g.member_id = p_member AND g.phi_scope = p_scope AND g.state = 'pending') THEN
    RAISE EXCEPTION 'a proposal for this member and scope is open already' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.phi_scope_grant_requests (id, tenant_id, member_id, phi_scope, proposed_by, proposed_at, expires_at)
  VALUES (p_id, tenant, p_member, p_scope, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: the second person approves an open, unexpired proposal, which grants the scope. The
-- approver is an enrolled, active Owner or Admin who is neither the proposer nor the member.
CREATE FUNCTION ward_phi_grant_approve(p_id uuid, p_now timestamptz) RETURNS TABLE (member_id uuid, phi_scope text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  approver uuid := public.ward_scope_human();
  g record;
BEGIN
  SELECT x.tenant_id, x.member_id, x.phi_scope, x.proposed_by, x.state, x.expires_at INTO g
    FROM public.phi_scope_grant_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF g.state <> 'pending' OR g.expires_at <= p_now THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  IF approver = g.proposed_by OR approver = g.member_id THEN
    RAISE EXCEPTION 'no one approves a grant they proposed or receive' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL OR NOT public.ward_phi_grant_party(approver) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = g.member_id AND m.status <> 'disabled') THEN
    RAISE EXCEPTION 'the member is disabled' USING ERRCODE = 'WD003';
  END IF;
  UPDATE public.phi_scope_grant_requests x SET state = 'approved', decided_by = approver, decided_at = p_now WHERE x.id = p_id;
  INSERT INTO public.member_phi_scopes (tenant_id, member_id, phi_scope, granted_by, granted_at)
  VALUES (g.tenant_id, g.member_id, g.phi_scope, approver, p_now)
  ON CONFLICT DO NOTHING;
  RETURN QUERY SELECT g.member_id, g.phi_scope;
END
$$;

-- An open proposal cancelled by an active Owner or Admin (the proposer included) other than its member.
CREATE FUNCTION ward_phi_grant_cancel(p_id uuid, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  g record;
BEGIN
  SELECT x.member_id, x.state INTO g FROM public.phi_scope_grant_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'proposals are cancelled by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF person = g.member_id THEN
    RAISE EXCEPTION 'no one decides a grant they receive' USING ERRCODE = 'WD002';
  END IF;
  IF g.state <> 'pending' THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.phi_scope_grant_requests x SET state = 'cancelled', decided_by = person, decided_at = p_now WHERE x.id = p_id;
END
$$;

-- ward_grant_phi_scope (0017): the operator's path only; a person proposes, a second person approves.
CREATE OR REPLACE FUNCTION ward_grant_phi_scope(p_member_id uuid, p_phi_scope text, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) = p_member_id THEN
    RAISE EXCEPTION 'no one grants a PHI scope to themselves' USING ERRCODE = 'WD002';
  END IF;
  IF NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'a person grants a PHI scope through a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member_id AND m.status <> 'disabled') THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
  INSERT INTO public.member_phi_scopes (tenant_id, member_id, phi_scope, granted_by, granted_at)
  VALUES (tenant, p_member_id, p_phi_scope, NULL, p_now)
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_phi_grant_propose(uuid, uuid, text, timestamptz, timestamptz), ward_phi_grant_approve(uuid, timestamptz),
  ward_phi_grant_cancel(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_phi_grant_propose(uuid, uuid, text, timestamptz, timestamptz), ward_phi_grant_approve(uuid, timestamptz),
  ward_phi_grant_cancel(uuid, timestamptz) TO ward_app;
