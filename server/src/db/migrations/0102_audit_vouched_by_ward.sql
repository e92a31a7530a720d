-- A read's audit record vouched for by Ward with the scope key, no statement in the read's transaction
-- (R-AUDIT-2, R-AUTHZ-7, R-OPS-1; issue 31; docs/audit.md "Fourth pass", docs/threat-model.md).
--
-- Until now (0073, 0098) a grouped read asked the database for its event's MAC inside its scoped
-- transaction: one statement per read (the verified scope through the security-barrier view, the key,
-- the event serialised by jsonb_build_array and two SHA-256), measured at about 155 us of PostgreSQL
-- CPU and 90 us of Node per read at c32, a third of an audited read's cost. The key is the scope key,
-- which the server already holds: every scope MAC the database verifies is made by the server with it
-- (scope-key.ts). So the server makes the event's MAC itself, bound to the scope its read ran under:
--
--   scope_mac = the read transaction's own scope MAC (0015, 0066):
--               HMAC(key, 'ward-scope-v1' \n tenant \n phi_scopes \n actor_id \n actor_kind \n backend pid \n expires)
--   mac       = HMAC(key, 'ward-audit-event-v2' \n scope_mac \n the event's JSON text, byte for byte as sent)
--
-- and ward_audit_append_vouched inserts an event only when, with the key ward_app cannot read,
--   * the scope MAC recomputed from the event's own tenant, actor kind and actor id with the carried
--     phi_scopes, pid and expiry is the carried one: the event is in the tenant and under the actor of
--     a scope the key's holder made (0073's rule, "within the verified scope");
--   * the event's MAC over that scope MAC and the exact bytes of its text verifies: nothing of it was
--     changed since (no canonical form to agree on: the bytes are what is MAC'd);
--   * the scope has not expired and expires within 40 s (the scope's own rule, 0066, skew included),
--     and occurred_us lies within the scope's 30-s life;
-- else nothing of the batch is inserted (WD001). The MAC covers the event's id, the primary key, so a
-- voucher is good for one row (a replay fails on the key, 23505, and fails its batch).
--
-- Who can make a voucher: only a holder of the scope key, the one who can already make any scope.
-- ward_app (a leaked password, an injected statement) cannot: no function returns one. The database
-- no longer sees the event inside the read's transaction, nor stamps occurred_at with its own clock;
-- the server's clock stamps it, bounded by the scope's life. 0073/0098's functions stay as they are.
--
-- One text argument, one event per line: 'mac scope_mac pid expires phi_scopes' TAB the event's JSON
-- (JSON text holds no raw newline or tab), split here with string_to_array and split_part: cheaper to
-- build and to read than a jsonb array of objects or a text[] literal of quoted JSON.

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_audit_append_vouched(p_batch text) RETURNS integer
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
    -- OFFSET 0: each subquery is evaluated once per line; pulled up into the query, its expressions
    -- would be copied into every place that names them (the JSON parsed four times).
    CROSS JOIN LATERAL (SELECT pg_catalog.string_to_array(pg_catalog.split_part(l.line, E'\t', 1), ' ') AS h,
                               pg_catalog.split_part(l.line, E'\t', 2) AS body OFFSET 0) AS v
    CROSS JOIN LATERAL (SELECT v.body::jsonb AS j OFFSET 0) AS p
    CROSS JOIN LATERAL pg_catalog.jsonb_populate_record(NULL::public.ward_audit_record, p.j) AS r
   -- CASE, not AND: the numbers are cast only once both MACs (over their digits) verify. || rather than
   -- concat_ws: a field that is absent makes the message NULL (refused), never a message one line short.
   WHERE CASE WHEN pg_catalog.array_length(v.h, 1) = 5
               AND v.h[2] = pg_catalog.encode(pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(
                     'ward-scope-v1' || E'\n' || (p.j->>'tenant_id') || E'\n' || v.h[5] || E'\n' || (p.j->>'actor_id') || E'\n' || (p.j->>'actor_kind')
                     || E'\n' || v.h[3] || E'\n' || v.h[4], 'UTF8'))), 'hex')
               AND v.h[1] = pg_catalog.encode(pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(
                     'ward-audit-event-v2' || E'\n' || v.h[2] || E'\n' || v.body, 'UTF8'))), 'hex')
              THEN v.h[4]::bigint > now_s AND v.h[4]::bigint <= now_s + 40
               AND r.occurred_us BETWEEN (v.h[4]::bigint - 30) * 1000000 AND v.h[4]::bigint * 1000000
              ELSE false END;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted <> events THEN
    RAISE EXCEPTION '% of % audit events carry no valid voucher', events - inserted, events USING ERRCODE = 'WD001';
  END IF;
  RETURN inserted;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_audit_append_vouched(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_audit_append_vouched(text) TO ward_app;
