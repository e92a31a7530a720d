-- A read's audit record vouched for by Ward with one MAC a line (R-AUDIT-2, R-AUTHZ-7, R-OPS-1; issue 31;
-- docs/audit.md "Fifth pass").
--
-- 0102's ward_audit_append_vouched computes two HMACs per event: it recomputes the read's scope MAC
-- (0015's message) from the event's tenant and actor with the carried PHI scopes, pid and expiry, then
-- checks the event's MAC over that scope MAC and the event's text. Both are HMACs under the scope key,
-- made by the same holder of the key (the server), which refuses to vouch for an event of another tenant
-- or actor than its transaction's (scope-key.ts vouchAuditEvent). The scope MAC recomputed in the batch
-- proves nothing the event's own MAC does not: who can make one can make the other. So one MAC a line:
--
--   mac = HMAC(key, 'ward-audit-event-v3' \n expires \n the event's JSON text, byte for byte as sent)
--
-- where expires is the read transaction's scope expiry (Unix seconds, its scope's 30-s life). The text
-- holds the event's tenant, actor and every field, so the MAC binds them all. ward_audit_append_vouched_v3
-- inserts an event only when, under the key ward_app cannot read,
--   * its MAC verifies over exactly those bytes (nothing changed since the server vouched for it);
--   * the expiry is in the future by the database clock and at most 40 s away (0066's rule, skew
--     included), and occurred_us lies within the 30 s before it;
-- else nothing of the batch is inserted (WD001). The MAC covers the event's id, the primary key, so a
-- voucher is good for one row (a replay fails on the key, 23505, and fails its batch). The tag differs
-- from every other message MAC'd under the key ('ward-scope-v1', 'ward-scope-v2', 'ward-audit-event-v1',
-- 'ward-audit-event-v2'), so no MAC of one kind verifies as another.
--
-- The text is read as json (validated, then one pass into the record), not jsonb (parsed into a sorted
-- binary form, then read field by field): the batch's backend CPU per event falls by about a tenth.
-- One text argument, one event a line: 'mac expires' TAB the event's JSON (JSON text holds no raw
-- newline or tab). 0102's function stays as it was (a server of the previous release still calls it).

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_audit_append_vouched_v3(p_batch text) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k record;
  lines text[] := pg_catalog.string_to_array(p_batch, E'\n');
  events integer := COALESCE(pg_catalog.array_length(lines, 1), 0);
  inserted integer;
  now_s bigint := pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint;
BEGIN
  IF events NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'an audit batch is 1 to 1000 events' USING ERRCODE = '22023';
  END IF;
  SELECT s.inner_key, s.outer_key INTO k FROM public.ward_scope_keys s WHERE s.id = 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no scope key' USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.audit_events (id, tenant_id, occurred_at, actor_kind, actor_id, on_behalf_of, session_id, device_id, source_ip, action,
                                   target_type, target_id, phi_scope, decision, policy_ids, reasons, purpose, justification_enc, outcome, metadata)
  SELECT r.id, r.tenant_id, TIMESTAMPTZ 'epoch' + r.occurred_us * INTERVAL '1 microsecond', r.actor_kind, r.actor_id, r.on_behalf_of,
         r.session_id, r.device_id, r.source_ip, r.action, r.target_type, r.target_id, r.phi_scope, r.decision,
         COALESCE(r.policy_ids, '{}'), COALESCE(r.reasons, '{}'), r.purpose, r.justification_enc, r.outcome, COALESCE(r.metadata, '{}'::jsonb)
    FROM pg_catalog.unnest(lines) AS l(line)
    -- OFFSET 0: each subquery is evaluated once per line (pulled up, its expressions would be copied
    -- into every place that names them).
    CROSS JOIN LATERAL (SELECT pg_catalog.string_to_array(pg_catalog.split_part(l.line, E'\t', 1), ' ') AS h,
                               pg_catalog.split_part(l.line, E'\t', 2) AS body OFFSET 0) AS v
    CROSS JOIN LATERAL pg_catalog.json_populate_record(NULL::public.ward_audit_record, v.body::json) AS r
   -- CASE, not AND: the expiry is cast only once the MAC (over its digits) verifies. A header of any
   -- other shape, or a field absent (a NULL message), is refused.
   WHERE CASE WHEN pg_catalog.array_length(v.h, 1) = 2
               AND v.h[1] = pg_catalog.encode(pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(
                     'ward-audit-event-v3' || E'\n' || v.h[2] || E'\n' || v.body, 'UTF8'))), 'hex')
              THEN v.h[2]::bigint > now_s AND v.h[2]::bigint <= now_s + 40
               AND r.occurred_us BETWEEN (v.h[2]::bigint - 30) * 1000000 AND v.h[2]::bigint * 1000000
              ELSE false END;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted <> events THEN
    RAISE EXCEPTION '% of % audit events carry no valid voucher', events - inserted, events USING ERRCODE = 'WD001';
  END IF;
  RETURN inserted;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_audit_append_vouched_v3(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_audit_append_vouched_v3(text) TO ward_app;
