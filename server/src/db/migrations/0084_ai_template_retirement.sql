-- R-AI-2, R-AUTHZ-5: retiring a tenant AI template takes two people, like adding one (docs/ai.md
-- "Tenant templates"). One active Owner or Admin asks to retire the active version of a template; a
-- second one approves (the version becomes `retired` and never runs again; for an id that has a
-- default in `ai/templates/`, the default runs again) or rejects the request. History is kept: the
-- version's row stays, with its state, and every request is a row of `ai_template_retirements` with who
-- asked, who decided, when and how. ward_app only reads both tables; the requests and decisions are
-- SECURITY DEFINER functions (plpgsql) that take the actor from the verified scope (people only: the
-- operator neither asks nor decides).
-- Refusals: WD001 not permitted, WD002 self-approval, WD003 nothing to decide, WD004 not active or already decided.

ALTER TABLE ai_templates DROP CONSTRAINT ai_templates_state_check;
ALTER TABLE ai_templates ADD CONSTRAINT ai_templates_state_check CHECK (state IN ('proposed', 'active', 'superseded', 'rejected', 'retired'));

CREATE TABLE ai_template_retirements (
  tenant_id     uuid NOT NULL,
  template_id   text NOT NULL,
  version       integer NOT NULL,
  requested_by  uuid NOT NULL,
  requested_at  timestamptz NOT NULL,
  outcome       text CHECK (outcome IN ('approved', 'rejected')),
  decided_by    uuid,
  decided_at    timestamptz,
  PRIMARY KEY (tenant_id, template_id, version, requested_at),
  CHECK (decided_by IS NULL OR decided_by <> requested_by),
  CHECK ((outcome IS NULL) = (decided_by IS NULL) AND (decided_by IS NULL) = (decided_at IS NULL)),
  FOREIGN KEY (tenant_id, template_id, version) REFERENCES ai_templates (tenant_id, template_id, version) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, requested_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
-- At most one open request per version.
CREATE UNIQUE INDEX ai_template_retirements_open ON ai_template_retirements (tenant_id, template_id, version) WHERE outcome IS NULL;

ALTER TABLE ai_template_retirements ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_template_retirements FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_template_retirements
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT ON ai_template_retirements TO ward_app;
GRANT SELECT, INSERT, UPDATE ON ai_template_retirements TO ward_definer;

SET LOCAL ROLE ward_definer;

-- A request to retire the active version, by the verified person (an active Owner or Admin).
CREATE FUNCTION ward_ai_template_retire_request(p_template_id text, p_version integer, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  requester uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  v record;
BEGIN
  IF requester IS NULL THEN
    RAISE EXCEPTION 'retiring a tenant AI template is asked by an active Owner or Admin through their own session' USING ERRCODE = 'WD001';
  END IF;
  SELECT t.state INTO v FROM public.ai_templates t
   WHERE t.tenant_id = tenant AND t.template_id = p_template_id AND t.version = p_version FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such AI template version' USING ERRCODE = 'WD003';
  END IF;
  IF v.state <> 'active' THEN
    RAISE EXCEPTION 'only the active version of an AI template is retired' USING ERRCODE = 'WD004';
  END IF;
  IF EXISTS (SELECT 1 FROM public.ai_template_retirements r
              WHERE r.tenant_id = tenant AND r.template_id = p_template_id AND r.version = p_version AND r.outcome IS NULL) THEN
    RAISE EXCEPTION 'the retirement of this AI template version is already asked' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.ai_template_retirements (tenant_id, template_id, version, requested_by, requested_at)
  VALUES (tenant, p_template_id, p_version, requester, p_now);
END
$$;

-- The open request approved (the version becomes `retired`) or rejected by the verified person: an
-- active Owner or Admin other than the one who asked.
CREATE FUNCTION ward_ai_template_retire_decide(p_template_id text, p_version integer, p_approve boolean, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  decider uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  req record;
  v record;
BEGIN
  SELECT r.requested_by, r.requested_at INTO req FROM public.ai_template_retirements r
   WHERE r.tenant_id = tenant AND r.template_id = p_template_id AND r.version = p_version AND r.outcome IS NULL FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no open retirement of this AI template version' USING ERRCODE = 'WD003';
  END IF;
  IF decider IS NULL THEN
    RAISE EXCEPTION 'retiring a tenant AI template is decided by an active Owner or Admin through their own session' USING ERRCODE = 'WD001';
  END IF;
  IF req.requested_by = decider THEN
    RAISE EXCEPTION 'no one approves the retirement they asked for' USING ERRCODE = 'WD002';
  END IF;
  SELECT t.state INTO v FROM public.ai_templates t
   WHERE t.tenant_id = tenant AND t.template_id = p_template_id AND t.version = p_version FOR UPDATE;
  IF p_approve AND v.state <> 'active' THEN
    RAISE EXCEPTION 'the AI template version is no longer active' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.ai_template_retirements r SET outcome = CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END, decided_by = decider, decided_at = p_now
   WHERE r.tenant_id = tenant AND r.template_id = p_template_id AND r.version = p_version AND r.requested_at = req.requested_at;
  IF p_approve THEN
    UPDATE public.ai_templates t SET state = 'retired'
     WHERE t.tenant_id = tenant AND t.template_id = p_template_id AND t.version = p_version;
  END IF;
  RETURN CASE WHEN p_approve THEN 'retired' ELSE 'active' END;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_ai_template_retire_request(text, integer, timestamptz), ward_ai_template_retire_decide(text, integer, boolean, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_ai_template_retire_request(text, integer, timestamptz), ward_ai_template_retire_decide(text, integer, boolean, timestamptz) TO ward_app;
