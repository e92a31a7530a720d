-- R-ELEV-1, R-ELEV-2, R-AUTHZ-5, R-GOV-5: just-in-time elevation, break-glass and locks.
--
-- The decisive state lives here and is written only by SECURITY DEFINER functions owned by
-- ward_definer (no BYPASSRLS: row-level security still confines them to the verified tenant), with
-- the acting person taken from the verified scope (ward_scope_human(), 0017), never a parameter:
--   * an elevation is requested by a person (never a workload), approved by other people allowed to
--     approve it (never its requester, never the member it widens; two for Owner/Admin-level), and
--     active from its approval until its expiry or revocation, with no job: decisions read it live;
--   * a break-glass access is opened by a member on the Owner-set list, for one patient or one call,
--     read-only, at most 60 minutes, and opens a review that a second person completes by a
--     deadline; an overdue review blocks that member's next break-glass;
--   * a lock stops everything of a member, workload or device until a second person unlocks it.
-- ward_app reads these tables (tenant isolation) and writes none of them.
--
-- R-AUTHZ-7: a PHI scope beyond the standing grants reaches row-level security only through this
-- state. The server names the scopes an elevation widens in `ward.elevated_scopes`; the verified
-- getter ward_scope_phi_keys() adds a scope only when an approved elevation of the verified member,
-- in the verified tenant, grants it and has not expired by the database's own clock
-- (`db_expires_at`). Setting the GUC alone widens nothing.
--
-- Times: as in 0017, the application's clock stamps what the application shows and decides on
-- (`starts_at`, `expires_at`, review deadlines); the database's own now() bounds what RLS lets
-- through (`db_expires_at`), so neither clock alone extends an elevation.
-- Refusals: WD001..WD004 as in 0017; WD006 a break-glass blocked by an overdue review; WD007 a
-- purpose required (42 CFR Part 2).

CREATE TABLE elevations (
  id                 uuid PRIMARY KEY,
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('jit', 'breakglass')),
  member_id          uuid NOT NULL,
  requested_by       uuid NOT NULL,
  roles              text[] NOT NULL DEFAULT '{}' CHECK (roles <@ ARRAY['Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor']),
  phi_scopes         text[] NOT NULL DEFAULT '{}' CHECK (phi_scopes <@ ARRAY['Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental']),
  actions            text[] NOT NULL DEFAULT '{}' CHECK (cardinality(actions) <= 32),
  target_type        text NOT NULL CHECK (target_type IN ('tenant', 'patient', 'call')),
  target_id          uuid,
  purpose            text NOT NULL CHECK (purpose ~ '^[A-Z]{3,12}$'),
  reason_enc         bytea NOT NULL,
  duration_seconds   integer NOT NULL CHECK (duration_seconds BETWEEN 60 AND 86400),
  approvals_required smallint NOT NULL CHECK (approvals_required BETWEEN 0 AND 2),
  state              text NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'revoked')),
  requested_at       timestamptz NOT NULL,
  starts_at          timestamptz,
  expires_at         timestamptz,
  db_expires_at      timestamptz,
  decided_at         timestamptz,
  revoked_by         text,
  revoked_at         timestamptz,
  CHECK ((target_type = 'tenant') = (target_id IS NULL)),
  CHECK (cardinality(roles) + cardinality(phi_scopes) + cardinality(actions) > 0),
  CHECK (state <> 'approved' OR (starts_at IS NOT NULL AND expires_at IS NOT NULL AND db_expires_at IS NOT NULL)),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, requested_by) REFERENCES members (tenant_id, id)
);
-- What the guard reads on every request of a person: their approved elevations.
CREATE INDEX elevations_live ON elevations (tenant_id, member_id) WHERE state = 'approved';
CREATE INDEX elevations_recent ON elevations (tenant_id, requested_at DESC);

CREATE TABLE elevation_approvals (
  elevation_id uuid NOT NULL,
  tenant_id    uuid NOT NULL,
  approver_id  uuid NOT NULL,
  decision     text NOT NULL CHECK (decision IN ('approve', 'deny')),
  decided_at   timestamptz NOT NULL,
  PRIMARY KEY (elevation_id, approver_id),
  FOREIGN KEY (tenant_id, elevation_id) REFERENCES elevations (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, approver_id) REFERENCES members (tenant_id, id)
);

-- R-ELEV-2: the members an Owner allows to break the glass.
CREATE TABLE breakglass_members (
  tenant_id  uuid NOT NULL,
  member_id  uuid NOT NULL,
  added_by   uuid,
  added_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, member_id),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

-- R-ELEV-2: the post-hoc review of one break-glass access, by a second person, by `due_at`.
CREATE TABLE breakglass_reviews (
  elevation_id uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL,
  member_id    uuid NOT NULL,
  due_at       timestamptz NOT NULL,
  reviewed_by  uuid,
  reviewed_at  timestamptz,
  outcome      text CHECK (outcome IN ('appropriate', 'inappropriate')),
  escalated_at timestamptz,
  CHECK ((reviewed_at IS NULL) = (outcome IS NULL)),
  FOREIGN KEY (tenant_id, elevation_id) REFERENCES elevations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX breakglass_reviews_open ON breakglass_reviews (tenant_id, member_id, due_at) WHERE reviewed_at IS NULL;

-- Locks (R-GOV-5 containment): a member, a workload or a device stopped until a second person
-- unlocks it. `detection_id` is the detection that led to the lock, stored as given (text, no
-- foreign key: detections have a table of their own); containment time is locked_at minus that
-- detection's time.
CREATE TABLE locks (
  id           uuid PRIMARY KEY,
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  target_kind  text NOT NULL CHECK (target_kind IN ('member', 'workload', 'device')),
  target_id    uuid NOT NULL,
  detection_id text CHECK (detection_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
  locked_by    text NOT NULL CHECK (locked_by ~ '^(human|system):[A-Za-z0-9:-]{1,64}$'),
  locked_at    timestamptz NOT NULL,
  unlocked_by  uuid,
  unlocked_at  timestamptz,
  CHECK ((unlocked_at IS NULL) = (unlocked_by IS NULL))
);
CREATE UNIQUE INDEX locks_active ON locks (tenant_id, target_kind, target_id) WHERE unlocked_at IS NULL;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['elevations', 'elevation_approvals', 'breakglass_members', 'breakglass_reviews', 'locks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT ward_scope_tenant())) '
                   'WITH CHECK (tenant_id = (SELECT ward_scope_tenant()))', t);
    EXECUTE format('GRANT SELECT ON %I TO ward_app', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO ward_definer', t);
  END LOOP;
END
$$;
GRANT SELECT ON tenants, workloads TO ward_definer;
GRANT DELETE ON breakglass_members TO ward_definer;

-- The PHI scope of a patient or call in the verified tenant (its label only, no PHI), for the
-- break-glass function: the member opening it may hold no grant of that scope, so row-level security
-- would hide the row from them. Owned by ward_owner; only ward_definer may execute it.
-- The tenant is the verified one its only caller passes.
CREATE FUNCTION ward_target_phi_scope(p_tenant uuid, p_type text, p_id uuid) RETURNS text
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE p_type
           WHEN 'patient' THEN (SELECT p.phi_scope FROM public.patients p WHERE p.id = p_id AND p.tenant_id = p_tenant)
           WHEN 'call' THEN (SELECT c.phi_scope FROM public.calls c WHERE c.id = p_id AND c.tenant_id = p_tenant)
         END
$$;
REVOKE ALL ON FUNCTION ward_target_phi_scope(uuid, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_target_phi_scope(uuid, text, uuid) TO ward_definer;

SET LOCAL ROLE ward_definer;

-- R-AUTHZ-7, R-ELEV-1: ward_scope_phi_keys() as in 0022 (same template, message, key and expiry
-- rule), plus the scopes named in ward.elevated_scopes that a live, approved elevation of the
-- verified member grants. Without ward.elevated_scopes it reads nothing more than before.
CREATE OR REPLACE FUNCTION public.ward_scope_phi_keys() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $f$
DECLARE
  s record;
  keys text[];
BEGIN
  SELECT k.inner_key AS ik, k.outer_key AS ok,
         COALESCE(current_setting('ward.tenant_id', true), '') AS tenant,
         COALESCE(current_setting('ward.phi_scopes', true), '') AS scopes,
         COALESCE(current_setting('ward.actor_id', true), '') AS actor,
         COALESCE(current_setting('ward.actor_kind', true), '') AS kind,
         COALESCE(current_setting('ward.scope_expires', true), '') AS expires,
         current_setting('ward.scope_mac', true) AS mac,
         COALESCE(current_setting('ward.elevated_scopes', true), '') AS asked
    INTO s FROM public.ward_scope_keys k WHERE k.id = 1;
  IF s.mac = encode(sha256(s.ok || sha256(s.ik || convert_to(concat_ws(E'\n',
       'ward-scope-v1', s.tenant, s.scopes, s.actor, s.kind, pg_backend_pid()::text, s.expires), 'UTF8'))), 'hex') THEN
    IF s.expires::bigint > extract(epoch FROM now()) AND s.expires::bigint <= extract(epoch FROM now()) + 40 THEN
      keys := CASE WHEN s.scopes = '' THEN '{}'::text[] ELSE string_to_array(s.tenant || '/' || replace(s.scopes, ',', ',' || s.tenant || '/'), ',') END;
      IF s.asked <> '' AND s.kind = 'human' THEN
        keys := keys || ARRAY(
          SELECT DISTINCT s.tenant || '/' || x
            FROM public.elevations e, unnest(e.phi_scopes) x
           WHERE e.tenant_id::text = s.tenant AND e.member_id::text = s.actor AND e.state = 'approved'
             AND e.db_expires_at > now() AND x = ANY (string_to_array(s.asked, ',')));
      END IF;
      RETURN keys;
    END IF;
  END IF;
  RETURN NULL;
END
$f$;

-- An active member of the verified tenant holding one of the roles given (any member, not the actor).
CREATE FUNCTION ward_member_has_role(p_member uuid, p_roles text[]) RETURNS boolean
  LANGUAGE sql STABLE
AS $$
  SELECT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member AND m.status = 'active')
     AND EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = p_member AND r.role = ANY (p_roles))
$$;
REVOKE ALL ON FUNCTION ward_member_has_role(uuid, text[]) FROM PUBLIC;

-- R-ELEV-1: a person asks for an elevation for themselves or another member. Never a workload, never
-- longer than the tenant's maximum (settings.elevationMaxSeconds, default 4 h). Owner/Admin-level
-- (it grants Owner or Admin) needs two approvals, anything else one. Returns the approvals needed.
CREATE FUNCTION ward_elevation_request(
  p_id uuid, p_member uuid, p_roles text[], p_scopes text[], p_actions text[], p_target_type text, p_target_id uuid,
  p_purpose text, p_reason bytea, p_duration_seconds integer, p_now timestamptz) RETURNS smallint
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  requester uuid := public.ward_scope_human();
  tenant uuid := public.ward_scope_tenant();
  max_seconds integer;
  needed smallint := CASE WHEN p_roles && ARRAY['Owner', 'Admin'] THEN 2 ELSE 1 END;
BEGIN
  IF requester IS NULL OR NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = requester AND m.status = 'active') THEN
    RAISE EXCEPTION 'elevations are requested by active people, never by workloads' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member AND m.status = 'active') THEN
    RAISE EXCEPTION 'no such active member' USING ERRCODE = 'WD003';
  END IF;
  SELECT LEAST(COALESCE((t.settings->>'elevationMaxSeconds')::integer, 14400), 86400) INTO max_seconds FROM public.tenants t WHERE t.id = tenant;
  IF p_duration_seconds > max_seconds THEN
    RAISE EXCEPTION 'longer than the tenant allows' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.elevations (id, tenant_id, kind, member_id, requested_by, roles, phi_scopes, actions, target_type, target_id,
                                 purpose, reason_enc, duration_seconds, approvals_required, state, requested_at)
  VALUES (p_id, tenant, 'jit', p_member, requester, p_roles, p_scopes, p_actions, p_target_type, p_target_id,
          p_purpose, p_reason, p_duration_seconds, needed, 'pending', p_now);
  RETURN needed;
END
$$;

-- R-ELEV-1, R-AUTHZ-5: one approval or denial by a person allowed to decide it: never the requester
-- (WD002), never the member it widens (WD002), an active Owner or Admin, or a Manager for an
-- elevation below Owner/Admin level (WD001). One denial denies; the last approval needed approves
-- and starts the clock. Returns the state after this decision.
CREATE FUNCTION ward_elevation_decide(p_id uuid, p_approve boolean, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  approver uuid := public.ward_scope_human();
  e record;
  approvals integer;
BEGIN
  SELECT * INTO e FROM public.elevations x WHERE x.id = p_id AND x.kind = 'jit' FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such elevation' USING ERRCODE = 'WD003';
  END IF;
  IF e.state <> 'pending' THEN
    RAISE EXCEPTION 'already decided' USING ERRCODE = 'WD004';
  END IF;
  IF approver IS NULL THEN
    RAISE EXCEPTION 'elevations are decided by people' USING ERRCODE = 'WD001';
  END IF;
  IF approver = e.requested_by OR approver = e.member_id THEN
    RAISE EXCEPTION 'no one decides their own request or their own widening' USING ERRCODE = 'WD002';
  END IF;
  IF NOT public.ward_member_has_role(approver, CASE WHEN e.approvals_required >= 2 THEN ARRAY['Owner', 'Admin'] ELSE ARRAY['Owner', 'Admin', 'Manager'] END) THEN
    RAISE EXCEPTION 'not allowed to decide this elevation' USING ERRCODE = 'WD001';
  END IF;
  IF EXISTS (SELECT 1 FROM public.elevation_approvals a WHERE a.elevation_id = p_id AND a.approver_id = approver) THEN
    RAISE EXCEPTION 'already decided by this person' USING ERRCODE = 'WD004';
  END IF;
  INSERT INTO public.elevation_approvals (elevation_id, tenant_id, approver_id, decision, decided_at)
  VALUES (p_id, e.tenant_id, approver, CASE WHEN p_approve THEN 'approve' ELSE 'deny' END, p_now);
  IF NOT p_approve THEN
    UPDATE public.elevations x SET state = 'denied', decided_at = p_now WHERE x.id = p_id;
    RETURN 'denied';
  END IF;
  SELECT count(*) INTO approvals FROM public.elevation_approvals a WHERE a.elevation_id = p_id AND a.decision = 'approve';
  IF approvals < e.approvals_required THEN
    RETURN 'pending';
  END IF;
  UPDATE public.elevations x
     SET state = 'approved', decided_at = p_now, starts_at = p_now,
         expires_at = p_now + make_interval(secs => e.duration_seconds),
         db_expires_at = now() + make_interval(secs => e.duration_seconds)
   WHERE x.id = p_id;
  RETURN 'approved';
END
$$;

-- R-ELEV-1: ended early by the member it widens, its requester, an active Owner or Admin, or the operator.
CREATE FUNCTION ward_elevation_revoke(p_id uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_human();
  operator boolean := public.ward_scope_is_operator();
  e record;
BEGIN
  SELECT * INTO e FROM public.elevations x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such elevation' USING ERRCODE = 'WD003';
  END IF;
  IF NOT operator AND (person IS NULL OR NOT (person = e.member_id OR person = e.requested_by OR public.ward_member_has_role(person, ARRAY['Owner', 'Admin']))) THEN
    RAISE EXCEPTION 'not allowed to revoke this elevation' USING ERRCODE = 'WD001';
  END IF;
  IF e.state NOT IN ('pending', 'approved') THEN
    RAISE EXCEPTION 'already ended' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.elevations x
     SET state = 'revoked', revoked_at = p_now, revoked_by = COALESCE(public.ward_scope_actor(), 'unknown'), db_expires_at = LEAST(x.db_expires_at, now())
   WHERE x.id = p_id;
  RETURN true;
END
$$;

-- R-ELEV-2: an Owner (never for themselves) or the operator puts a member on the break-glass list or takes them off.
CREATE FUNCTION ward_breakglass_member_set(p_member uuid, p_allowed boolean, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  owner uuid := public.ward_scope_member_with_role(ARRAY['Owner']);
BEGIN
  IF owner IS NULL AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'the break-glass list is set by an Owner' USING ERRCODE = 'WD001';
  END IF;
  IF owner = p_member THEN
    RAISE EXCEPTION 'no Owner puts themselves on the list' USING ERRCODE = 'WD002';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member) THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
  IF p_allowed THEN
    INSERT INTO public.breakglass_members (tenant_id, member_id, added_by, added_at)
    VALUES (public.ward_scope_tenant(), p_member, owner, p_now) ON CONFLICT DO NOTHING;
  ELSE
    DELETE FROM public.breakglass_members b WHERE b.member_id = p_member;
  END IF;
  RETURN FOUND;
END
$$;

-- R-ELEV-2: break-glass, immediate: a member on the list, no review of theirs overdue (WD006), one
-- patient or call of the verified tenant, read-only, at most the tenant's limit (settings.
-- breakGlassMaxSeconds, default and ceiling 3600), a Part 2 purpose for SUD records (WD007). Opens
-- the review due by settings.breakGlassReviewHours (default 72). Returns the target's PHI scope.
CREATE FUNCTION ward_breakglass_open(
  p_id uuid, p_target_type text, p_target_id uuid, p_purpose text, p_reason bytea, p_duration_seconds integer,
  p_actions text[], p_now timestamptz) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_human();
  tenant uuid := public.ward_scope_tenant();
  settings jsonb;
  scope text;
BEGIN
  IF person IS NULL OR NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = person AND m.status = 'active') THEN
    RAISE EXCEPTION 'break-glass is opened by an active person' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.breakglass_members b WHERE b.member_id = person) THEN
    RAISE EXCEPTION 'not on the break-glass list' USING ERRCODE = 'WD001';
  END IF;
  IF EXISTS (SELECT 1 FROM public.breakglass_reviews r WHERE r.member_id = person AND r.reviewed_at IS NULL AND r.due_at <= p_now) THEN
    RAISE EXCEPTION 'a break-glass review of this member is overdue' USING ERRCODE = 'WD006';
  END IF;
  SELECT t.settings INTO settings FROM public.tenants t WHERE t.id = tenant;
  IF p_duration_seconds > LEAST(COALESCE((settings->>'breakGlassMaxSeconds')::integer, 3600), 3600) THEN
    RAISE EXCEPTION 'longer than the tenant allows' USING ERRCODE = 'WD001';
  END IF;
  scope := public.ward_target_phi_scope(tenant, p_target_type, p_target_id);
  IF scope IS NULL THEN
    RAISE EXCEPTION 'no such patient or call' USING ERRCODE = 'WD003';
  END IF;
  IF scope = 'SUD-Part2' AND p_purpose NOT IN ('TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'PATRQT', 'HCOMPL') THEN
    RAISE EXCEPTION 'SUD records need a Part 2 purpose of use' USING ERRCODE = 'WD007';
  END IF;
  INSERT INTO public.elevations (id, tenant_id, kind, member_id, requested_by, phi_scopes, actions, target_type, target_id, purpose,
                                 reason_enc, duration_seconds, approvals_required, state, requested_at, decided_at, starts_at, expires_at, db_expires_at)
  VALUES (p_id, tenant, 'breakglass', person, person, ARRAY[scope], p_actions, p_target_type, p_target_id, p_purpose,
          p_reason, p_duration_seconds, 0, 'approved', p_now, p_now, p_now, p_now + make_interval(secs => p_duration_seconds),
          now() + make_interval(secs => p_duration_seconds));
  INSERT INTO public.breakglass_reviews (elevation_id, tenant_id, member_id, due_at)
  VALUES (p_id, tenant, person, p_now + make_interval(hours => LEAST(GREATEST(COALESCE((settings->>'breakGlassReviewHours')::integer, 72), 1), 720)));
  RETURN scope;
END
$$;

-- R-ELEV-2: the post-hoc review, by a second person (never the member reviewed): an active Owner,
-- Admin or Auditor.
CREATE FUNCTION ward_breakglass_review(p_elevation_id uuid, p_outcome text, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  reviewer uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin', 'Auditor']);
  r record;
BEGIN
  SELECT * INTO r FROM public.breakglass_reviews x WHERE x.elevation_id = p_elevation_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such review' USING ERRCODE = 'WD003';
  END IF;
  IF r.member_id = public.ward_scope_human() THEN
    RAISE EXCEPTION 'no one reviews their own break-glass' USING ERRCODE = 'WD002';
  END IF;
  IF reviewer IS NULL THEN
    RAISE EXCEPTION 'reviews are completed by an Owner, Admin or Auditor' USING ERRCODE = 'WD001';
  END IF;
  IF r.reviewed_at IS NOT NULL THEN
    RAISE EXCEPTION 'already reviewed' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.breakglass_reviews x SET reviewed_by = reviewer, reviewed_at = p_now, outcome = p_outcome WHERE x.elevation_id = p_elevation_id;
  RETURN true;
END
$$;

-- R-ELEV-2: an overdue review escalates once (the caller raises the alert when this returns true).
CREATE FUNCTION ward_breakglass_escalate(p_elevation_id uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  UPDATE public.breakglass_reviews x SET escalated_at = p_now
   WHERE x.elevation_id = p_elevation_id AND x.reviewed_at IS NULL AND x.escalated_at IS NULL AND x.due_at <= p_now;
  RETURN FOUND;
END
$$;

-- Locks: by an active Owner or Admin, or the operator. The target must be of the verified tenant.
CREATE FUNCTION ward_lock(p_id uuid, p_kind text, p_target uuid, p_detection text, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  operator boolean := public.ward_scope_is_operator();
  found_target boolean;
BEGIN
  IF person IS NULL AND NOT operator THEN
    RAISE EXCEPTION 'locks are set by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  found_target := CASE p_kind
           WHEN 'member' THEN EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_target)
           WHEN 'workload' THEN EXISTS (SELECT 1 FROM public.workloads w WHERE w.id = p_target)
           WHEN 'device' THEN EXISTS (SELECT 1 FROM public.devices d WHERE d.id = p_target)
           ELSE false END;
  IF NOT found_target THEN
    RAISE EXCEPTION 'no such target' USING ERRCODE = 'WD003';
  END IF;
  INSERT INTO public.locks (id, tenant_id, target_kind, target_id, detection_id, locked_by, locked_at)
  VALUES (p_id, public.ward_scope_tenant(), p_kind, p_target, p_detection, public.ward_scope_actor(), p_now)
  ON CONFLICT DO NOTHING;
  RETURN FOUND;
END
$$;

-- Unlocked by a second person: an active Owner or Admin who neither set the lock nor is its target.
CREATE FUNCTION ward_unlock(p_id uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  l record;
BEGIN
  SELECT * INTO l FROM public.locks x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such lock' USING ERRCODE = 'WD003';
  END IF;
  IF l.locked_by = public.ward_scope_actor() OR (l.target_kind = 'member' AND l.target_id = public.ward_scope_human()) THEN
    RAISE EXCEPTION 'a lock is lifted by a second person' USING ERRCODE = 'WD002';
  END IF;
  IF person IS NULL THEN
    RAISE EXCEPTION 'locks are lifted by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF l.unlocked_at IS NOT NULL THEN
    RAISE EXCEPTION 'already unlocked' USING ERRCODE = 'WD004';
  END IF;
  UPDATE public.locks x SET unlocked_by = person, unlocked_at = p_now WHERE x.id = p_id;
  RETURN true;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_elevation_request(uuid, uuid, text[], text[], text[], text, uuid, text, bytea, integer, timestamptz),
  ward_elevation_decide(uuid, boolean, timestamptz), ward_elevation_revoke(uuid, timestamptz),
  ward_breakglass_member_set(uuid, boolean, timestamptz),
  ward_breakglass_open(uuid, text, uuid, text, bytea, integer, text[], timestamptz),
  ward_breakglass_review(uuid, text, timestamptz), ward_breakglass_escalate(uuid, timestamptz),
  ward_lock(uuid, text, uuid, text, timestamptz), ward_unlock(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_elevation_request(uuid, uuid, text[], text[], text[], text, uuid, text, bytea, integer, timestamptz),
  ward_elevation_decide(uuid, boolean, timestamptz), ward_elevation_revoke(uuid, timestamptz),
  ward_breakglass_member_set(uuid, boolean, timestamptz),
  ward_breakglass_open(uuid, text, uuid, text, bytea, integer, text[], timestamptz),
  ward_breakglass_review(uuid, text, timestamptz), ward_breakglass_escalate(uuid, timestamptz),
  ward_lock(uuid, text, uuid, text, timestamptz), ward_unlock(uuid, timestamptz) TO ward_app;
