-- R-GOV-1, R-AUTHZ-5: quarterly access reviews. A campaign lists every member's and workload's roles
-- and PHI scopes as items, each assigned to a reviewer: the member's manager (members.manager_id,
-- from SCIM's enterprise `manager` or set by an Admin), else an active Admin or Owner; never the
-- subject. The reviewer keeps or revokes each with a note through their own session; a revocation
-- applies at once, here. Items left undecided at the deadline are revoked when the campaign says so
-- (the tenant's setting, on by default). ward_app only reads these tables: the SECURITY DEFINER
-- functions below are their one writer, and they take the actor from the verified scope.
-- Refusals (server/src/db/definer.ts): WD001 not permitted, WD002 the subject reviewing themselves,
-- WD003 no such item or campaign, WD004 already decided or the campaign is closed.

ALTER TABLE members ADD COLUMN manager_id uuid CHECK (manager_id <> id);

CREATE TABLE access_review_campaigns (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  started_by  text NOT NULL,
  started_at  timestamptz NOT NULL,
  deadline_at timestamptz NOT NULL CHECK (deadline_at > started_at),
  auto_revoke boolean NOT NULL,
  closed_at   timestamptz,
  UNIQUE (tenant_id, id)
);

CREATE TABLE access_review_items (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL,
  campaign_id  uuid NOT NULL,
  subject_kind text NOT NULL CHECK (subject_kind IN ('member', 'workload')),
  subject_id   uuid NOT NULL,
  -- What the subject holds: a role, a PHI scope (a member's or a workload's), or a place on a list.
  entitlement_kind text NOT NULL CHECK (entitlement_kind IN ('role', 'phi_scope', 'list')),
  entitlement  text NOT NULL,
  reviewer_id  uuid,
  decision     text CHECK (decision IN ('keep', 'revoke', 'expired')),
  decided_by   text,
  decided_at   timestamptz,
  note         text CHECK (length(note) <= 1000),
  -- Whether the entitlement was taken away (a revoke, or an expiry with auto_revoke).
  revoked      boolean NOT NULL DEFAULT false,
  CHECK (reviewer_id IS NULL OR subject_kind <> 'member' OR reviewer_id <> subject_id),
  UNIQUE (campaign_id, subject_kind, subject_id, entitlement_kind, entitlement),
  FOREIGN KEY (tenant_id, campaign_id) REFERENCES access_review_campaigns (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX access_review_items_reviewer ON access_review_items (tenant_id, reviewer_id) WHERE decision IS NULL;

ALTER TABLE access_review_campaigns ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_review_campaigns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON access_review_campaigns
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
ALTER TABLE access_review_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE access_review_items FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON access_review_items
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT ON access_review_campaigns, access_review_items TO ward_app;
GRANT SELECT, INSERT ON access_review_campaigns, access_review_items TO ward_definer;
GRANT UPDATE (decision, decided_by, decided_at, note, revoked) ON access_review_items TO ward_definer;
GRANT UPDATE (closed_at) ON access_review_campaigns TO ward_definer;
GRANT UPDATE (manager_id) ON members TO ward_definer;
GRANT SELECT, DELETE ON member_phi_scopes, workload_phi_scopes TO ward_definer;
GRANT UPDATE (status, disabled_at) ON workloads TO ward_definer;

SET LOCAL ROLE ward_definer;

-- A member's reviewer: their manager when active and not themselves, else the first active Admin or
-- Owner who is not the member (R-AUTHZ-5: never themselves).
CREATE FUNCTION ward_review_reviewer_of(p_member uuid) RETURNS uuid
  LANGUAGE sql STABLE
AS $$
  SELECT COALESCE(
    (SELECT mg.id FROM public.members m JOIN public.members mg ON mg.id = m.manager_id AND mg.status = 'active'
      WHERE m.id = p_member AND mg.id <> p_member),
    (SELECT a.id FROM public.members a JOIN public.member_roles r ON r.member_id = a.id AND r.role IN ('Admin', 'Owner')
      WHERE a.status = 'active' AND a.id IS DISTINCT FROM p_member ORDER BY (r.role = 'Admin') DESC, a.created_at, a.id LIMIT 1))
$$;
REVOKE ALL ON FUNCTION ward_review_reviewer_of(uuid) FROM PUBLIC;

-- R-GOV-1: a member's manager, set by an active Owner or Admin (not for themselves), the tenant's SCIM
-- client or the operator. NULL clears it.
CREATE FUNCTION ward_set_manager(p_member uuid, p_manager uuid) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
BEGIN
  IF person IS NULL AND NOT public.ward_scope_is_operator() AND NOT public.ward_scope_scim_client() THEN
    RAISE EXCEPTION 'a manager is set by an active Owner or Admin, the SCIM client or the operator' USING ERRCODE = 'WD001';
  END IF;
  IF person = p_member OR p_manager = p_member THEN
    RAISE EXCEPTION 'no one sets their own manager, nor is their own manager' USING ERRCODE = 'WD002';
  END IF;
  IF p_manager IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_manager) THEN
    RAISE EXCEPTION 'no such manager' USING ERRCODE = 'WD003';
  END IF;
  UPDATE public.members m SET manager_id = p_manager WHERE m.id = p_member;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
END
$$;

-- R-GOV-1: starts a campaign (the operator, or an active Owner or Admin) with an item for each role
-- and PHI scope of every member not disabled and every active workload. Returns the number of items.
CREATE FUNCTION ward_review_start(p_id uuid, p_name text, p_deadline timestamptz, p_auto_revoke boolean, p_now timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  fallback uuid;
  n integer;
BEGIN
  IF person IS NULL AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'a review is started by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.access_review_campaigns (id, tenant_id, name, started_by, started_at, deadline_at, auto_revoke)
  VALUES (p_id, tenant, p_name, public.ward_scope_actor(), p_now, p_deadline, p_auto_revoke);
  fallback := public.ward_review_reviewer_of(NULL);
  INSERT INTO public.access_review_items (tenant_id, campaign_id, subject_kind, subject_id, entitlement_kind, entitlement, reviewer_id)
  SELECT tenant, p_id, 'member', r.member_id, 'role', r.role, public.ward_review_reviewer_of(r.member_id)
    FROM public.member_roles r JOIN public.members m ON m.id = r.member_id AND m.status <> 'disabled'
  UNION ALL
  SELECT tenant, p_id, 'member', s.member_id, 'phi_scope', s.phi_scope, public.ward_review_reviewer_of(s.member_id)
    FROM public.member_phi_scopes s JOIN public.members m ON m.id = s.member_id AND m.status <> 'disabled'
  UNION ALL
  SELECT tenant, p_id, 'workload', w.id, 'role', w.role, fallback FROM public.workloads w WHERE w.status = 'active'
  UNION ALL
  SELECT tenant, p_id, 'workload', s.workload_id, 'phi_scope', s.phi_scope, fallback
    FROM public.workload_phi_scopes s JOIN public.workloads w ON w.id = s.workload_id AND w.status = 'active';
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;

-- Takes the item's entitlement away, at once (R-GOV-1: revocations applied). A workload holds one
-- role: revoking it disables the workload.
CREATE FUNCTION ward_review_apply_revoke(p_item uuid, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
  v_subject_kind text;
  v_subject uuid;
  v_kind text;
  v_entitlement text;
BEGIN
  SELECT x.subject_kind, x.subject_id, x.entitlement_kind, x.entitlement INTO v_subject_kind, v_subject, v_kind, v_entitlement
    FROM public.access_review_items x WHERE x.id = p_item;
  IF v_subject_kind = 'member' AND v_kind = 'role' THEN
    DELETE FROM public.member_roles r WHERE r.member_id = v_subject AND r.role = v_entitlement;
  ELSIF v_subject_kind = 'member' AND v_kind = 'phi_scope' THEN
    DELETE FROM public.member_phi_scopes s WHERE s.member_id = v_subject AND s.phi_scope = v_entitlement;
  ELSIF v_subject_kind = 'workload' AND v_kind = 'role' THEN
    UPDATE public.workloads w SET status = 'disabled', disabled_at = p_now WHERE w.id = v_subject AND w.status = 'active';
  ELSIF v_subject_kind = 'workload' AND v_kind = 'phi_scope' THEN
    DELETE FROM public.workload_phi_scopes s WHERE s.workload_id = v_subject AND s.phi_scope = v_entitlement;
  END IF;
END
$$;
REVOKE ALL ON FUNCTION ward_review_apply_revoke(uuid, timestamptz) FROM PUBLIC;

-- R-GOV-1, R-AUTHZ-5: the item's reviewer (the verified person, never the subject) keeps or revokes,
-- with a note, before the deadline. Returns the subject and what was decided.
CREATE FUNCTION ward_review_decide(p_item uuid, p_keep boolean, p_note text, p_now timestamptz)
  RETURNS TABLE (subject_kind text, subject_id uuid, entitlement_kind text, entitlement text, decision text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  me uuid := public.ward_scope_human();
  i record;
BEGIN
  SELECT x.*, c.deadline_at, c.closed_at INTO i FROM public.access_review_items x
    JOIN public.access_review_campaigns c ON c.id = x.campaign_id WHERE x.id = p_item FOR UPDATE OF x;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such review item' USING ERRCODE = 'WD003';
  END IF;
  IF i.subject_kind = 'member' AND i.subject_id = me THEN
    RAISE EXCEPTION 'no one reviews their own access' USING ERRCODE = 'WD002';
  END IF;
  IF me IS NULL OR i.reviewer_id IS DISTINCT FROM me
     OR NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = me AND m.status = 'active') THEN
    RAISE EXCEPTION 'only the item''s reviewer decides it' USING ERRCODE = 'WD001';
  END IF;
  IF i.decision IS NOT NULL OR i.closed_at IS NOT NULL OR i.deadline_at <= p_now THEN
    RAISE EXCEPTION 'the item was decided or its campaign has ended' USING ERRCODE = 'WD004';
  END IF;
  IF NOT p_keep THEN
    PERFORM public.ward_review_apply_revoke(p_item, p_now);
  END IF;
  RETURN QUERY
    UPDATE public.access_review_items x
       SET decision = CASE WHEN p_keep THEN 'keep' ELSE 'revoke' END, decided_by = public.ward_scope_actor(), decided_at = p_now,
           note = p_note, revoked = NOT p_keep
     WHERE x.id = p_item
    RETURNING x.subject_kind, x.subject_id, x.entitlement_kind, x.entitlement, x.decision;
END
$$;

-- R-GOV-1: a campaign past its deadline is closed by the operator's job: every undecided item is
-- marked expired, and revoked when the campaign auto-revokes. Returns the expired items.
CREATE FUNCTION ward_review_expire(p_campaign uuid, p_now timestamptz)
  RETURNS TABLE (item_id uuid, subject_kind text, subject_id uuid, entitlement_kind text, entitlement text, revoked boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  c record;
  it record;
BEGIN
  IF NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'campaigns are closed by the operator' USING ERRCODE = 'WD001';
  END IF;
  SELECT x.* INTO c FROM public.access_review_campaigns x WHERE x.id = p_campaign FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such campaign' USING ERRCODE = 'WD003';
  END IF;
  IF c.closed_at IS NOT NULL OR c.deadline_at > p_now THEN
    RAISE EXCEPTION 'the campaign is closed or not yet due' USING ERRCODE = 'WD004';
  END IF;
  FOR it IN SELECT x.id FROM public.access_review_items x WHERE x.campaign_id = p_campaign AND x.decision IS NULL ORDER BY x.id LOOP
    IF c.auto_revoke THEN
      PERFORM public.ward_review_apply_revoke(it.id, p_now);
    END IF;
    UPDATE public.access_review_items x SET decision = 'expired', decided_by = public.ward_scope_actor(), decided_at = p_now, revoked = c.auto_revoke WHERE x.id = it.id;
  END LOOP;
  UPDATE public.access_review_campaigns x SET closed_at = p_now WHERE x.id = p_campaign;
  RETURN QUERY SELECT x.id, x.subject_kind, x.subject_id, x.entitlement_kind, x.entitlement, x.revoked
    FROM public.access_review_items x WHERE x.campaign_id = p_campaign AND x.decision = 'expired' ORDER BY x.id;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_set_manager(uuid, uuid), ward_review_start(uuid, text, timestamptz, boolean, timestamptz),
  ward_review_decide(uuid, boolean, text, timestamptz), ward_review_expire(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_set_manager(uuid, uuid), ward_review_start(uuid, text, timestamptz, boolean, timestamptz),
  ward_review_decide(uuid, boolean, text, timestamptz), ward_review_expire(uuid, timestamptz) TO ward_app;
