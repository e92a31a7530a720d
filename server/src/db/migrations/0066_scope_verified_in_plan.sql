-- R-AUTHZ-7, R-AUDIT-2, R-OPS-1: the scope MAC verified inside the statement's own plan. Until now
-- each policy called a SECURITY DEFINER plpgsql getter as an initplan, (SELECT ward_scope_tenant()):
-- per statement a function call with its pinned search_path (a setting saved and restored), an SPI
-- query for the key with an executor start-up of its own, and plpgsql preparing each of its
-- expressions again in every transaction. Measured, that call cost more than the key read and the
-- HMAC together (docs/threat-model.md, "What the scope MAC costs").
--
-- ward_scope_verified is a security-barrier view owned by ward_definer. A view reads its tables with
-- its owner's rights, so it reads the key that ward_app still cannot read (ward_app may select from
-- the view, not from ward_scope_keys); it verifies the same MAC as 0022 (same message, key and expiry
-- rule; the expiry is read as a number only once the MAC verifies, so a forged setting reads nothing
-- and raises nothing) and yields the verified tenant, PHI keys ('tenant/scope') and 'tenant/kind:id',
-- each NULL unless verified. Its functions and operators are bound when it is created, so no
-- search_path reaches into it. Policies read it as an initplan, (SELECT v.tenant FROM
-- ward_scope_verified v), planned with the statement: still once per statement and table.
--
-- A transaction that names ward.elevated_scopes (0038) takes its PHI keys from ward_scope_phi_keys(),
-- which verifies the MAC itself and adds the live elevations. The getters stay for the definer
-- functions that call them, and a policy written with them remains right, only slower.

SET LOCAL ROLE ward_definer;

CREATE VIEW ward_scope_verified WITH (security_barrier) AS
SELECT CASE WHEN s.verified THEN NULLIF(s.tenant, '')::uuid END AS tenant,
       CASE WHEN s.asked <> '' THEN public.ward_scope_phi_keys()
            WHEN s.verified THEN CASE WHEN s.scopes = '' THEN '{}'::text[]
                                      ELSE string_to_array(s.tenant || '/' || replace(s.scopes, ',', ',' || s.tenant || '/'), ',') END
       END AS phi_keys,
       CASE WHEN s.verified THEN s.tenant || '/' || s.kind || ':' || s.actor END AS tenant_actor
  FROM (SELECT m.tenant, m.scopes, m.actor, m.kind, m.asked,
               -- CASE, not AND: the expiry is cast only after the MAC (over an expiry of digits) verifies.
               CASE WHEN m.mac = encode(sha256(m.ok || sha256(m.ik || convert_to(concat_ws(E'\n',
                      'ward-scope-v1', m.tenant, m.scopes, m.actor, m.kind, pg_backend_pid()::text, m.expires), 'UTF8'))), 'hex')
                    THEN m.expires::bigint > extract(epoch FROM now()) AND m.expires::bigint <= extract(epoch FROM now()) + 40
                    ELSE false END AS verified
          FROM (SELECT k.inner_key AS ik, k.outer_key AS ok,
                       COALESCE(current_setting('ward.tenant_id', true), '') AS tenant,
                       COALESCE(current_setting('ward.phi_scopes', true), '') AS scopes,
                       COALESCE(current_setting('ward.actor_id', true), '') AS actor,
                       COALESCE(current_setting('ward.actor_kind', true), '') AS kind,
                       COALESCE(current_setting('ward.scope_expires', true), '') AS expires,
                       current_setting('ward.scope_mac', true) AS mac,
                       COALESCE(current_setting('ward.elevated_scopes', true), '') AS asked
                  FROM public.ward_scope_keys k WHERE k.id = 1) m) s;

SET LOCAL ROLE ward_owner;

GRANT SELECT ON ward_scope_verified TO ward_app;

-- Every policy that reads a getter as an initplan now reads the view instead; nothing else in the
-- policy changes.
DO $$
DECLARE
  p record;
  rewrite constant text[][] := ARRAY[
    ['( SELECT ward_scope_tenant() AS ward_scope_tenant)', '( SELECT v.tenant FROM ward_scope_verified v)'],
    ['( SELECT ward_scope_phi_keys() AS ward_scope_phi_keys)', '( SELECT v.phi_keys FROM ward_scope_verified v)::text[]'],
    ['( SELECT ward_scope_tenant_actor() AS ward_scope_tenant_actor)', '( SELECT v.tenant_actor FROM ward_scope_verified v)']];
  qual text;
  checked text;
  i int;
BEGIN
  FOR p IN SELECT tablename, policyname, pg_policies.qual, with_check FROM pg_policies
            WHERE schemaname = 'public' AND concat_ws(' ', pg_policies.qual, with_check) ~ 'SELECT ward_scope_(tenant|phi_keys|tenant_actor)\(\) AS ' LOOP
    qual := p.qual;
    checked := p.with_check;
    FOR i IN 1 .. array_length(rewrite, 1) LOOP
      qual := replace(qual, rewrite[i][1], rewrite[i][2]);
      checked := replace(checked, rewrite[i][1], rewrite[i][2]);
    END LOOP;
    IF qual IS NOT NULL THEN
      EXECUTE format('ALTER POLICY %I ON %I USING (%s)', p.policyname, p.tablename, qual);
    END IF;
    IF checked IS NOT NULL THEN
      EXECUTE format('ALTER POLICY %I ON %I WITH CHECK (%s)', p.policyname, p.tablename, checked);
    END IF;
  END LOOP;
END
$$;
