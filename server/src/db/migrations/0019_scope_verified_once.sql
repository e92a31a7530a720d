-- R-AUTHZ-7: one MAC verification per statement on PHI tables and audit inserts (0015 made two:
-- one for the tenant, one for the scopes or the actor). PHI policies now compare each row's
-- 'tenant/scope' with the verified list ward_scope_phi_keys() (an initplan), and keep the unverified
-- tenant setting only as an index hint: it can narrow what is read, never widen it, since a row must
-- also be in the verified list. The audit insert compares 'tenant/kind:id' with the verified
-- ward_scope_tenant_actor().

SET LOCAL ROLE ward_definer;

-- The verified tenant's PHI scopes as 'tenant/scope', or NULL.
CREATE FUNCTION ward_scope_phi_keys() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF public.ward_scope_mac_valid() THEN
    RETURN ARRAY(SELECT current_setting('ward.tenant_id', true) || '/' || s
                   FROM unnest(string_to_array(current_setting('ward.phi_scopes', true), ',')) s);
  END IF;
  RETURN NULL;
END
$$;

-- The verified tenant and actor as 'tenant/kind:id', or NULL.
CREATE FUNCTION ward_scope_tenant_actor() RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF public.ward_scope_mac_valid() THEN
    RETURN current_setting('ward.tenant_id', true) || '/' || current_setting('ward.actor_kind', true) || ':' || current_setting('ward.actor_id', true);
  END IF;
  RETURN NULL;
END
$$;

SET LOCAL ROLE ward_owner;

-- Not a check: which tenant to look in (an index hint). Inlined, so the planner uses the indexes.
CREATE FUNCTION ward_scope_tenant_hint() RETURNS uuid
  LANGUAGE sql STABLE
AS $$ SELECT NULLIF(current_setting('ward.tenant_id', true), '')::uuid $$;

REVOKE ALL ON FUNCTION ward_scope_phi_keys(), ward_scope_tenant_actor(), ward_scope_tenant_hint() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_scope_phi_keys(), ward_scope_tenant_actor(), ward_scope_tenant_hint() TO ward_app, ward_definer;

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['patients', 'calls', 'recordings', 'recording_chunks', 'transcripts', 'utterances',
                           'ai_drafts', 'case_notes'] LOOP
    EXECUTE format('DROP POLICY tenant_and_scope ON %I', t);
    EXECUTE format('CREATE POLICY tenant_and_scope ON %I '
                   'USING (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || ''/'' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[])) '
                   'WITH CHECK (tenant_id = ward_scope_tenant_hint() AND (tenant_id::text || ''/'' || phi_scope) = ANY ((SELECT ward_scope_phi_keys())::text[]))', t);
  END LOOP;
END
$$;

DROP POLICY tenant_append ON audit_events;
CREATE POLICY tenant_append ON audit_events FOR INSERT
  WITH CHECK (tenant_id::text || '/' || actor_kind || ':' || actor_id = (SELECT ward_scope_tenant_actor()));
