-- A read's audit MAC in one statement (R-AUDIT-2, R-OPS-1; issue 31; docs/audit.md "The audited
-- read"). 0073's ward_audit_event_issue ran two queries (the verified scope, then the scope key, each
-- through its own executor start and index scan of ward_scope_keys), then the MAC through the SQL
-- function ward_audit_record_mac, and returned a set (a tuplestore per call). Profiled on
-- PostgreSQL 15 under concurrent grouped reads, that function was about a quarter of the database's
-- CPU per audited read, more than the batch that inserts the event.
--
-- ward_audit_event_mac gives the same MAC under the same rules: an event only within the verified
-- scope (ward_scope_verified, 0066: its scope MAC verifies on this connection, within its 30 s), in
-- that tenant under that actor, stamped with the database clock, bound to this backend's pid and a
-- 30-s expiry, over the message of ward_audit_record_mac (0073), byte for byte, which 0093's batch
-- checks. The scope and the key are read by one query that also computes the MAC; the result is one
-- text value, 'occurred_us issuer_pid expires mac' (three integers and 64 hex digits, space-separated).
-- ward_audit_event_issue (0073) now answers through it, so both give the same MAC under the same checks.

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_audit_event_mac(p_event jsonb) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r public.ward_audit_record;
  v record;
BEGIN
  r := pg_catalog.jsonb_populate_record(NULL::public.ward_audit_record, p_event);
  r.occurred_us := pg_catalog.floor(extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint;
  SELECT s.tenant, s.tenant_actor, m.pid, m.expires,
         pg_catalog.encode(pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(pg_catalog.concat_ws(E'\n',
           'ward-audit-event-v1', m.pid::text, m.expires::text,
           pg_catalog.jsonb_build_array(r.id, r.tenant_id, r.occurred_us, r.actor_kind, r.actor_id, r.on_behalf_of, r.session_id, r.device_id,
             r.source_ip::text, r.action, r.target_type, r.target_id, r.phi_scope, r.decision, r.policy_ids, r.reasons, r.purpose,
             pg_catalog.encode(r.justification_enc, 'hex'), r.outcome, r.metadata)::text), 'UTF8'))), 'hex') AS mac
    INTO v
    FROM public.ward_scope_verified s, public.ward_scope_keys k,
         (SELECT pg_catalog.pg_backend_pid() AS pid, pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint + 30 AS expires) m
   WHERE k.id = 1;
  -- No MAC leaves unless the event is within the verified scope (0073's rule, unchanged); without a
  -- scope key there is no row, and v.tenant is NULL.
  IF v.tenant IS NULL OR r.id IS NULL OR r.tenant_id IS DISTINCT FROM v.tenant
     OR (r.tenant_id::text || '/' || r.actor_kind || ':' || r.actor_id) IS DISTINCT FROM v.tenant_actor THEN
    RAISE EXCEPTION 'the audit event is not within the verified scope' USING ERRCODE = 'WD001';
  END IF;
  RETURN r.occurred_us::text || ' ' || v.pid::text || ' ' || v.expires::text || ' ' || v.mac;
END
$$;

CREATE OR REPLACE FUNCTION ward_audit_event_issue(p_event jsonb)
  RETURNS TABLE (occurred_us bigint, issuer_pid integer, expires bigint, mac text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  m text[] := pg_catalog.string_to_array(public.ward_audit_event_mac(p_event), ' ');
BEGIN
  occurred_us := m[1]::bigint;
  issuer_pid := m[2]::integer;
  expires := m[3]::bigint;
  mac := m[4];
  RETURN NEXT;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_audit_event_mac(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_audit_event_mac(jsonb) TO ward_app;
