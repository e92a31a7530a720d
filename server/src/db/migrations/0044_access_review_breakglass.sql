-- R-GOV-1, R-ELEV-2: a place on the break-glass list (0038's breakglass_members) is an entitlement
-- like a role: every campaign lists it as an item (entitlement_kind 'list', entitlement 'breakglass')
-- for the member's reviewer, with the member's break-glass uses in the 90 days before the campaign
-- started (how many, the last one, how many a second person found inappropriate), so that the reviewer
-- attests knowing how the access was used. Revoking the item takes the member off the list at once.
-- ward_review_start and ward_review_apply_revoke are 0037's, with the list added.

ALTER TABLE access_review_items
  ADD COLUMN breakglass_uses integer CHECK (breakglass_uses >= 0),
  ADD COLUMN breakglass_last_use_at timestamptz,
  ADD COLUMN breakglass_inappropriate integer CHECK (breakglass_inappropriate >= 0),
  ADD CONSTRAINT access_review_items_breakglass_facts
    CHECK ((entitlement_kind = 'list') OR (breakglass_uses IS NULL AND breakglass_last_use_at IS NULL AND breakglass_inappropriate IS NULL));

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE FUNCTION ward_review_start(p_id uuid, p_name text, p_deadline timestamptz, p_auto_revoke boolean, p_now timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  fallback uuid;
  n integer;
  listed integer;
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
  -- R-ELEV-2: the break-glass list, with each member's uses of the last 90 days.
  INSERT INTO public.access_review_items (tenant_id, campaign_id, subject_kind, subject_id, entitlement_kind, entitlement, reviewer_id,
                                          breakglass_uses, breakglass_last_use_at, breakglass_inappropriate)
  SELECT tenant, p_id, 'member', b.member_id, 'list', 'breakglass', public.ward_review_reviewer_of(b.member_id),
         (SELECT count(*) FROM public.elevations e
           WHERE e.member_id = b.member_id AND e.kind = 'breakglass' AND e.requested_at > p_now - interval '90 days' AND e.requested_at <= p_now),
         (SELECT max(e.requested_at) FROM public.elevations e
           WHERE e.member_id = b.member_id AND e.kind = 'breakglass' AND e.requested_at > p_now - interval '90 days' AND e.requested_at <= p_now),
         (SELECT count(*) FROM public.breakglass_reviews v JOIN public.elevations e ON e.id = v.elevation_id
           WHERE v.member_id = b.member_id AND v.outcome = 'inappropriate' AND e.requested_at > p_now - interval '90 days' AND e.requested_at <= p_now)
    FROM public.breakglass_members b JOIN public.members m ON m.id = b.member_id AND m.status <> 'disabled';
  GET DIAGNOSTICS listed = ROW_COUNT;
  RETURN n + listed;
END
$$;

CREATE OR REPLACE FUNCTION ward_review_apply_revoke(p_item uuid, p_now timestamptz) RETURNS void
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
  ELSIF v_subject_kind = 'member' AND v_kind = 'list' AND v_entitlement = 'breakglass' THEN
    -- R-ELEV-2: off the break-glass list; the next break-glass of this member is refused (0038).
    DELETE FROM public.breakglass_members b WHERE b.member_id = v_subject;
  ELSIF v_subject_kind = 'workload' AND v_kind = 'role' THEN
    UPDATE public.workloads w SET status = 'disabled', disabled_at = p_now WHERE w.id = v_subject AND w.status = 'active';
  ELSIF v_subject_kind = 'workload' AND v_kind = 'phi_scope' THEN
    DELETE FROM public.workload_phi_scopes s WHERE s.workload_id = v_subject AND s.phi_scope = v_entitlement;
  END IF;
END
$$;
REVOKE ALL ON FUNCTION ward_review_apply_revoke(uuid, timestamptz) FROM PUBLIC;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_review_start(uuid, text, timestamptz, boolean, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_review_start(uuid, text, timestamptz, boolean, timestamptz) TO ward_app;
