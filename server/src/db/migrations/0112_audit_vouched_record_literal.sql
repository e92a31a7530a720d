-- A read's audit record carried as a record literal instead of JSON (R-AUDIT-2, R-AUTHZ-7, R-OPS-1;
-- issue 31; docs/audit.md "Seventh pass").
--
-- 0105's ward_audit_append_vouched_v3 reads each event's JSON text twice: the cast to json validates it
-- (one full parse) and json_populate_record parses it again into a table of keys before each field's
-- input function runs. The server now sends each event as the text of a ward_audit_record literal,
-- which the record's own input function reads in one pass, field by field in the type's order:
--
--   ("id","tenant_id","occurred_us","actor_kind",…,"metadata")
--
-- every field that is not NULL in double quotes, a double quote or backslash inside it escaped by a
-- backslash (record_in's rules; NULL is nothing between the commas); the arrays policy_ids and reasons
-- as array literals with every element quoted the same way, then quoted as a field. A literal may hold
-- any character of its fields (a newline, a tab), so the batch is not lines of text: it is
--   p_heads   one voucher a line, 'mac expires start length' (hex, digits, spaces: no field of the
--             event), start and length naming the literal's bytes in p_bodies (start 1 for the first);
--   p_bodies  the events' literals as UTF-8, one after the other.
-- (As a text[], the array's own parse of every character cost half of what the literal saved.) The
-- MAC, the rules and the answers are those of 0105 with a new tag, so that no voucher of one format
-- verifies as the other:
--
--   mac = HMAC(key, 'ward-audit-event-v4' \n expires \n the event's literal, byte for byte)
--
-- Start and length need no MAC of their own: they only say which bytes the MAC is checked over, and
-- only a body whose MAC verifies is read as a record, so no input function ever parses bytes the key's
-- holder did not vouch for (two heads naming the same body would insert one event twice, which its
-- primary key refuses). A head of any other shape, a range outside the bodies, a forged or altered
-- body: WD001, and nothing of the batch is inserted.
-- (A vouched body that is not one record of the type, which only the key's holder could make, fails
-- the batch with its input function's error.)
-- ward_audit_append_vouched_v3 (0105) stays for a server of the release before this one, which still
-- calls it during a rolling upgrade; a later migration drops it (as 0107 dropped 0102's).

SET LOCAL ROLE ward_definer;

CREATE FUNCTION ward_audit_append_vouched_v4(p_heads text, p_bodies bytea) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k record;
  heads text[] := pg_catalog.string_to_array(p_heads, E'\n');
  events integer := COALESCE(pg_catalog.array_length(heads, 1), 0);
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
  SELECT (x.r).id, (x.r).tenant_id, TIMESTAMPTZ 'epoch' + (x.r).occurred_us * INTERVAL '1 microsecond', (x.r).actor_kind, (x.r).actor_id,
         (x.r).on_behalf_of, (x.r).session_id, (x.r).device_id, (x.r).source_ip, (x.r).action, (x.r).target_type, (x.r).target_id,
         (x.r).phi_scope, (x.r).decision, COALESCE((x.r).policy_ids, '{}'), COALESCE((x.r).reasons, '{}'), (x.r).purpose,
         (x.r).justification_enc, (x.r).outcome, COALESCE((x.r).metadata, '{}'::jsonb)
    -- Each head names its body's bytes: where it starts (1 for the first) and how long it is, each 1 to 7
    -- digits (else NULL, and so is the body).
    FROM pg_catalog.unnest(heads) AS l(head)
    -- OFFSET 0: each subquery is evaluated once per line (pulled up, its expressions would be copied
    -- into every place that names them).
    CROSS JOIN LATERAL (SELECT a.v, pg_catalog.substr(p_bodies,
                                 CASE WHEN pg_catalog.length(a.v[3]) BETWEEN 1 AND 7 AND pg_catalog.ltrim(a.v[3], '0123456789') = '' THEN a.v[3]::integer END,
                                 CASE WHEN pg_catalog.length(a.v[4]) BETWEEN 1 AND 7 AND pg_catalog.ltrim(a.v[4], '0123456789') = '' THEN a.v[4]::integer END) AS body
                          FROM (SELECT pg_catalog.string_to_array(l.head, ' ') AS v OFFSET 0) AS a OFFSET 0) AS b
    -- Only bytes whose MAC verifies are read as a record (no input function sees anything else).
    CROSS JOIN LATERAL (SELECT pg_catalog.array_length(b.v, 1) = 4
                               AND b.v[1] = pg_catalog.encode(pg_catalog.sha256(k.outer_key || pg_catalog.sha256(k.inner_key || pg_catalog.convert_to(
                                 'ward-audit-event-v4' || E'\n' || b.v[2] || E'\n', 'UTF8') || b.body)), 'hex') AS ok OFFSET 0) AS m
    CROSS JOIN LATERAL (SELECT CASE WHEN m.ok THEN pg_catalog.convert_from(b.body, 'UTF8')::public.ward_audit_record END AS r OFFSET 0) AS x
   -- CASE, not AND: the expiry is cast only once the MAC (over its digits) verifies.
   WHERE CASE WHEN m.ok
              THEN b.v[2]::bigint > now_s AND b.v[2]::bigint <= now_s + 40
               AND (x.r).occurred_us BETWEEN (b.v[2]::bigint - 30) * 1000000 AND b.v[2]::bigint * 1000000
              ELSE false END;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  IF inserted <> events THEN
    RAISE EXCEPTION '% of % audit events carry no valid voucher', events - inserted, events USING ERRCODE = 'WD001';
  END IF;
  RETURN inserted;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_audit_append_vouched_v4(text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_audit_append_vouched_v4(text, bytea) TO ward_app;
