-- R-AUTHZ-5, R-ELEV-1, R-AUTHN-5: a SCIM token from the admin console takes two people, like a role
-- (0070) or a PHI scope (0053). A SCIM token provisions and deprovisions members, so it is as strong as
-- a role grant. An enrolled, active Owner or Admin proposes a token (its lifetime, and whether the live
-- ones end); a second one, not the proposer, approves it through their own session, and only then is
-- the token made: by the server, in the approver's request, shown once to the approver and stored by
-- hash only, so no secret ever sits in a proposal. A proposal expires on its own (at most 7 days) and
-- may be cancelled until decided. Everything is written by SECURITY DEFINER functions owned by
-- ward_definer (no BYPASSRLS), with the acting person taken from the verified scope, never a
-- parameter; ward_app reads the proposals and writes none of them.
--
-- ward_scim_token_issue (0058) let one Owner or Admin issue a token alone; from here on it is the
-- operator's path only (`ward scim token` stays one step, run on the host). Same signature.
-- Refusals: WD001 the actor may not; WD002 the proposer approves; WD003 no such proposal;
-- WD004 the proposal is no longer open, or the SCIM client is disabled.

CREATE TABLE scim_token_requests (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  days         integer NOT NULL CHECK (days BETWEEN 1 AND 365),
  revoke_old   boolean NOT NULL,
  proposed_by  uuid NOT NULL,
  proposed_at  timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'cancelled', 'expired')),
  decided_by   uuid,
  decided_at   timestamptz,
  token_id     uuid,
  CHECK (expires_at > proposed_at AND expires_at <= proposed_at + interval '7 days'),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK (state <> 'approved' OR (decided_by IS NOT NULL AND decided_by <> proposed_by AND token_id IS NOT NULL)),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
-- One open proposal per tenant.
CREATE UNIQUE INDEX scim_token_requests_open ON scim_token_requests (tenant_id) WHERE state = 'pending';
CREATE INDEX scim_token_requests_recent ON scim_token_requests (tenant_id, proposed_at DESC);

ALTER TABLE scim_token_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE scim_token_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON scim_token_requests
  USING (tenant_id = (SELECT ward_scope_tenant())) WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON scim_token_requests TO ward_app;
GRANT SELECT, INSERT, UPDATE (state, decided_by, decided_at, token_id) ON scim_token_requests TO ward_definer;

SET LOCAL ROLE ward_definer;

-- Stores a made token for the tenant's SCIM client (registered on first use), optionally revoking the
-- live ones. Not callable by ward_app: only the functions below (and 0058's, the operator's) call it.
CREATE FUNCTION ward_scim_token_store(p_token_id uuid, p_token_hash bytea, p_expires timestamptz, p_revoke_old boolean,
                                      p_new_workload uuid, p_new_client_id text, p_now timestamptz)
  RETURNS TABLE (workload_id uuid, client_id text, revoked integer, registered boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  tenant uuid := public.ward_scope_tenant();
  w record;
  n integer := 0;
  fresh boolean := false;
BEGIN
  IF tenant IS NULL THEN
    RAISE EXCEPTION 'no verified tenant' USING ERRCODE = 'WD001';
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

-- 0058's one-step issue: the operator's only from here on.
CREATE OR REPLACE FUNCTION ward_scim_token_issue(p_token_id uuid, p_token_hash bytea, p_expires timestamptz, p_revoke_old boolean,
                                                 p_new_workload uuid, p_new_client_id text, p_now timestamptz)
  RETURNS TABLE (workload_id uuid, client_id text, revoked integer, registered boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'a person issues a SCIM token through a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  RETURN QUERY SELECT * FROM public.ward_scim_token_store(p_token_id, p_token_hash, p_expires, p_revoke_old, p_new_workload, p_new_client_id, p_now);
END
$$;

-- R-AUTHZ-5: an enrolled, active Owner or Admin proposes a SCIM token. A stale open proposal of the
-- tenant is marked expired first.
CREATE FUNCTION ward_scim_token_propose(p_id uuid, p_days integer, p_revoke_old boolean, p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF proposer IS NULL OR NOT public.ward_phi_grant_party(proposer) THEN
    RAISE EXCEPTION 'SCIM tokens are proposed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.scim_token_requests g SET state = 'expired', decided_at = g.expires_at
   WHERE g.tenant_id = tenant AND g.state = 'pending' AND g.expires_at <= p_now;
  IF EXISTS (SELECT 1 FROM public.scim_token_requests g WHERE g.tenant_id = tenant AND g.state = 'pending') THEN
    RAISE EXCEPTION 'a SCIM token proposal is open already' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.scim_token_requests (id, tenant_id, days, revoke_old, proposed_by, proposed_at, expires_at)
  VALUES (p_id, tenant, p_days, p_revoke_old, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: the second person approves an open, unexpired proposal; the token the server made in the
-- approver's request is stored by hash (its lifetime and revocation are the proposal's, not the
-- approver's). The approver is an enrolled, active Owner or Admin who is not the proposer.
CREATE FUNCTION ward_scim_token_approve(p_id uuid, p_token_id uuid, p_token_hash bytea, p_new_workload uuid, p_new_client_id text, p_now timestamptz)
  RETURNS TABLE (client_id text, expires_at timestamptz, revoked integer, registered boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  approver uuid := public.ward_scope_human();
  g record;
  s record;
  valid_until timestamptz;
BEGIN
  SELECT x.days, x.revoke_old, x.proposed_by, x.state, x.expires_at INTO g
    FROM public.scim_token_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF g.state <> 'pending' OR g.expires_at <= p_now THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  IF approver = g.proposed_by THEN
    RAISE EXCEPTION 'no one approves a SCIM token they proposed' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL OR NOT public.ward_phi_grant_party(approver) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  valid_until := p_now + make_interval(days => g.days);
  SELECT * INTO s FROM public.ward_scim_token_store(p_token_id, p_token_hash, valid_until, g.revoke_old, p_new_workload, p_new_client_id, p_now);
  UPDATE public.scim_token_requests x SET state = 'approved', decided_by = approver, decided_at = p_now, token_id = p_token_id WHERE x.id = p_id;
  RETURN QUERY SELECT s.client_id, valid_until, s.revoked, s.registered;
END
$$;

-- An open proposal cancelled by an active Owner or Admin (the proposer included).
CREATE FUNCTION ward_scim_token_cancel(p_id uuid, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  g record;
BEGIN
  SELECT x.state INTO g FROM public.scim_token_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'proposals are cancelled by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF g.state <> 'pending' THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.scim_token_requests x SET state = 'cancelled', decided_by = person, decided_at = p_now WHERE x.id = p_id;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_scim_token_store(uuid, bytea, timestamptz, boolean, uuid, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION ward_scim_token_propose(uuid, integer, boolean, timestamptz, timestamptz),
  ward_scim_token_approve(uuid, uuid, bytea, uuid, text, timestamptz), ward_scim_token_cancel(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_scim_token_propose(uuid, integer, boolean, timestamptz, timestamptz),
  ward_scim_token_approve(uuid, uuid, bytea, uuid, text, timestamptz), ward_scim_token_cancel(uuid, timestamptz) TO ward_app;
