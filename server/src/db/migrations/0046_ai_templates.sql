-- R-AI-2: tenant AI templates, stored with two-person approval like tenant policies (docs/ai.md
-- "Tenant templates"). A version is proposed by one active Owner or Admin and runs only once a second
-- active Owner or Admin approves it; one version of a template id is active per tenant, and it takes
-- the place of the default of the same id (`ai/templates/`). The body is the template's JSON, checked
-- by the server against the template schema on proposal and again on approval.
-- ward_app only reads templates: proposals and decisions are SECURITY DEFINER functions that take the
-- actor from the verified scope (people only: the operator neither proposes nor approves).
-- Refusals: WD001 not permitted, WD002 self-approval, WD003 nothing to decide, WD004 already decided.

CREATE TABLE ai_templates (
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  template_id  text NOT NULL CHECK (template_id ~ '^[a-z][a-z0-9-]{1,62}$'),
  version      integer NOT NULL CHECK (version >= 1),
  body         jsonb NOT NULL,
  state        text NOT NULL CHECK (state IN ('proposed', 'active', 'superseded', 'rejected')),
  proposed_by  uuid NOT NULL,
  proposed_at  timestamptz NOT NULL,
  decided_by   uuid,
  decided_at   timestamptz,
  PRIMARY KEY (tenant_id, template_id, version),
  CHECK ((body ->> 'id') = template_id AND (body ->> 'version')::integer = version),
  CHECK (decided_by IS NULL OR decided_by <> proposed_by),
  CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
  CHECK ((state = 'proposed') = (decided_by IS NULL)),
  FOREIGN KEY (tenant_id, proposed_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, decided_by) REFERENCES members (tenant_id, id)
);
CREATE UNIQUE INDEX ai_templates_one_active ON ai_templates (tenant_id, template_id) WHERE state = 'active';

ALTER TABLE ai_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_templates FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_templates
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT ON ai_templates TO ward_app;
GRANT SELECT, INSERT, UPDATE ON ai_templates TO ward_definer;

SET LOCAL ROLE ward_definer;

-- A version proposed by the verified person (an active Owner or Admin). The server numbers it after
-- every earlier version of the id (and the default's); the primary key refuses a clash.
CREATE FUNCTION ward_ai_template_propose(p_template_id text, p_version integer, p_body jsonb, p_now timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  proposer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
BEGIN
  IF proposer IS NULL THEN
    RAISE EXCEPTION 'a tenant AI template is proposed by an active Owner or Admin through their own session' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.ai_templates (tenant_id, template_id, version, body, state, proposed_by, proposed_at)
  VALUES (public.ward_scope_tenant(), p_template_id, p_version, p_body, 'proposed', proposer, p_now);
  RETURN p_version;
END
$$;

-- A proposed version approved (it becomes the active one; the one before is superseded) or rejected
-- by the verified person: an active Owner or Admin other than its proposer.
CREATE FUNCTION ward_ai_template_decide(p_template_id text, p_version integer, p_approve boolean, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  decider uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  v record;
BEGIN
  SELECT t.state, t.proposed_by INTO v FROM public.ai_templates t
   WHERE t.tenant_id = tenant AND t.template_id = p_template_id AND t.version = p_version FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such AI template version' USING ERRCODE = 'WD003';
  END IF;
  IF decider IS NULL THEN
    RAISE EXCEPTION 'a tenant AI template is decided by an active Owner or Admin through their own session' USING ERRCODE = 'WD001';
  END IF;
  IF v.state <> 'proposed' THEN
    RAISE EXCEPTION 'the AI template version was already decided' USING ERRCODE = 'WD004';
  END IF;
  IF v.proposed_by = decider THEN
    RAISE EXCEPTION 'no one approves an AI template they proposed' USING ERRCODE = 'WD002';
  END IF;
  IF p_approve THEN
    UPDATE public.ai_templates t SET state = 'superseded'
     WHERE t.tenant_id = tenant AND t.template_id = p_template_id AND t.state = 'active';
  END IF;
  UPDATE public.ai_templates t SET state = CASE WHEN p_approve THEN 'active' ELSE 'rejected' END, decided_by = decider, decided_at = p_now
   WHERE t.tenant_id = tenant AND t.template_id = p_template_id AND t.version = p_version;
  RETURN CASE WHEN p_approve THEN 'active' ELSE 'rejected' END;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_ai_template_propose(text, integer, jsonb, timestamptz), ward_ai_template_decide(text, integer, boolean, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_ai_template_propose(text, integer, jsonb, timestamptz), ward_ai_template_decide(text, integer, boolean, timestamptz) TO ward_app;
