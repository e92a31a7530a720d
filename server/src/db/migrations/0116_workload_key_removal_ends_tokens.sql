-- A client key removed from a workload ends the access tokens issued before its removal (R-WORK-2).
-- Until now a token lived out its lifetime (10 minutes, up to 24 hours with --max-token-lifetime)
-- whatever became of the key whose assertion obtained it: the per-request state read the workload's
-- status and the token's own revocation only. So an Owner who revoked a leaked key from the console
-- (or replaced the set, or `ward workload rotate-keys`) left the thief's token working.
--
-- `keys_removed_at` is set whenever a key leaves the set, by a trigger on the one column every writer
-- changes (ward_workload_set_keys 0057, the key approval 0096, the operator's rotate-keys): the time
-- the writer gives (`keys_rotated_at`, the server's clock, which signs `iat`), else now(). A key kept
-- or added leaves it alone (rotation with overlap keeps the tokens of the old key until it is revoked).
-- The token link refuses a token whose `iat` is not after it (TOKEN_REVOKED, audited
-- `client_key_removed`); a token obtained in the same second as the removal is refused too (fail
-- closed: `iat` has whole seconds), and the workload gets another with a key it still holds.

ALTER TABLE workloads ADD COLUMN keys_removed_at timestamptz;

CREATE FUNCTION ward_workload_keys_removed() RETURNS trigger
  LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(OLD.jwks -> 'keys', '[]'::jsonb)) o
              WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(NEW.jwks -> 'keys', '[]'::jsonb)) n WHERE n.value = o.value)) THEN
    NEW.keys_removed_at := CASE WHEN NEW.keys_rotated_at IS DISTINCT FROM OLD.keys_rotated_at THEN NEW.keys_rotated_at ELSE now() END;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER workloads_keys_removed BEFORE UPDATE OF jwks ON workloads
  FOR EACH ROW EXECUTE FUNCTION ward_workload_keys_removed();

-- The token link's state (0032, 0047) also says when a key last left the set.
DROP FUNCTION ward_auth_workload_state(text, uuid, text);
CREATE FUNCTION ward_auth_workload_state(p_client_id text, p_tenant_id uuid, p_jti text)
  RETURNS TABLE (id uuid, kind text, role text, status text, scopes text[], is_revoked boolean, keys_removed_at timestamptz)
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
BEGIN
  RETURN QUERY
  SELECT w.id, w.kind, w.role, w.status,
         ARRAY(SELECT s.phi_scope FROM public.workload_phi_scopes s WHERE s.workload_id = w.id AND s.tenant_id = w.tenant_id ORDER BY s.phi_scope),
         EXISTS (SELECT 1 FROM public.workload_token_revocations r WHERE r.jti = p_jti AND r.tenant_id = w.tenant_id),
         w.keys_removed_at
    FROM public.workloads w
   WHERE w.client_id = p_client_id AND w.tenant_id = p_tenant_id;
END
$$;
REVOKE ALL ON FUNCTION ward_auth_workload_state(text, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_workload_state(text, uuid, text) TO ward_app;
