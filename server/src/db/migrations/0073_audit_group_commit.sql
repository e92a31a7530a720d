-- Group commit for audited reads (R-AUDIT-2, R-AUDIT-1, R-AUTHZ-7; issue 31; docs/audit.md "The
-- audited read"). A guarded read no longer inserts its event in its own transaction: inside that
-- (scoped) transaction it asks ward_audit_event_issue for a MAC over the event, commits without a
-- WAL flush of its own, and hands the event and its MAC to the process's audit writer
-- (modules/audit/writer.ts), which inserts the events of concurrent reads in one statement and one
-- commit through ward_audit_append_batch. Each response leaves only after that commit.
--
-- The writer's connection holds no scope (its batch spans tenants and actors), so the batch is
-- inserted by a definer function, which must not take ward_app's word for anything: it inserts an
-- event only when its MAC verifies. The MAC is HMAC-SHA-256, under the scope key (0015; ward_app
-- cannot read it), over
--   'ward-audit-event-v1' \n issuer backend pid \n expiry \n the event's fields (a JSON array, in a fixed order)
-- and only ward_audit_event_issue makes one: in a transaction whose scope MAC verifies (0066's
-- ward_scope_verified, which binds the scope to its connection's backend pid), for an event in
-- that verified tenant under that verified actor (the same rule as the audit insert policy,
-- tenant_append, 0019), stamped with the database clock (ward_app never chose occurred_at, 0007), and
-- valid for 30 s. So a leaked ward_app password inserts no record for a scope no request held, and
-- no record other than the one the scoped transaction vouched for. One event per MAC: the MAC covers
-- the event's id, the primary key, so a replayed MAC is refused by the key (23505), and fails its
-- whole batch.
--
-- Both functions are PL/pgSQL (planned once per connection; a LANGUAGE sql definer with SET is
-- planned again on every call before PostgreSQL 18, see 0047).

-- The fields of an event as the MAC covers them and the batch inserts them. occurred_us: the
-- database clock at issue, in microseconds since the epoch (a number: no DateStyle or TimeZone in the MAC).
CREATE TYPE ward_audit_record AS (
  id uuid, tenant_id uuid, occurred_us bigint, actor_kind text, actor_id text, on_behalf_of text, session_id uuid,
  device_id uuid, source_ip inet, action text, target_type text, target_id text, phi_scope text, decision text,
  policy_ids text[], reasons text[], purpose text, justification_enc bytea, outcome text, metadata jsonb);

GRANT INSERT ON audit_events TO ward_definer;
GRANT USAGE ON TYPE ward_audit_record TO ward_definer;

-- R-AUDIT-2: ward_definer inserts events only through ward_audit_append_batch, which verifies each
-- event's MAC before the statement that inserts it (no other definer function writes audit_events).
CREATE POLICY definer_batch_append ON audit_events FOR INSERT TO ward_definer WITH CHECK (true);

SET LOCAL ROLE ward_definer;

-- The MAC of one event as issued to backend `issuer_pid`, valid until `expires` (Unix seconds). Not a
-- definer function itself: only ward_definer may execute it, from the two functions below. bytea is
-- hex-encoded and the key material is passed in, so no setting (bytea_output) changes the message.
CREATE FUNCTION ward_audit_record_mac(r ward_audit_record, issuer_pid integer, expires bigint, inner_key bytea, outer_key bytea) RETURNS text
  LANGUAGE sql STABLE
AS $$
  SELECT pg_catalog.encode(pg_catalog.sha256(outer_key || pg_catalog.sha256(inner_key || pg_catalog.convert_to(pg_catalog.concat_ws(E'\n',
    'ward-audit-event-v1', issuer_pid::text, expires::text,
    pg_catalog.jsonb_build_array(r.id, r.tenant_id, r.occurred_us, r.actor_kind, r.actor_id, r.on_behalf_of, r.session_id, r.device_id,
      r.source_ip::text, r.action, r.target_type, r.target_id, r.phi_scope, r.decision, r.policy_ids, r.reasons, r.purpose,
      pg_catalog.encode(r.justification_enc, 'hex'), r.outcome, r.metadata)::text), 'UTF8'))), 'hex')
$$;
REVOKE ALL ON FUNCTION ward_audit_record_mac(ward_audit_record, integer, bigint, bytea, bytea) FROM PUBLIC;

-- Called in the read's scoped transaction: the MAC for `p_event` (ward_audit_record's fields as JSON,
-- occurred_us ignored), with the occurred_us it covers. WD001 unless the scope verifies and the event
-- is in its tenant under its actor.
CREATE FUNCTION ward_audit_event_issue(p_event jsonb)
  RETURNS TABLE (occurred_us bigint, issuer_pid integer, expires bigint, mac text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r public.ward_audit_record;
  v record;
  k record;
BEGIN
  SELECT s.tenant, s.tenant_actor INTO v FROM public.ward_scope_verified s;
  r := pg_catalog.jsonb_populate_record(NULL::public.ward_audit_record, p_event);
  IF v.tenant IS NULL OR r.id IS NULL OR r.tenant_id IS DISTINCT FROM v.tenant
     OR (r.tenant_id::text || '/' || r.actor_kind || ':' || r.actor_id) IS DISTINCT FROM v.tenant_actor THEN
    RAISE EXCEPTION 'the audit event is not within the verified scope' USING ERRCODE = 'WD001';
  END IF;
  SELECT s.inner_key, s.outer_key INTO k FROM public.ward_scope_keys s WHERE s.id = 1;
  r.occurred_us := pg_catalog.floor(extract(epoch FROM pg_catalog.clock_timestamp()) * 1000000)::bigint;
  occurred_us := r.occurred_us;
  issuer_pid := pg_catalog.pg_backend_pid();
  expires := pg_catalog.floor(extract(epoch FROM pg_catalog.now()))::bigint + 30;
  mac := public.ward_audit_record_mac(r, issuer_pid, expires, k.inner_key, k.outer_key);
  RETURN NEXT;
END
$$;

-- The writer's one statement: inserts every event of `p_events` (a JSON array of ward_audit_record's
-- fields plus issuer_pid, expires and mac, at most 1,000) or none. WD001 when any MAC does not verify
-- or has expired; 23505 when an event (its MAC) was inserted before.
CREATE FUNCTION ward_audit_append_batch(p_events jsonb) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k record;
  refused integer;
  inserted integer;
BEGIN
  IF pg_catalog.jsonb_typeof(p_events) IS DISTINCT FROM 'array' OR pg_catalog.jsonb_array_length(p_events) NOT BETWEEN 1 AND 1000 THEN
    RAISE EXCEPTION 'an audit batch is an array of 1 to 1000 events' USING ERRCODE = '22023';
  END IF;
  SELECT s.inner_key, s.outer_key INTO k FROM public.ward_scope_keys s WHERE s.id = 1;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no scope key' USING ERRCODE = 'WD001';
  END IF;
  SELECT pg_catalog.count(*) INTO refused
    FROM pg_catalog.jsonb_array_elements(p_events) AS e(v)
   WHERE e.v->>'mac' IS DISTINCT FROM public.ward_audit_record_mac(pg_catalog.jsonb_populate_record(NULL::public.ward_audit_record, e.v),
                                                                 (e.v->>'issuer_pid')::integer, (e.v->>'expires')::bigint, k.inner_key, k.outer_key)
      OR (e.v->>'expires')::bigint <= extract(epoch FROM pg_catalog.now())
      OR (e.v->>'expires')::bigint > extract(epoch FROM pg_catalog.now()) + 30;
  IF refused > 0 THEN
    RAISE EXCEPTION '% of % audit events carry no valid MAC', refused, pg_catalog.jsonb_array_length(p_events) USING ERRCODE = 'WD001';
  END IF;
  INSERT INTO public.audit_events (id, tenant_id, occurred_at, actor_kind, actor_id, on_behalf_of, session_id, device_id, source_ip, action,
                                   target_type, target_id, phi_scope, decision, policy_ids, reasons, purpose, justification_enc, outcome, metadata)
  SELECT r.id, r.tenant_id, TIMESTAMPTZ 'epoch' + r.occurred_us * INTERVAL '1 microsecond', r.actor_kind, r.actor_id, r.on_behalf_of,
         r.session_id, r.device_id, r.source_ip, r.action, r.target_type, r.target_id, r.phi_scope, r.decision,
         COALESCE(r.policy_ids, '{}'), COALESCE(r.reasons, '{}'), r.purpose, r.justification_enc, r.outcome, COALESCE(r.metadata, '{}'::jsonb)
    FROM pg_catalog.jsonb_array_elements(p_events) AS e(v), pg_catalog.jsonb_populate_record(NULL::public.ward_audit_record, e.v) AS r;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  RETURN inserted;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_audit_event_issue(jsonb), ward_audit_append_batch(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_audit_event_issue(jsonb), ward_audit_append_batch(jsonb) TO ward_app;
