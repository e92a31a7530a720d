-- R-DATA-5, R-AUTHZ-5, R-AUTHZ-7: a retention change that destroys PHI sooner takes two people, like a
-- SCIM token (0095) or a PHI-scoped workload's key (0096). A change SHORTENS when the artifact had no
-- policy (kept until one says otherwise), when its days go down, or when de-identification becomes
-- deletion; releasing a legal hold lets retention reach what it held. An enrolled, active Owner or
-- Admin proposes either; a second one, not the proposer, approves it through their own session, and
-- only then is the policy written (if it is still the one the proposal named: compare and swap) or
-- the hold released. A proposal expires on its own (at most 7 days), one open per artifact and per
-- hold; the proposer withdraws it (cancelled) or another Owner or Admin refuses it (refused).
-- Lengthening a period, de-identifying instead of deleting and placing a hold stay one step.
--
-- Everything is written by SECURITY DEFINER functions owned by ward_definer (no BYPASSRLS), with the
-- acting person taken from the verified scope, never a parameter: ward_app loses INSERT, UPDATE and
-- DELETE on retention_policies and UPDATE on legal_holds (it keeps placing holds), so a leaked
-- ward_app credential shortens nothing and releases nothing. The retention job reads
-- retention_policies only: a proposal is never in effect. The operator (a system actor) keeps the
-- one-step path, as 0095's CLI does.
-- Refusals: WD001 the actor may not (or the change shortens and needs a proposal); WD002 the proposer
-- approves; WD003 no such proposal or live hold; WD004 the proposal is no longer open, one is open,
-- the hold is released, or the policy changed since it was proposed.

CREATE TABLE retention_change_requests (
  id              uuid PRIMARY KEY,
  tenant_id       uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind            text NOT NULL CHECK (kind IN ('policy', 'hold-release')),
  artifact        text CHECK (artifact IN ('recordings', 'transcripts', 'ai_drafts', 'case_notes')),
  action          text CHECK (action IN ('delete', 'deidentify')),
  after_days      integer CHECK (after_days BETWEEN 1 AND 36500),
  -- The policy the proposal replaces (both NULL: there was none).
  expected_action text CHECK (expected_action IN ('delete', 'deidentify')),
  expected_days   integer,
  hold_id         uuid REFERENCES legal_holds (id) ON DELETE CASCADE,
  proposed_by     uuid NOT NULL,
  proposed_at     timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'cancelled', 'refused', 'expired')),
  decided_by      uuid,
  decided_at      timestamptz,
  CHECK ((kind = 'policy') = (artifact IS NOT NULL AND action IS NOT NULL AND after_days IS NOT NULL)),
  CHECK ((kind = 'hold-release') = (hold_id IS NOT NULL)),
  CHECK (kind = 'policy' OR (artifact IS NULL AND action IS NULL AND after_days IS NULL AND expected_action IS NULL AND expected_days IS NULL)),
  CHECK (artifact IS DISTINCT FROM 'recordings' OR action = 'delete'),
  CHECK ((expected_action IS NULL) = (expected_days IS NULL)),
  CHECK (expires_at > proposed_at AND expires_at <= proposed_at + interval '7 days'),
  CHECK ((state = 'pending') = (decided_at IS NULL)),
  CHECK (state <> 'approved' OR (decided_by IS NOT NULL AND decided_by <> proposed_by)),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
CREATE UNIQUE INDEX retention_change_requests_open_policy ON retention_change_requests (tenant_id, artifact) WHERE state = 'pending' AND kind = 'policy';
CREATE UNIQUE INDEX retention_change_requests_open_hold ON retention_change_requests (tenant_id, hold_id) WHERE state = 'pending' AND kind = 'hold-release';
CREATE INDEX retention_change_requests_recent ON retention_change_requests (tenant_id, proposed_at DESC);

ALTER TABLE retention_change_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE retention_change_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON retention_change_requests
  USING (tenant_id = (SELECT ward_scope_tenant())) WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
GRANT SELECT ON retention_change_requests TO ward_app;
GRANT SELECT, INSERT, UPDATE (state, decided_by, decided_at) ON retention_change_requests TO ward_definer;

REVOKE INSERT, UPDATE, DELETE ON retention_policies FROM ward_app;
REVOKE UPDATE ON legal_holds FROM ward_app;
GRANT SELECT, INSERT, UPDATE (action, after_days, updated_by, updated_at) ON retention_policies TO ward_definer;
GRANT SELECT, UPDATE (released_at, released_by) ON legal_holds TO ward_definer;

SET LOCAL ROLE ward_definer;

-- True when the policy (p_action, p_days) destroys PHI sooner or more than the current one (NULLs: none).
CREATE FUNCTION ward_retention_shortens(p_current_action text, p_current_days integer, p_action text, p_days integer) RETURNS boolean
  LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p_current_days IS NULL OR p_days < p_current_days OR (p_action = 'delete' AND p_current_action = 'deidentify')
$$;

-- Writes the policy of an artifact (not callable by ward_app).
CREATE FUNCTION ward_retention_policy_write(p_artifact text, p_action text, p_days integer, p_by text, p_now timestamptz) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  INSERT INTO public.retention_policies AS x (tenant_id, artifact, action, after_days, updated_by, updated_at)
  VALUES (public.ward_scope_tenant(), p_artifact, p_action, p_days, p_by, p_now)
  ON CONFLICT (tenant_id, artifact) DO UPDATE SET action = EXCLUDED.action, after_days = EXCLUDED.after_days,
    updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
$$;

-- One step: an active Owner or Admin lengthens a policy (or de-identifies instead of deleting); the
-- operator sets any. A shortening by a person is refused: it needs a proposal and a second approval.
CREATE FUNCTION ward_retention_policy_set(p_artifact text, p_action text, p_days integer, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  cur record;
BEGIN
  IF person IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'retention is set by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.action, x.after_days INTO cur FROM public.retention_policies x WHERE x.artifact = p_artifact FOR UPDATE;
  IF NOT operator AND public.ward_retention_shortens(cur.action, cur.after_days, p_action, p_days) THEN
    RAISE EXCEPTION 'a retention change that deletes sooner needs a proposal and a second approval' USING ERRCODE = 'WD001';
  END IF;
  PERFORM public.ward_retention_policy_write(p_artifact, p_action, p_days, COALESCE(person::text, public.ward_scope_actor()), p_now);
END
$$;

-- The proposer: an enrolled, active Owner or Admin. A stale open proposal on the same object is marked
-- expired first; another open one refuses (WD004).
CREATE FUNCTION ward_retention_change_open(p_kind text, p_artifact text, p_hold uuid, p_now timestamptz) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF proposer IS NULL OR NOT public.ward_phi_grant_party(proposer) THEN
    RAISE EXCEPTION 'retention changes are proposed by an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.retention_change_requests g SET state = 'expired', decided_at = g.expires_at
   WHERE g.tenant_id = tenant AND g.kind = p_kind AND g.state = 'pending' AND g.expires_at <= p_now
     AND g.artifact IS NOT DISTINCT FROM p_artifact AND g.hold_id IS NOT DISTINCT FROM p_hold;
  IF EXISTS (SELECT 1 FROM public.retention_change_requests g WHERE g.tenant_id = tenant AND g.kind = p_kind AND g.state = 'pending'
              AND g.artifact IS NOT DISTINCT FROM p_artifact AND g.hold_id IS NOT DISTINCT FROM p_hold) THEN
    RAISE EXCEPTION 'a proposal for this is open already' USING ERRCODE = 'WD004';
  END IF;
  RETURN proposer;
END
$$;

-- R-AUTHZ-5: an Owner or Admin proposes a policy, naming the one it replaces as read now.
CREATE FUNCTION ward_retention_policy_propose(p_id uuid, p_artifact text, p_action text, p_days integer, p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_retention_change_open('policy', p_artifact, NULL, p_now);
  cur record;
BEGIN
  SELECT x.action, x.after_days INTO cur FROM public.retention_policies x WHERE x.artifact = p_artifact;
  INSERT INTO public.retention_change_requests (id, tenant_id, kind, artifact, action, after_days, expected_action, expected_days, proposed_by, proposed_at, expires_at)
  VALUES (p_id, public.ward_scope_tenant(), 'policy', p_artifact, p_action, p_days, cur.action, cur.after_days, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: an Owner or Admin proposes to release a live legal hold of the tenant.
CREATE FUNCTION ward_legal_hold_release_propose(p_id uuid, p_hold uuid, p_expires_at timestamptz, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_retention_change_open('hold-release', NULL, p_hold, p_now);
  h record;
BEGIN
  SELECT x.released_at INTO h FROM public.legal_holds x WHERE x.id = p_hold;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such legal hold' USING ERRCODE = 'WD003';
  END IF;
  IF h.released_at IS NOT NULL THEN
    RAISE EXCEPTION 'the hold is released already' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.retention_change_requests (id, tenant_id, kind, hold_id, proposed_by, proposed_at, expires_at)
  VALUES (p_id, public.ward_scope_tenant(), 'hold-release', p_hold, proposer, p_now, p_expires_at);
END
$$;

-- R-AUTHZ-5: the second person approves an open, unexpired proposal: the policy is written if it is
-- still the one the proposal named, or the hold released if it is still live. The approver is an
-- enrolled, active Owner or Admin who is not the proposer.
CREATE FUNCTION ward_retention_change_approve(p_id uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  approver uuid := public.ward_scope_human();
  g record;
  cur record;
BEGIN
  SELECT x.kind, x.artifact, x.action, x.after_days, x.expected_action, x.expected_days, x.hold_id, x.proposed_by, x.state, x.expires_at INTO g
    FROM public.retention_change_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  -- The database's clock too: a caller's old p_now never revives an expired proposal.
  IF g.state <> 'pending' OR g.expires_at <= greatest(p_now, statement_timestamp()) THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  IF approver = g.proposed_by THEN
    RAISE EXCEPTION 'no one approves a retention change they proposed' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL OR NOT public.ward_phi_grant_party(approver) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF g.kind = 'policy' THEN
    SELECT x.action, x.after_days INTO cur FROM public.retention_policies x WHERE x.artifact = g.artifact FOR UPDATE;
    IF cur.action IS DISTINCT FROM g.expected_action OR cur.after_days IS DISTINCT FROM g.expected_days THEN
      RAISE EXCEPTION 'the policy changed since it was proposed' USING ERRCODE = 'WD004';
    END IF;
    PERFORM public.ward_retention_policy_write(g.artifact, g.action, g.after_days, approver::text, p_now);
  ELSE
    UPDATE public.legal_holds x SET released_at = p_now, released_by = approver::text WHERE x.id = g.hold_id AND x.released_at IS NULL;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the hold is released already' USING ERRCODE = 'WD004';
    END IF;
  END IF;
  UPDATE public.retention_change_requests x SET state = 'approved', decided_by = approver, decided_at = p_now WHERE x.id = p_id;
  RETURN g.kind;
END
$$;

-- An open proposal withdrawn by its proposer (cancelled) or refused by another active Owner or Admin.
CREATE FUNCTION ward_retention_change_refuse(p_id uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  g record;
  outcome text;
BEGIN
  SELECT x.state, x.proposed_by, x.expires_at INTO g FROM public.retention_change_requests x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such proposal' USING ERRCODE = 'WD003';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'proposals are refused by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF g.state <> 'pending' OR g.expires_at <= p_now THEN
    RAISE EXCEPTION 'the proposal is no longer open' USING ERRCODE = 'WD004';
  END IF;
  outcome := CASE WHEN person = g.proposed_by THEN 'cancelled' ELSE 'refused' END;
  UPDATE public.retention_change_requests x SET state = outcome, decided_by = person, decided_at = p_now WHERE x.id = p_id;
  RETURN outcome;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_retention_shortens(text, integer, text, integer), ward_retention_policy_write(text, text, integer, text, timestamptz),
  ward_retention_change_open(text, text, uuid, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION ward_retention_policy_set(text, text, integer, timestamptz),
  ward_retention_policy_propose(uuid, text, text, integer, timestamptz, timestamptz), ward_legal_hold_release_propose(uuid, uuid, timestamptz, timestamptz),
  ward_retention_change_approve(uuid, timestamptz), ward_retention_change_refuse(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_retention_policy_set(text, text, integer, timestamptz),
  ward_retention_policy_propose(uuid, text, text, integer, timestamptz, timestamptz), ward_legal_hold_release_propose(uuid, uuid, timestamptz, timestamptz),
  ward_retention_change_approve(uuid, timestamptz), ward_retention_change_refuse(uuid, timestamptz) TO ward_app;
