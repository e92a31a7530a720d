-- R-AUTHZ-7: the scope a transaction may see is authenticated, not merely set. db.scoped sets, with
-- ward.tenant_id, ward.phi_scopes, ward.actor_id and ward.actor_kind, an expiry (ward.scope_expires,
-- Unix seconds, at most 30 s ahead) and ward.scope_mac: HMAC-SHA-256 over
--   'ward-scope-v1' \n tenant \n scopes \n actor id \n actor kind \n pg_backend_pid() \n expiry
-- under a key that ward_app cannot read. Policies read the scope only through the SECURITY DEFINER
-- functions below, which return NULL unless the MAC verifies: a forged setting reads nothing, and a
-- copied MAC is useless on another connection (another backend pid) or once expired.
--
-- HMAC is computed from core sha256() with the key's inner and outer padded blocks stored ready
-- (RFC 2104: H((K xor opad) || H((K xor ipad) || m))), so the same SQL runs on PostgreSQL 15 and
-- PGlite without pgcrypto (which would need CREATE EXTENSION by a superuser in every database and
-- loading into PGlite). The server creates the key on first use (db/scope-key.ts) through the owner
-- connection and keeps it in memory.

CREATE TABLE ward_scope_keys (
  id         smallint PRIMARY KEY CHECK (id = 1),
  inner_key  bytea NOT NULL CHECK (octet_length(inner_key) = 64),
  outer_key  bytea NOT NULL CHECK (octet_length(outer_key) = 64),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE ward_scope_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE ward_scope_keys FORCE ROW LEVEL SECURITY;
-- Only the definer role reads it (the owner, with BYPASSRLS, creates it for the server).
CREATE POLICY definer_reads ON ward_scope_keys FOR SELECT TO ward_definer USING (true);
GRANT SELECT ON ward_scope_keys TO ward_definer;

SET LOCAL ROLE ward_definer;

-- Whether the settings of this transaction carry a valid MAC. Not a definer function itself: only
-- ward_definer may execute it, from the definer functions below (which pin search_path).
CREATE FUNCTION ward_scope_mac_valid() RETURNS boolean
  LANGUAGE plpgsql STABLE
AS $$
DECLARE
  expires text := pg_catalog.current_setting('ward.scope_expires', true);
  mac text := pg_catalog.current_setting('ward.scope_mac', true);
  k record;
BEGIN
  IF expires IS NULL OR mac IS NULL OR expires !~ '^[0-9]{1,12}$' OR mac !~ '^[0-9a-f]{64}$' THEN
    RETURN false;
  END IF;
  -- At most 30 s ahead (10 s allowed for the server's clock running ahead of the database's).
  IF expires::bigint <= extract(epoch FROM now()) OR expires::bigint > extract(epoch FROM now()) + 40 THEN
    RETURN false;
  END IF;
  SELECT s.inner_key, s.outer_key INTO k FROM public.ward_scope_keys s WHERE s.id = 1;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  RETURN pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(pg_catalog.concat_ws(E'\n',
           'ward-scope-v1',
           COALESCE(pg_catalog.current_setting('ward.tenant_id', true), ''),
           COALESCE(pg_catalog.current_setting('ward.phi_scopes', true), ''),
           COALESCE(pg_catalog.current_setting('ward.actor_id', true), ''),
           COALESCE(pg_catalog.current_setting('ward.actor_kind', true), ''),
           pg_catalog.pg_backend_pid()::text,
           expires), 'UTF8')))
         = pg_catalog.decode(mac, 'hex');
END
$$;
REVOKE ALL ON FUNCTION ward_scope_mac_valid() FROM PUBLIC;

-- The verified tenant, or NULL. Policies call it as (SELECT ward_scope_tenant()): an initplan,
-- evaluated once per statement.
CREATE FUNCTION ward_scope_tenant() RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF public.ward_scope_mac_valid() THEN
    RETURN current_setting('ward.tenant_id', true)::uuid;
  END IF;
  RETURN NULL;
END
$$;

-- The verified PHI scopes (possibly none), or NULL.
CREATE FUNCTION ward_scope_phi_scopes() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF public.ward_scope_mac_valid() THEN
    RETURN string_to_array(current_setting('ward.phi_scopes', true), ',');
  END IF;
  RETURN NULL;
END
$$;

-- The verified actor as 'kind:id' (kinds contain no colon), or NULL.
CREATE FUNCTION ward_scope_actor() RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF public.ward_scope_mac_valid() THEN
    RETURN current_setting('ward.actor_kind', true) || ':' || current_setting('ward.actor_id', true);
  END IF;
  RETURN NULL;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_scope_tenant(), ward_scope_phi_scopes(), ward_scope_actor() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_scope_tenant(), ward_scope_phi_scopes(), ward_scope_actor() TO ward_app, ward_definer;

-- Every policy now reads the verified scope. Tenant tables: the tenant. PHI tables: the tenant and
-- a granted PHI scope. Read-only tables keep no WITH CHECK (ward_app cannot write them anyway).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['members', 'member_roles', 'member_phi_scopes', 'devices', 'passkey_credentials',
                           'enrollment_tokens', 'sessions', 'tenant_keys', 'retention_policies', 'legal_holds',
                           'webauthn_challenges', 'tenant_policies'] LOOP
    EXECUTE format('DROP POLICY tenant_isolation ON %I', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT ward_scope_tenant())) '
                   'WITH CHECK (tenant_id = (SELECT ward_scope_tenant()))', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['audit_tree_nodes', 'audit_tree_heads'] LOOP
    EXECUTE format('DROP POLICY tenant_isolation ON %I', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (tenant_id = (SELECT ward_scope_tenant()))', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['patients', 'calls', 'recordings', 'recording_chunks', 'transcripts', 'utterances',
                           'ai_drafts', 'case_notes'] LOOP
    EXECUTE format('DROP POLICY tenant_and_scope ON %I', t);
    EXECUTE format('CREATE POLICY tenant_and_scope ON %I '
                   'USING (tenant_id = (SELECT ward_scope_tenant()) AND phi_scope = ANY ((SELECT ward_scope_phi_scopes())::text[])) '
                   'WITH CHECK (tenant_id = (SELECT ward_scope_tenant()) AND phi_scope = ANY ((SELECT ward_scope_phi_scopes())::text[]))', t);
  END LOOP;
END
$$;

DROP POLICY tenant_isolation ON tenants;
CREATE POLICY tenant_isolation ON tenants
  USING (id = (SELECT ward_scope_tenant()))
  WITH CHECK (id = (SELECT ward_scope_tenant()));

-- R-AUDIT-2: an event is appended in the verified tenant under the verified actor; the actor is
-- never the application's word alone.
DROP POLICY tenant_isolation ON audit_events;
CREATE POLICY tenant_read ON audit_events FOR SELECT
  USING (tenant_id = (SELECT ward_scope_tenant()));
CREATE POLICY tenant_append ON audit_events FOR INSERT
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()) AND actor_kind || ':' || actor_id = (SELECT ward_scope_actor()));
