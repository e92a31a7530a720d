-- SCIM 2.0 provisioning from the IdP (R-AUTHN-5), identity proofing before a provisioned member's
-- first enrollment link (R-AUTHN-3), and the inactivity rule (R-GOV-2). Runs as ward_owner.
--
-- The tenant's SCIM client is a registered `service` workload with the role ScimProvisioner
-- (R-WORK-1): no keys (it gets no OAuth token), and static bearer tokens stored by hash, valid on
-- /scim/v2 only, for at most a year (docs/sso.md: IdPs send static bearer tokens).

ALTER TABLE workloads ADD COLUMN last_used_at timestamptz;
GRANT UPDATE (last_used_at) ON workloads TO ward_app;

CREATE TABLE scim_tokens (
  tenant_id    uuid NOT NULL,
  id           uuid PRIMARY KEY,
  workload_id  uuid NOT NULL,
  token_hash   bytea NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  last_used_at timestamptz,
  CHECK (expires_at <= created_at + interval '366 days'),
  FOREIGN KEY (tenant_id, workload_id) REFERENCES workloads (tenant_id, id) ON DELETE CASCADE
);

-- A member the IdP provisioned: its SCIM attributes beside the member row. Rows are never deleted
-- (the audit trail refers to them): DELETE /Users deactivates.
CREATE TABLE scim_users (
  tenant_id   uuid NOT NULL,
  member_id   uuid PRIMARY KEY,
  user_name   text NOT NULL CHECK (length(user_name) BETWEEN 1 AND 300),
  external_id text CHECK (length(external_id) <= 300),
  given_name  text CHECK (length(given_name) <= 200),
  family_name text CHECK (length(family_name) <= 200),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  version     integer NOT NULL DEFAULT 1,
  -- DELETE /Users: the member is deactivated and the resource answers 404 from then on (RFC 7644 §3.6).
  deleted_at  timestamptz,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX scim_users_user_name ON scim_users (tenant_id, lower(user_name)) WHERE deleted_at IS NULL;

CREATE TABLE scim_groups (
  tenant_id    uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id           uuid PRIMARY KEY,
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 300),
  external_id  text CHECK (length(external_id) <= 300),
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL,
  deleted_at   timestamptz,
  version      integer NOT NULL DEFAULT 1,
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX scim_groups_display_name ON scim_groups (tenant_id, lower(display_name)) WHERE deleted_at IS NULL;

CREATE TABLE scim_group_members (
  tenant_id uuid NOT NULL,
  group_id  uuid NOT NULL,
  member_id uuid NOT NULL,
  added_at  timestamptz NOT NULL,
  PRIMARY KEY (group_id, member_id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES scim_groups (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

-- Groups give roles only through these rows, written by the operator (`ward scim map-group`); a
-- group named like a role gives nothing by itself. Never PHI scopes: those stay Ward-side grants.
CREATE TABLE scim_group_roles (
  tenant_id uuid NOT NULL,
  group_id  uuid NOT NULL,
  role      text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor')),
  mapped_at timestamptz NOT NULL,
  PRIMARY KEY (group_id, role),
  FOREIGN KEY (tenant_id, group_id) REFERENCES scim_groups (tenant_id, id) ON DELETE CASCADE
);

-- R-AUTHN-3: how a provisioned member's identity was proofed, before the first enrollment link. The
-- note is encrypted under the tenant's key (it may name documents); the method is a code.
CREATE TABLE id_proofings (
  tenant_id   uuid NOT NULL,
  id          uuid PRIMARY KEY,
  member_id   uuid NOT NULL,
  method      text NOT NULL CHECK (method IN ('in_person_document', 'remote_video_document', 'hr_onboarding_record', 'manager_attestation')),
  note_enc    bytea NOT NULL,
  recorded_by uuid NOT NULL,
  recorded_at timestamptz NOT NULL,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['scim_tokens', 'scim_users', 'scim_groups', 'scim_group_members', 'scim_group_roles', 'id_proofings'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT ward_scope_tenant())) '
                   'WITH CHECK (tenant_id = (SELECT ward_scope_tenant()))', t);
  END LOOP;
END
$$;

-- The application serves the SCIM client; the operator registers it, issues its tokens and maps groups.
GRANT SELECT, UPDATE (last_used_at) ON scim_tokens TO ward_app;
GRANT SELECT, INSERT, UPDATE ON scim_users, scim_groups TO ward_app;
GRANT SELECT, INSERT, DELETE ON scim_group_members TO ward_app;
GRANT SELECT ON scim_group_roles TO ward_app;
GRANT SELECT, INSERT ON id_proofings TO ward_app;

-- A SCIM bearer token before any tenant is known (DESIGN.md): by its hash, only live ones, only the
-- owning tenant and client.
CREATE FUNCTION ward_auth_scim_token(p_token_hash bytea)
  RETURNS TABLE (tenant_id uuid, workload_id uuid, token_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.tenant_id, t.workload_id, t.id FROM public.scim_tokens t
   WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL AND t.expires_at > now()
$$;
REVOKE ALL ON FUNCTION ward_auth_scim_token(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_scim_token(bytea) TO ward_app;

-- R-AUTHN-5, R-AUTHZ-5: a provisioned member's roles follow its groups' explicit mappings, and only
-- them; written by ward_definer, not by ward_app (0017). The actor is the tenant's active SCIM client
-- or the operator, taken from the verified scope. Owner and Admin through a mapping still need an
-- approved invitation for that role (the second person): without one the role is reported
-- `approval_required`, not granted.
GRANT SELECT ON workloads, scim_users, scim_groups, scim_group_members, scim_group_roles TO ward_definer;
GRANT DELETE ON member_roles TO ward_definer;

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_scope_scim_client() RETURNS boolean
  LANGUAGE sql STABLE
AS $$
  SELECT EXISTS (SELECT 1 FROM public.workloads w
                  WHERE w.status = 'active' AND w.role = 'ScimProvisioner' AND w.kind = 'service'
                    AND 'service:' || w.id::text = public.ward_scope_actor())
$$;
REVOKE ALL ON FUNCTION ward_scope_scim_client() FROM PUBLIC;

CREATE FUNCTION ward_scim_sync_roles(p_member_id uuid, p_now timestamptz)
  RETURNS TABLE (role text, change text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  wanted text[];
  r text;
BEGIN
  IF NOT public.ward_scope_scim_client() AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'provisioned roles are synchronised by the SCIM client or the operator' USING ERRCODE = 'WD001';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.scim_users u WHERE u.member_id = p_member_id AND u.deleted_at IS NULL) THEN
    RAISE EXCEPTION 'not a provisioned member' USING ERRCODE = 'WD003';
  END IF;
  SELECT COALESCE(array_agg(DISTINCT gr.role ORDER BY gr.role), '{}') INTO wanted
    FROM public.scim_group_members gm
    JOIN public.scim_groups g ON g.id = gm.group_id AND g.deleted_at IS NULL
    JOIN public.scim_group_roles gr ON gr.group_id = gm.group_id
   WHERE gm.member_id = p_member_id;
  RETURN QUERY
    DELETE FROM public.member_roles x WHERE x.member_id = p_member_id AND NOT (x.role = ANY (wanted))
    RETURNING x.role, 'revoked'::text;
  FOREACH r IN ARRAY wanted LOOP
    CONTINUE WHEN EXISTS (SELECT 1 FROM public.member_roles x WHERE x.member_id = p_member_id AND x.role = r);
    IF r IN ('Owner', 'Admin') AND NOT EXISTS (
         SELECT 1 FROM public.enrollment_tokens e
          WHERE e.member_id = p_member_id AND e.role = r AND e.requires_approval AND e.approved_at IS NOT NULL) THEN
      role := r; change := 'approval_required';
      RETURN NEXT;
      CONTINUE;
    END IF;
    INSERT INTO public.member_roles (tenant_id, member_id, role, granted_by, granted_at)
    SELECT m.tenant_id, m.id, r, NULL, p_now FROM public.members m WHERE m.id = p_member_id;
    role := r; change := 'granted';
    RETURN NEXT;
  END LOOP;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_scim_sync_roles(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_scim_sync_roles(uuid, timestamptz) TO ward_app;
