-- R-AI-3: AI vendors and their business associate agreements (docs/ai.md "Vendors and BAAs").
-- A vendor is a record of its tenant: name, base URL, model, time budget, and the API key wrapped by
-- the tenant's key-encryption key (R-DATA-1; never stored in the clear). Its BAA record (document
-- hash, effective and expiry dates, who attested) is in force only once a second person, an active
-- Owner or Admin other than the attester, approved it; changing the URL, the model or the BAA record
-- reopens approval (trigger below). A tenant has at most one active vendor per template purpose
-- (ai_vendor_assignments; none = the built-in local provider), and an AI agent workload names the
-- vendor behind it (workloads.ai_vendor_id, `ward workload set-vendor`, R-AI-6).
-- ward_app only reads vendors: every write is a SECURITY DEFINER function that takes the actor from
-- the verified scope (0017). Refusals: WD001 not permitted, WD002 self-approval, WD003 nothing to act
-- on, WD004 nothing to approve (no BAA record, or already approved).

CREATE TABLE ai_vendors (
  tenant_id          uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name               text NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$' AND name <> 'local'),
  base_url           text NOT NULL CHECK (base_url ~ '^https?://' AND length(base_url) <= 2000),
  model              text NOT NULL CHECK (length(model) BETWEEN 1 AND 200),
  timeout_ms         integer NOT NULL CHECK (timeout_ms BETWEEN 100 AND 120000),
  key_kek_id         text NOT NULL,
  key_wrapped        bytea NOT NULL,
  baa_document_sha256 text CHECK (baa_document_sha256 ~ '^[0-9a-f]{64}$'),
  baa_effective      date,
  baa_expires        date,
  baa_attested_by    uuid,
  baa_attested_at    timestamptz,
  baa_approved_by    uuid,
  baa_approved_at    timestamptz,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, name),
  -- A BAA record is whole or absent; it ends after it starts; its approver is never its attester.
  CHECK ((baa_document_sha256 IS NULL) = (baa_effective IS NULL) AND (baa_effective IS NULL) = (baa_expires IS NULL)
         AND (baa_expires IS NULL) = (baa_attested_by IS NULL) AND (baa_attested_by IS NULL) = (baa_attested_at IS NULL)),
  CHECK (baa_expires IS NULL OR baa_expires > baa_effective),
  CHECK (baa_approved_by IS NULL OR (baa_attested_by IS NOT NULL AND baa_approved_by <> baa_attested_by)),
  CHECK ((baa_approved_by IS NULL) = (baa_approved_at IS NULL)),
  FOREIGN KEY (tenant_id, baa_attested_by) REFERENCES members (tenant_id, id),
  FOREIGN KEY (tenant_id, baa_approved_by) REFERENCES members (tenant_id, id)
);

CREATE TABLE ai_vendor_assignments (
  tenant_id   uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  purpose     text NOT NULL CHECK (purpose IN ('call-summary', 'suggested-reply', 'case-note-draft', 'routing-category')),
  vendor_id   uuid NOT NULL,
  assigned_by text NOT NULL,
  assigned_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, purpose),
  FOREIGN KEY (tenant_id, vendor_id) REFERENCES ai_vendors (tenant_id, id) ON DELETE CASCADE
);

ALTER TABLE workloads ADD COLUMN ai_vendor_id uuid;
ALTER TABLE workloads ADD FOREIGN KEY (tenant_id, ai_vendor_id) REFERENCES ai_vendors (tenant_id, id);

-- Changing where PHI goes, or the agreement, reopens approval (R-AI-3).
CREATE FUNCTION ward_ai_vendor_reopen() RETURNS trigger
  LANGUAGE plpgsql
AS $$
BEGIN
  IF NEW.base_url IS DISTINCT FROM OLD.base_url OR NEW.model IS DISTINCT FROM OLD.model
     OR NEW.baa_document_sha256 IS DISTINCT FROM OLD.baa_document_sha256 OR NEW.baa_effective IS DISTINCT FROM OLD.baa_effective
     OR NEW.baa_expires IS DISTINCT FROM OLD.baa_expires OR NEW.baa_attested_by IS DISTINCT FROM OLD.baa_attested_by THEN
    IF NEW.baa_approved_by IS NOT DISTINCT FROM OLD.baa_approved_by THEN
      NEW.baa_approved_by := NULL;
      NEW.baa_approved_at := NULL;
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER ai_vendors_reopen BEFORE UPDATE ON ai_vendors FOR EACH ROW EXECUTE FUNCTION ward_ai_vendor_reopen();

ALTER TABLE ai_vendors ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_vendors FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_vendors
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));
ALTER TABLE ai_vendor_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE ai_vendor_assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_vendor_assignments
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT ON ai_vendors, ai_vendor_assignments TO ward_app;
GRANT SELECT, INSERT, UPDATE ON ai_vendors TO ward_definer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ai_vendor_assignments TO ward_definer;

SET LOCAL ROLE ward_definer;

-- The verified actor for a vendor change: an active Owner or Admin acting as themselves, or the
-- operator naming the active Owner or Admin it acts for (`p_claimed`). NULL when neither holds.
CREATE FUNCTION ward_ai_vendor_actor(p_claimed uuid) RETURNS uuid
  LANGUAGE plpgsql STABLE
AS $$
DECLARE
  person uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
BEGIN
  IF person IS NOT NULL THEN
    RETURN person;
  END IF;
  IF public.ward_scope_is_operator() AND p_claimed IS NOT NULL
     AND EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_claimed AND m.tenant_id = public.ward_scope_tenant() AND m.status = 'active')
     AND EXISTS (SELECT 1 FROM public.member_roles r WHERE r.member_id = p_claimed AND r.role IN ('Owner', 'Admin')) THEN
    RETURN p_claimed;
  END IF;
  RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION ward_ai_vendor_actor(uuid) FROM PUBLIC;

-- A vendor added or changed (by name). With a BAA record, its attester is the actor (a person) or the
-- operator's claim; the approval is never carried over a change (trigger). Returns the vendor id.
CREATE FUNCTION ward_ai_vendor_put(p_name text, p_base_url text, p_model text, p_timeout_ms integer, p_kek_id text, p_wrapped bytea,
                                   p_baa_sha256 text, p_baa_effective date, p_baa_expires date, p_claimed_attester uuid, p_now timestamptz)
  RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  tenant uuid := public.ward_scope_tenant();
  attester uuid;
  v uuid;
BEGIN
  IF public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']) IS NULL AND NOT public.ward_scope_is_operator() THEN
    RAISE EXCEPTION 'AI vendors are added by an active Owner or Admin, or the operator' USING ERRCODE = 'WD001';
  END IF;
  IF p_baa_sha256 IS NOT NULL THEN
    attester := public.ward_ai_vendor_actor(p_claimed_attester);
    IF attester IS NULL THEN
      RAISE EXCEPTION 'a BAA is attested by an active Owner or Admin of the tenant' USING ERRCODE = 'WD001';
    END IF;
  END IF;
  INSERT INTO public.ai_vendors AS x (tenant_id, name, base_url, model, timeout_ms, key_kek_id, key_wrapped, baa_document_sha256, baa_effective,
                                      baa_expires, baa_attested_by, baa_attested_at, created_at, updated_at)
  VALUES (tenant, p_name, p_base_url, p_model, p_timeout_ms, p_kek_id, p_wrapped, p_baa_sha256, p_baa_effective, p_baa_expires, attester,
          CASE WHEN attester IS NULL THEN NULL ELSE p_now END, p_now, p_now)
  ON CONFLICT (tenant_id, name) DO UPDATE SET base_url = EXCLUDED.base_url, model = EXCLUDED.model, timeout_ms = EXCLUDED.timeout_ms,
    key_kek_id = EXCLUDED.key_kek_id, key_wrapped = EXCLUDED.key_wrapped, baa_document_sha256 = EXCLUDED.baa_document_sha256,
    baa_effective = EXCLUDED.baa_effective, baa_expires = EXCLUDED.baa_expires, baa_attested_by = EXCLUDED.baa_attested_by,
    baa_attested_at = EXCLUDED.baa_attested_at, updated_at = EXCLUDED.updated_at
  RETURNING x.id INTO v;
  RETURN v;
END
$$;

-- The BAA of a vendor approved by the verified person: an active Owner or Admin other than its
-- attester. People only: the operator never approves a BAA (R-AI-3, two-person rule).
CREATE FUNCTION ward_ai_vendor_approve_baa(p_name text, p_now timestamptz) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  approver uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
  v record;
BEGIN
  SELECT x.id, x.baa_attested_by, x.baa_approved_by INTO v FROM public.ai_vendors x WHERE x.tenant_id = tenant AND x.name = p_name FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such AI vendor' USING ERRCODE = 'WD003';
  END IF;
  IF approver IS NULL THEN
    RAISE EXCEPTION 'a BAA is approved by an active Owner or Admin through their own session' USING ERRCODE = 'WD001';
  END IF;
  IF v.baa_attested_by IS NULL OR v.baa_approved_by IS NOT NULL THEN
    RAISE EXCEPTION 'the vendor has no BAA record awaiting approval' USING ERRCODE = 'WD004';
  END IF;
  IF v.baa_attested_by = approver THEN
    RAISE EXCEPTION 'no one approves a BAA they attested' USING ERRCODE = 'WD002';
  END IF;
  UPDATE public.ai_vendors x SET baa_approved_by = approver, baa_approved_at = p_now WHERE x.id = v.id;
  RETURN v.id;
END
$$;

-- The tenant's active vendor for a purpose (NULL: the built-in local provider again).
CREATE FUNCTION ward_ai_vendor_use(p_purpose text, p_name text, p_claimed uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  tenant uuid := public.ward_scope_tenant();
  actor uuid := public.ward_ai_vendor_actor(p_claimed);
  v uuid;
BEGIN
  IF actor IS NULL THEN
    RAISE EXCEPTION 'the active vendor is chosen by an active Owner or Admin of the tenant' USING ERRCODE = 'WD001';
  END IF;
  IF p_name IS NULL THEN
    DELETE FROM public.ai_vendor_assignments a WHERE a.tenant_id = tenant AND a.purpose = p_purpose;
    RETURN true;
  END IF;
  SELECT x.id INTO v FROM public.ai_vendors x WHERE x.tenant_id = tenant AND x.name = p_name;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such AI vendor' USING ERRCODE = 'WD003';
  END IF;
  INSERT INTO public.ai_vendor_assignments (tenant_id, purpose, vendor_id, assigned_by, assigned_at)
  VALUES (tenant, p_purpose, v, actor::text, p_now)
  ON CONFLICT (tenant_id, purpose) DO UPDATE SET vendor_id = EXCLUDED.vendor_id, assigned_by = EXCLUDED.assigned_by, assigned_at = EXCLUDED.assigned_at;
  RETURN true;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_ai_vendor_put(text, text, text, integer, text, bytea, text, date, date, uuid, timestamptz),
  ward_ai_vendor_approve_baa(text, timestamptz), ward_ai_vendor_use(text, text, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_ai_vendor_put(text, text, text, integer, text, bytea, text, date, date, uuid, timestamptz),
  ward_ai_vendor_approve_baa(text, timestamptz), ward_ai_vendor_use(text, text, uuid, timestamptz) TO ward_app;
