-- The audit writer's batch in one pass (R-AUDIT-2, R-OPS-1; issue 31; docs/audit.md "The audited
-- read"). 0073's ward_audit_append_batch checked every event's MAC by calling ward_audit_record_mac
-- once per event: a SQL function whose record argument is used twenty times is not inlined, so each
-- call went through the SQL-function executor, and each event was read from JSON twice (once to
-- check, once to insert). Measured on PostgreSQL 15, checking 32 events cost ~4 ms of a ~9 ms batch.
--
-- Here each event is read from JSON once, and its MAC is computed in the INSERT's own expression,
-- byte for byte the message of ward_audit_record_mac (0073; ward_audit_event_issue still uses that
-- function, so both sides must keep the same message). The checks are the same: an event is inserted
-- only when its MAC verifies over every field, its issuer pid and its expiry under the scope key, and
-- its expiry is in the future and at most 30 s away; when any event of the batch is not inserted the
-- function raises WD001 and the whole statement (every event of the batch) is rolled back. An event
-- whose mac, issuer_pid or expires is missing is refused (0073 compared through IS DISTINCT FROM, and
-- nothing issued ever lacks them). A replayed event still fails on the primary key (23505).

SET LOCAL ROLE ward_definer;

CREATE OR REPLACE FUNCTION ward_audit_append_batch(p_events jsonb) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k record;
  events integer;
  inserted integer;
  now_s numeric := extract(epoch FROM pg_catalog.now());
BEGIN
  IF pg_catalog.jsonb_typeof(p_events) IS DISTINCT FROM 'array' OR pg_catalog.jsonb_array_length(p_events) NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'an audit batch is an array of 1 to 1000 events' USING ERRCODE = '22023';
  END IF;
  events := pg_catalog.jsonb_array_length(p_events);
  SELECT s.inner_key, s.outer_key INTO k FROM public.ward_scope_keys s WHERE s.id = 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no scope key' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.audit_events (id, tenant_id, occurred_at, actor_kind, actor_id, on_behalf_of, session_id, device_id, source_ip, action,
                                   target_type, target_id, phi_scope, decision, policy_ids, reasons, purpose, justification_enc, outcome, metadata)
  SELECT r.id, r.tenant_id, TIMESTAMPTZ 'epoch' + r.occurred_us * INTERVAL '1 microsecond', r.actor_kind, r.actor_id, r.on_behalf_of,
         r.session_id, r.device_id, r.source_ip, r.action, r.target_type, r.target_id, r.phi_scope, r.decision,
         COALESCE(r.policy_ids, '{}'), COALESCE(r.reasons, '{}'), r.purpose, r.justification_enc, r.outcome, COALESCE(r.metadata, '{}'::jsonb)
    FROM pg_catalog.jsonb_array_elements(p_events) AS e(v)
    CROSS JOIN LATERAL pg_catalog.jsonb_populate_record(NULL::public.ward_audit_record, e.v) AS r
    CROSS JOIN LATERAL (SELECT (e.v->>'issuer_pid')::integer AS issuer_pid, (e.v->>'expires')::bigint AS expires) AS m
   WHERE m.issuer_pid IS NOT NULL
     AND m.expires > now_s AND m.expires <= now_s + 30
     AND e.v->>'mac' = pg_catalog.encode(pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(pg_catalog.concat_ws(E'\n',
           'ward-audit-event-v1', m.issuer_pid::text, m.expires::text,
           pg_catalog.jsonb_build_array(r.id, r.tenant_id, r.occurred_us, r.actor_kind, r.actor_id, r.on_behalf_of, r.session_id, r.device_id,
             r.source_ip::text, r.action, r.target_type, r.target_id, r.phi_scope, r.decision, r.policy_ids, r.reasons, r.purpose,
             pg_catalog.encode(r.justification_enc, 'hex'), r.outcome, r.metadata)::text), 'UTF8'))), 'hex');
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted <> events THEN
    RAISE EXCEPTION '% of % audit events carry no valid MAC', events - inserted, events USING ERRCODE = 'WD001';
  END IF;
  RETURN inserted;
END
$$;

SET LOCAL ROLE ward_owner;
