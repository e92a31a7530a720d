-- R-AUTHZ-5, R-ELEV-1, R-WORK-2: a new key for a workload that holds a PHI scope takes two people, like
-- a PHI-scope grant (0053): whoever holds the key acts as that AI agent with its scopes, so adding one is
-- as strong as granting the scopes. An enrolled, active Owner or Admin proposes the new JWK Set (public
-- keys only, checked by the server: no secret sits in a proposal), naming the set it replaces; a second
-- one, not the proposer, approves it through their own session, and only then is the set swapped, if
-- the workload's set is still the one the proposal named (compare and swap, as 0057). A proposal
-- expires on its own (at most 7 days), one open per workload, and may be cancelled until decided.
-- The acting person comes from the verified scope, never a parameter; ward_app reads the proposals
-- and writes none of them.
--
-- ward_workload_set_keys (0057) keeps, for a person, what takes nothing away: revoking keys (a set
-- whose every key is in the current one) of any workload, and any change of a workload without a PHI
-- scope (it reads no PHI; the change is audited and raises workload.credential-change). The operator
-- keeps the one-step path (`ward workload rotate-keys`, systemDb). Same signature.
-- Refusals: WD001 the actor may not; WD002 the proposer approves; WD003 no such proposal or active
-- workload with keys; WD004 the proposal is no longer open, one is open, or the set changed.

CREATE TABLE workload_key_requests (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  workload_id  uuid NOT NULL,
  expected     jsonb NOT NULL,
  jwks         jsonb NOT NULL,
  proposed_by  uuid NOT NULL,
  proposed_at  timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'cancelled', 'expired')),
  decided_by   uuid,
  decided_at   timestamptz,
  CHECK (expires_at > proposed_at AND expires_at <= proposed_at + interval '7 days'),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK (state <> 'approved' OR (decided_by IS NOT NULL AND decided_by <> proposed_by)),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, workload_id) REFERENCES workloads (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
CREATE UNIQUE INDEX workload_key_requests_open ON workload_key_requests (tenant_id, workload_id) WHERE state = 'pending';
CREATE INDEX workload_key_requests_recent ON workload_key_requests (tenant_id, proposed_at DESC);

ALTER TABLE workload_key_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE workload_key_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON workload_key_requests
  USING (tenant_id = (SELECT ward_scope_tenant())) WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON workload_key_requests TO ward_app;
GRANT SELECT, INSERT, UPDATE (state, decided_by, decided_at) ON workload_key_requests TO ward_definer;

SET LOCAL ROLE ward_definer;

-- True when every key of p_next is in p_current: the change only takes keys away.
CREATE FUNCTION ward_jwks_subset(p_next jsonb, p_current jsonb) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
  SELECT NOT EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(p_next -> 'keys', '[]')) k
                      WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(p_current -> 'keys', '[]')) o WHERE o = k))
$$;

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
  SELECT x.id, x.jwks INTO w FROM public.workloads x
   WHERE x.client_id = p_client_id AND x.tenant_id = tenant AND x.status = 'active' AND x.role <> 'ScimProvisioner'
   FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such active workload with keys' USING ERRCODE = 'WD003';
  END IF;
  IF w.jwks IS DISTINCT FROM p_expected THEN
    RAISE EXCEPTION 'the key set changed since it was read' USING ERRCODE = 'WD004';
  END IF;
  IF NOT operator AND NOT public.ward_jwks_subset(p_jwks, w.jwks)
     AND EXISTS (SELECT 1 FROM public.workload_phi_scopes s WHERE s.workload_id = w.id) THEN
    RAISE EXCEPTION 'a new key for a workload with a PHI scope needs a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.workloads x SET jwks = p_jwks, keys_rotated_at = p_now WHERE x.id = w.id;
  RETURN w.id;
END
$$;

-- R-AUTHZ-5: an enrolled, active Owner or Admin proposes a new JWK Set for an active workload, naming
-- the set it replaces. A stale open proposal of the workload is marked expired first.
CREATE FUNCTION ward_workload_key_propose(p_id uuid, p_client_id text, p_expected jsonb, p_jwks jsonb, p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  w record;
BEGIN
  IF proposer IS NULL OR NOT public.ward_phi_grant_party(proposer) THEN
    RAISE EXCEPTION 'workload keys are proposed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.id, x.jwks INTO w FROM public.workloads x
   WHERE x.client_id = p_client_id AND x.tenant_id = tenant AND x.status = 'active' AND x.role <> 'ScimProvisioner';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such active workload with keys' USING ERRCODE = 'WD003';
  END IF;
  IF w.jwks IS DISTINCT FROM p_expected THEN
    RAISE EXCEPTION 'the key set changed since it was read' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.workload_key_requests g SET state = 'expired', decided_at = g.expires_at
   WHERE g.tenant_id = tenant AND g.workload_id = w.id AND g.state = 'pending' AND g.expires_at <= p_now;
  IF EXISTS (SELECT 1 FROM public.workload_key_requests g WHERE g.tenant_id = tenant AND g.workload_id = w.id AND g.state = 'pending') THEN
    RAISE EXCEPTION 'a key proposal for this workload is open already' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.workload_key_requests (id, tenant_id, workload_id, expected, jwks, proposed_by, proposed_at, expires_at)
  VALUES (p_id, tenant, w.id, p_expected, p_jwks, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: the second person approves an open, unexpired proposal, which swaps the set if it is
-- still the one the proposal named. The approver is an enrolled, active Owner or Admin, not the proposer.
CREATE FUNCTION ward_workload_key_approve(p_id uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  approver uuid := public.ward_scope_human();
  g record;
  w record;
BEGIN
  SELECT x.workload_id, x.expected, x.jwks, x.proposed_by, x.state, x.expires_at INTO g
    FROM public.workload_key_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF g.state <> 'pending' OR g.expires_at <= p_now THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  IF approver = g.proposed_by THEN
    RAISE EXCEPTION 'no one approves workload keys they proposed' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL OR NOT public.ward_phi_grant_party(approver) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.client_id, x.jwks INTO w FROM public.workloads x
   WHERE x.id = g.workload_id AND x.status = 'active' AND x.role <> 'ScimProvisioner' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such active workload with keys' USING ERRCODE = 'WD003';
  END IF;
  IF w.jwks IS DISTINCT FROM g.expected THEN
    RAISE EXCEPTION 'the key set changed since it was proposed' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.workload_key_requests x SET state = 'approved', decided_by = approver, decided_at = p_now WHERE x.id = p_id;
  UPDATE public.workloads x SET jwks = g.jwks, keys_rotated_at = p_now WHERE x.id = g.workload_id;
  RETURN w.client_id;
END
$$;

-- An open proposal cancelled by an active Owner or Admin (the proposer included).
CREATE FUNCTION ward_workload_key_cancel(p_id uuid, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  g record;
BEGIN
  SELECT x.state INTO g FROM public.workload_key_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'proposals are cancelled by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF g.state <> 'pending' THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.workload_key_requests x SET state = 'cancelled', decided_by = person, decided_at = p_now WHERE x.id = p_id;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_jwks_subset(jsonb, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION ward_workload_key_propose(uuid, text, jsonb, jsonb, timestamptz, timestamptz), ward_workload_key_approve(uuid, timestamptz),
  ward_workload_key_cancel(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_workload_key_propose(uuid, text, jsonb, jsonb, timestamptz, timestamptz), ward_workload_key_approve(uuid, timestamptz),
  ward_workload_key_cancel(uuid, timestamptz) TO ward_app;
