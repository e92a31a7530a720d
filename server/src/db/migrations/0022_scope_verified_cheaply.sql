-- R-AUTHZ-7, R-OPS-1: the scope MAC verified at a fraction of the cost, still by the database, still
-- once per statement and table (the policies' initplans, 0015/0019), with the same message, key and
-- expiry rule. In 0015 each getter called the plpgsql verifier ward_scope_mac_valid(): a second
-- function call, some fifteen expressions (two regular expressions among them) and its own key query;
-- ward_scope_phi_keys() ran one more query (ARRAY(SELECT … unnest …)). plpgsql prepares each
-- expression of a function again in every new transaction, so with one statement per transaction
-- that cost ~50 µs of backend CPU per statement (docs/threat-model.md, "What the scope MAC costs").
--
-- Now each getter is one function: one query reads the key and the six settings, one expression
-- compares the MAC, and only a verified expiry is then read as a number (a MAC made by the server
-- covers an expiry of digits, so nothing an attacker sets can make the cast raise: a forged setting
-- reads nothing, it does not error). What a getter returns comes from the same query that fed the
-- MAC. The six functions are made from one template below, so there is one verifier to read.
-- Signatures, owner (ward_definer), grants and the policies that call them are unchanged.

SET LOCAL ROLE ward_definer;

DO $do$
DECLARE
  -- %1$s the function, %2$s its result type, %3$s SECURITY DEFINER or not, %4$s the value when the
  -- MAC verifies (over the record s), %5$s the value when it does not.
  template constant text := $t$
CREATE OR REPLACE FUNCTION public.%1$s() RETURNS %2$s
  LANGUAGE plpgsql STABLE %3$s SET search_path = pg_catalog, pg_temp
AS $f$
DECLARE
  s record;
BEGIN
  SELECT k.inner_key AS ik, k.outer_key AS ok,
         COALESCE(current_setting('ward.tenant_id', true), '') AS tenant,
         COALESCE(current_setting('ward.phi_scopes', true), '') AS scopes,
         COALESCE(current_setting('ward.actor_id', true), '') AS actor,
         COALESCE(current_setting('ward.actor_kind', true), '') AS kind,
         COALESCE(current_setting('ward.scope_expires', true), '') AS expires,
         current_setting('ward.scope_mac', true) AS mac
    INTO s FROM public.ward_scope_keys k WHERE k.id = 1;
  -- No key row leaves s all NULL, an unset MAC is NULL: neither compares equal.
  IF s.mac = encode(sha256(s.ok || sha256(s.ik || convert_to(concat_ws(E'\n',
       'ward-scope-v1', s.tenant, s.scopes, s.actor, s.kind, pg_backend_pid()::text, s.expires), 'UTF8'))), 'hex') THEN
    -- Expired, or more than 30 s ahead (10 s allowed for the server's clock running ahead).
    IF s.expires::bigint > extract(epoch FROM now()) AND s.expires::bigint <= extract(epoch FROM now()) + 40 THEN
      RETURN %4$s;
    END IF;
  END IF;
  RETURN %5$s;
END
$f$
$t$;
BEGIN
  -- Whether the settings carry a valid MAC (only ward_definer may execute it).
  EXECUTE format(template, 'ward_scope_mac_valid', 'boolean', '', 'true', 'false');
  -- The verified tenant.
  EXECUTE format(template, 'ward_scope_tenant', 'uuid', 'SECURITY DEFINER', $$NULLIF(s.tenant, '')::uuid$$, 'NULL');
  -- The verified PHI scopes (possibly none).
  EXECUTE format(template, 'ward_scope_phi_scopes', 'text[]', 'SECURITY DEFINER', $$string_to_array(s.scopes, ',')$$, 'NULL');
  -- The verified actor as 'kind:id'.
  EXECUTE format(template, 'ward_scope_actor', 'text', 'SECURITY DEFINER', $$s.kind || ':' || s.actor$$, 'NULL');
  -- 'tenant/scope' for each verified scope ({} when none). Scopes hold no comma (scope.ts accepts
  -- only the known ones), so one replace() prefixes each with the tenant.
  EXECUTE format(template, 'ward_scope_phi_keys', 'text[]', 'SECURITY DEFINER',
    $$CASE WHEN s.scopes = '' THEN '{}'::text[] ELSE string_to_array(s.tenant || '/' || replace(s.scopes, ',', ',' || s.tenant || '/'), ',') END$$, 'NULL');
  -- The verified tenant and actor as 'tenant/kind:id'.
  EXECUTE format(template, 'ward_scope_tenant_actor', 'text', 'SECURITY DEFINER', $$s.tenant || '/' || s.kind || ':' || s.actor$$, 'NULL');
END
$do$;

SET LOCAL ROLE ward_owner;
