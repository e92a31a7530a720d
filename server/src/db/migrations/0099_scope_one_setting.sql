-- R-AUTHZ-7, R-OPS-1 (issues 12 and 31): the scope in one setting, verified by a smaller expression.
-- Profiled with callgrind on PostgreSQL 15 (docs/threat-model.md, "What the scope MAC costs"), a
-- scoped point read in a transaction of its own cost the backend ~349,000 instructions against
-- ~73,000 for the same read unscoped: the six SET LOCALs ~85,000 (each a statement parsed, given a
-- portal and run), the view's expression ~75,000 to build at every executor start (one ACL check
-- and one function lookup per function call: 48 of them, thirteen current_setting() calls among
-- them, since the flattened view repeats a setting wherever it is used) and ~75,000 to evaluate
-- (numeric arithmetic for the expiry, the string building, the two sha256()).
--
-- ward.scope now holds the whole scope, made by the server (scope-key.ts):
--   <MAC: 64 hex digits> \n <tenant> \n <PHI keys 'tenant/scope', comma-separated> \n <'tenant/kind:actor'> \n <expiry>
-- The MAC is HMAC-SHA-256 under the same key over 'ward-scope-v2', the bytes of the value after the
-- MAC (its newline and everything after), and the backend pid as four bytes (int4send), so every byte
-- of the value is either compared or covered, and the columns are read straight out of it: the keys
-- are built by the server, not by string operations in every statement. The value is read as bytes
-- (substring of a bytea), so no character counting over it. The expiry is read as a number only once
-- the MAC verifies (CASE), and compared as float8 in one call: width_bucket(now - expiry, -40, 0, 1)
-- is 1 exactly when expiry > now and expiry <= now + 40, 0022's rule. The key table holds one row
-- (CHECK id = 1, primary key), read by a sequential scan without an index to open.
--
-- The view keeps its columns, so every policy stays as it is, and adds one, scope_keys (the verified
-- keys without elevations), for ward_scope_phi_keys(). The getters now read the view, so there is one
-- verifier; ward.tenant_id, ward.phi_scopes, ward.actor_id, ward.actor_kind, ward.scope_expires and
-- ward.scope_mac are no longer read by anything, and a value set in them verifies nothing.

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE VIEW ward_scope_verified WITH (security_barrier) AS
SELECT CASE WHEN s.verified THEN split_part(s.v, E'\n', 2)::uuid END AS tenant,
       CASE WHEN s.asked <> '' THEN public.ward_scope_phi_keys()
            WHEN s.verified THEN string_to_array(split_part(s.v, E'\n', 3), ',')
       END AS phi_keys,
       CASE WHEN s.verified THEN split_part(s.v, E'\n', 4) END AS tenant_actor,
       CASE WHEN s.verified THEN string_to_array(split_part(s.v, E'\n', 3), ',') END AS scope_keys
  FROM (SELECT m.v, m.asked,
               -- CASE, not AND: the expiry is cast only after the MAC (over an expiry of digits) verifies.
               CASE WHEN substring(m.b FROM 1 FOR 64) = convert_to(encode(sha256(m.ok || sha256(m.ik ||
                           '\x776172642d73636f70652d7632'::bytea /* 'ward-scope-v2' */ || substring(m.b FROM 65) || int4send(pg_backend_pid()))), 'hex'), 'UTF8')
                    THEN width_bucket(date_part('epoch', now()) - split_part(m.v, E'\n', 5)::float8, -40, 0, 1) = 1
                    ELSE false END AS verified
          FROM (SELECT k.inner_key AS ik, k.outer_key AS ok,
                       COALESCE(current_setting('ward.scope', true), '') AS v,
                       convert_to(COALESCE(current_setting('ward.scope', true), ''), 'UTF8') AS b,
                       COALESCE(current_setting('ward.elevated_scopes', true), '') AS asked
                  FROM public.ward_scope_keys k) m) s;

-- The getters, for the definer functions and policies that call them: same signatures, owner and
-- grants, each now one read of the view.
CREATE OR REPLACE FUNCTION public.ward_scope_tenant() RETURNS uuid
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN (SELECT v.tenant FROM public.ward_scope_verified v); END $$;

CREATE OR REPLACE FUNCTION public.ward_scope_tenant_actor() RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN (SELECT v.tenant_actor FROM public.ward_scope_verified v); END $$;

-- 'kind:actor': tenant_actor after the tenant (a UUID's 36 characters) and its '/'.
CREATE OR REPLACE FUNCTION public.ward_scope_actor() RETURNS text
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN (SELECT substr(v.tenant_actor, 38) FROM public.ward_scope_verified v); END $$;

CREATE OR REPLACE FUNCTION public.ward_scope_phi_scopes() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN (SELECT CASE WHEN v.scope_keys IS NOT NULL THEN ARRAY(SELECT substr(k, 38) FROM unnest(v.scope_keys) k) END
            FROM public.ward_scope_verified v);
END
$$;

CREATE OR REPLACE FUNCTION public.ward_scope_mac_valid() RETURNS boolean
  LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp
AS $$ BEGIN RETURN COALESCE((SELECT v.tenant IS NOT NULL FROM public.ward_scope_verified v), false); END $$;

-- R-AUTHZ-7, R-ELEV-1: the verified keys, plus the scopes named in ward.elevated_scopes that a live,
-- approved elevation of the verified member grants (0038's rule). It reads the view's other columns,
-- never phi_keys (which calls this function when ward.elevated_scopes is set).
CREATE OR REPLACE FUNCTION public.ward_scope_phi_keys() RETURNS text[]
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $f$
DECLARE
  s record;
  asked text := COALESCE(current_setting('ward.elevated_scopes', true), '');
  keys text[];
BEGIN
  SELECT v.tenant, v.tenant_actor, v.scope_keys INTO s FROM public.ward_scope_verified v;
  IF s.tenant IS NULL THEN
    RETURN NULL;
  END IF;
  keys := s.scope_keys;
  IF asked <> '' AND substr(s.tenant_actor, 38, 6) = 'human:' THEN
    keys := keys || ARRAY(
      SELECT DISTINCT s.tenant::text || '/' || x
        FROM public.elevations e, unnest(e.phi_scopes) x
       WHERE e.tenant_id = s.tenant AND e.member_id::text = substr(s.tenant_actor, 44) AND e.state = 'approved'
         AND e.db_expires_at > now() AND x = ANY (string_to_array(asked, ',')));
  END IF;
  RETURN keys;
END
$f$;

SET LOCAL ROLE ward_owner;

-- The tenant as the server set it, unverified: only lets a policy use the tenant's index, next to
-- the verified keys (0019).
CREATE OR REPLACE FUNCTION public.ward_scope_tenant_hint() RETURNS uuid
  LANGUAGE sql STABLE
AS $$ SELECT NULLIF(split_part(current_setting('ward.scope', true), E'\n', 2), '')::uuid $$;
