-- Access reviews never let an Admin unmake an Owner, nor leave a tenant without one (R-GOV-1,
-- R-AUTHZ-5; docs/access-reviews.md, docs/threat-model.md "Console and administration penetration
-- test").
--
-- 0037 gave a member's items to their manager, else to the first active Admin (then Owner), and let the
-- reviewer revoke whatever the item named. An Owner's items therefore went to an Admin by default (or to
-- anyone an Admin named as the Owner's manager), who revoked the role `Owner` alone: a demotion that
-- `sod-owner-grants-privileged-roles` refuses on the role routes (only an Owner unmakes Owners and
-- Admins). And at the deadline an auto-revoking campaign revoked every item not attested, so a tenant's
-- only Owner lost the role when their reviewer did nothing, or when they had none.
-- Now:
--   * the items of a member holding Owner or Admin go to their manager only when that manager is an
--     active Owner, else to the first active Owner who is not them, else as before (an Admin, who may
--     keep but not revoke them);
--   * ward_review_decide refuses a revocation (WD001) of a role Owner or Admin, or of anything an Owner
--     holds, unless the reviewer holds Owner;
--   * ward_review_expire does not revoke the role Owner of the tenant's last active Owner: the item is
--     expired and reported not revoked.
-- Replaced by their owner, so that they keep their owner and grants.

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE FUNCTION ward_review_reviewer_of(p_member uuid) RETURNS uuid
  LANGUAGE sql STABLE
AS $$
  SELECT CASE WHEN EXISTS (SELECT 1 FROM public.member_roles p WHERE p.member_id = p_member AND p.role IN ('Owner', 'Admin'))
    THEN COALESCE(
      (SELECT mg.id FROM public.members m JOIN public.members mg ON mg.id = m.manager_id AND mg.status = 'active'
        WHERE m.id = p_member AND mg.id <> p_member
          AND EXISTS (SELECT 1 FROM public.member_roles o WHERE o.member_id = mg.id AND o.role = 'Owner')),
      (SELECT a.id FROM public.members a JOIN public.member_roles r ON r.member_id = a.id AND r.role = 'Owner'
        WHERE a.status = 'active' AND a.id <> p_member ORDER BY a.created_at, a.id LIMIT 1),
      (SELECT a.id FROM public.members a JOIN public.member_roles r ON r.member_id = a.id AND r.role = 'Admin'
        WHERE a.status = 'active' AND a.id <> p_member ORDER BY a.created_at, a.id LIMIT 1))
    ELSE COALESCE(
      (SELECT mg.id FROM public.members m JOIN public.members mg ON mg.id = m.manager_id AND mg.status = 'active'
        WHERE m.id = p_member AND mg.id <> p_member),
      (SELECT a.id FROM public.members a JOIN public.member_roles r ON r.member_id = a.id AND r.role IN ('Admin', 'Owner')
        WHERE a.status = 'active' AND a.id IS DISTINCT FROM p_member ORDER BY (r.role = 'Admin') DESC, a.created_at, a.id LIMIT 1))
    END
$$;

CREATE OR REPLACE FUNCTION ward_review_decide(p_item uuid, p_keep boolean, p_note text, p_now timestamptz)
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
  IF NOT p_keep AND i.subject_kind = 'member'
     AND ((i.entitlement_kind = 'role' AND i.entitlement IN ('Owner', 'Admin'))
          OR EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = i.subject_id AND r.role = 'Owner'))
     AND NOT EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = me AND r.role = 'Owner') THEN
    RAISE EXCEPTION 'only an Owner revokes the role Owner or Admin, or an Owner''s access' USING ERRCODE = 'WD001';
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

CREATE OR REPLACE FUNCTION ward_review_expire(p_campaign uuid, p_now timestamptz)
  RETURNS TABLE (item_id uuid, subject_kind text, subject_id uuid, entitlement_kind text, entitlement text, revoked boolean)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  c record;
  it record;
  revoke_it boolean;
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
  FOR it IN SELECT x.id, x.subject_kind, x.subject_id, x.entitlement_kind, x.entitlement FROM public.access_review_items x
             WHERE x.campaign_id = p_campaign AND x.decision IS NULL ORDER BY x.id LOOP
    -- The tenant keeps an Owner: the last active Owner's role is not revoked by a deadline.
    revoke_it := c.auto_revoke AND NOT (
      it.subject_kind = 'member' AND it.entitlement_kind = 'role' AND it.entitlement = 'Owner'
      AND NOT EXISTS (SELECT 1 FROM public.members m JOIN public.member_roles r ON r.member_id = m.id AND r.role = 'Owner'
                       WHERE m.status = 'active' AND m.id <> it.subject_id));
    IF revoke_it THEN
      PERFORM public.ward_review_apply_revoke(it.id, p_now);
    END IF;
    UPDATE public.access_review_items x SET decision = 'expired', decided_by = public.ward_scope_actor(), decided_at = p_now, revoked = revoke_it WHERE x.id = it.id;
  END LOOP;
  UPDATE public.access_review_campaigns x SET closed_at = p_now WHERE x.id = p_campaign;
  RETURN QUERY SELECT x.id, x.subject_kind, x.subject_id, x.entitlement_kind, x.entitlement, x.revoked
    FROM public.access_review_items x WHERE x.campaign_id = p_campaign AND x.decision = 'expired' ORDER BY x.id;
END
$$;

SET LOCAL ROLE ward_owner;
