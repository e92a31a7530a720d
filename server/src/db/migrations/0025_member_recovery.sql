-- R-AUTHN-4, R-AUTHZ-5, R-SESS-4: lost-device recovery with two people and a restricted state.
-- A recovery is opened by an Owner or Admin (how identity was re-verified, a note encrypted under the
-- tenant key), approved by a second Owner or Admin (neither the opener nor the member), which issues
-- a one-time link (15 minutes, its SHA-256 hash only); on the link the member registers a new passkey,
-- the old ones are revoked and the account is `restricted`; the restriction is lifted by a second
-- person once the new passkey was used from a managed device. ward_app may only read recoveries:
-- every write is a SECURITY DEFINER function below that checks the two-person rule in SQL, with the
-- acting member taken from the verified scope (ward_scope_human(), 0017), never from a parameter.
-- Refusals raise the WD class of 0017: WD001 not permitted, WD002 self or opener, WD003 nothing to
-- act on, WD004 the state changed (already approved, used, expired, lifted).

CREATE TABLE member_recoveries (
  id                uuid PRIMARY KEY,
  tenant_id         uuid NOT NULL,
  member_id         uuid NOT NULL,
  state             text NOT NULL DEFAULT 'opened' CHECK (state IN ('opened', 'approved', 'registered', 'lifted')),
  verified_by       text NOT NULL CHECK (verified_by IN ('video-call', 'manager-attestation', 'in-person', 'known-number-callback')),
  note_enc          bytea NOT NULL,
  opened_by         uuid NOT NULL,
  opened_at         timestamptz NOT NULL,
  approved_by       uuid,
  approved_at       timestamptz,
  link_hash         bytea UNIQUE,
  link_expires_at   timestamptz,
  link_used_at      timestamptz,
  credential_row_id uuid,
  registered_at     timestamptz,
  trusted_device_id uuid,
  trusted_at        timestamptz,
  lifted_by         uuid,
  lifted_at         timestamptz,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);
-- One recovery in progress per member.
CREATE UNIQUE INDEX member_recoveries_in_progress ON member_recoveries (member_id) WHERE state <> 'lifted';
CREATE INDEX member_recoveries_tenant ON member_recoveries (tenant_id, opened_at);

ALTER TABLE member_recoveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_recoveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_recoveries
  USING (tenant_id = (SELECT ward_scope_tenant()))
  WITH CHECK (tenant_id = (SELECT ward_scope_tenant()));

GRANT SELECT ON member_recoveries TO ward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON member_recoveries TO ward_definer;
GRANT SELECT ON devices TO ward_definer;
GRANT UPDATE (status) ON members TO ward_definer;
GRANT UPDATE (revoked_at) ON passkey_credentials TO ward_definer;

-- Before any tenant is known: the recovery a link names (whatever its state, so that a used or
-- expired link is refused and audited in its tenant, on the application's clock).
CREATE FUNCTION ward_auth_recovery(p_link_hash bytea)
  RETURNS TABLE (tenant_id uuid, member_id uuid, recovery_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT r.tenant_id, r.member_id, r.id FROM public.member_recoveries r WHERE r.link_hash = p_link_hash
$$;
REVOKE ALL ON FUNCTION ward_auth_recovery(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_recovery(bytea) TO ward_app;

SET LOCAL ROLE ward_definer;

-- Opened by an active Owner or Admin for another member (active or restricted) of the tenant.
CREATE FUNCTION ward_recovery_open(p_id uuid, p_member_id uuid, p_verified_by text, p_note_enc bytea, p_now timestamptz) RETURNS void
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  opener uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  tenant uuid := public.ward_scope_tenant();
BEGIN
  IF opener IS NULL THEN
    RAISE EXCEPTION 'recoveries are opened by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF opener = p_member_id THEN
    RAISE EXCEPTION 'no one opens a recovery of their own account' USING ERRCODE = 'WD002';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.members m WHERE m.id = p_member_id AND m.status IN ('active', 'restricted')) THEN
    RAISE EXCEPTION 'no such member' USING ERRCODE = 'WD003';
  END IF;
  IF EXISTS (SELECT 1 FROM public.member_recoveries r WHERE r.member_id = p_member_id AND r.state <> 'lifted'
              AND NOT (r.state = 'approved' AND r.link_expires_at <= p_now)) THEN
    RAISE EXCEPTION 'a recovery of this member is in progress' USING ERRCODE = 'WD004';
  END IF;
  -- An approved recovery whose link expired unused is over: it makes way for the new one.
  DELETE FROM public.member_recoveries r WHERE r.member_id = p_member_id AND r.state = 'approved' AND r.link_expires_at <= p_now;
  INSERT INTO public.member_recoveries (id, tenant_id, member_id, verified_by, note_enc, opened_by, opened_at)
  VALUES (p_id, tenant, p_member_id, p_verified_by, p_note_enc, opener, p_now);
END
$$;

-- The second person: an active Owner or Admin holding a live passkey, neither the opener nor the
-- member. Stores the link's hash and expiry; returns the member.
CREATE FUNCTION ward_recovery_approve(p_id uuid, p_link_hash bytea, p_link_expires_at timestamptz, p_now timestamptz) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  approver uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  person uuid := public.ward_scope_human();
  r record;
BEGIN
  SELECT x.member_id, x.opened_by, x.state INTO r FROM public.member_recoveries x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such recovery' USING ERRCODE = 'WD003';
  END IF;
  IF person = r.member_id OR person = r.opened_by THEN
    RAISE EXCEPTION 'the member and the opener do not approve a recovery' USING ERRCODE = 'WD002';
  END IF;
  IF approver IS NULL OR NOT EXISTS (SELECT 1 FROM public.passkey_credentials c WHERE c.member_id = approver AND c.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'the approver is an enrolled, active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF r.state <> 'opened' THEN
    RAISE EXCEPTION 'the recovery was already approved' USING ERRCODE = 'WD004';
  END IF;
  IF p_link_expires_at <= p_now OR p_link_expires_at > p_now + interval '15 minutes' THEN
    RAISE EXCEPTION 'a recovery link lives at most 15 minutes' USING ERRCODE = 'WD001';
  END IF;
  UPDATE public.member_recoveries x SET state = 'approved', approved_by = approver, approved_at = p_now,
         link_hash = p_link_hash, link_expires_at = p_link_expires_at
   WHERE x.id = p_id;
  RETURN r.member_id;
END
$$;

-- On the link, in the member's own scope: the link is live and unused; the new passkey (inserted
-- just before) stays, every other passkey of the member is revoked, and the account is restricted.
CREATE FUNCTION ward_recovery_register(p_id uuid, p_credential_row_id uuid, p_now timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_human();
  r record;
  revoked integer;
BEGIN
  SELECT x.member_id, x.state, x.link_expires_at, x.link_used_at INTO r FROM public.member_recoveries x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND OR person IS DISTINCT FROM r.member_id THEN
    RAISE EXCEPTION 'no such recovery' USING ERRCODE = 'WD003';
  END IF;
  IF r.state <> 'approved' OR r.link_used_at IS NOT NULL OR r.link_expires_at <= p_now THEN
    RAISE EXCEPTION 'the recovery link was used or expired' USING ERRCODE = 'WD004';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM public.passkey_credentials c WHERE c.id = p_credential_row_id AND c.member_id = r.member_id AND c.revoked_at IS NULL) THEN
    RAISE EXCEPTION 'no such passkey' USING ERRCODE = 'WD003';
  END IF;
  UPDATE public.passkey_credentials c SET revoked_at = p_now WHERE c.member_id = r.member_id AND c.id <> p_credential_row_id AND c.revoked_at IS NULL;
  GET DIAGNOSTICS revoked = ROW_COUNT;
  UPDATE public.members m SET status = 'restricted' WHERE m.id = r.member_id;
  UPDATE public.member_recoveries x SET state = 'registered', link_used_at = p_now, credential_row_id = p_credential_row_id, registered_at = p_now
   WHERE x.id = p_id;
  RETURN revoked;
END
$$;

-- The member used the recovery's passkey (a sign-in or step-up) from one of their devices whose
-- posture is managed: recorded once, in the member's own scope. True when recorded now.
CREATE FUNCTION ward_recovery_trusted_use(p_credential_row_id uuid, p_device_id uuid, p_now timestamptz) RETURNS boolean
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  person uuid := public.ward_scope_human();
BEGIN
  UPDATE public.member_recoveries x SET trusted_device_id = p_device_id, trusted_at = p_now
   WHERE x.member_id = person AND x.state = 'registered' AND x.credential_row_id = p_credential_row_id AND x.trusted_at IS NULL
     AND EXISTS (SELECT 1 FROM public.devices d WHERE d.id = p_device_id AND d.member_id = person AND d.posture = 'managed');
  RETURN FOUND;
END
$$;

-- The second person lifts the restriction: an active Owner or Admin other than the member, once the
-- new passkey was used from a device that is still managed.
CREATE FUNCTION ward_recovery_lift(p_id uuid, p_now timestamptz) RETURNS uuid
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  lifter uuid := public.ward_scope_member_with_role(ARRAY['Owner', 'Admin']);
  person uuid := public.ward_scope_human();
  r record;
BEGIN
  SELECT x.member_id, x.state, x.trusted_device_id INTO r FROM public.member_recoveries x WHERE x.id = p_id FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no such recovery' USING ERRCODE = 'WD003';
  END IF;
  IF person = r.member_id THEN
    RAISE EXCEPTION 'no one lifts their own restriction' USING ERRCODE = 'WD002';
  END IF;
  IF lifter IS NULL THEN
    RAISE EXCEPTION 'restrictions are lifted by an active Owner or Admin' USING ERRCODE = 'WD001';
  END IF;
  IF r.state <> 'registered' THEN
    RAISE EXCEPTION 'the recovery is not awaiting a lift' USING ERRCODE = 'WD004';
  END IF;
  IF r.trusted_device_id IS NULL OR NOT EXISTS (SELECT 1 FROM public.devices d WHERE d.id = r.trusted_device_id AND d.posture = 'managed') THEN
    RAISE EXCEPTION 'the new passkey was not used from a managed device' USING ERRCODE = 'WD005';
  END IF;
  UPDATE public.members m SET status = 'active' WHERE m.id = r.member_id AND m.status = 'restricted';
  UPDATE public.member_recoveries x SET state = 'lifted', lifted_by = lifter, lifted_at = p_now WHERE x.id = p_id;
  RETURN r.member_id;
END
$$;

SET LOCAL ROLE ward_owner;

REVOKE ALL ON FUNCTION ward_recovery_open(uuid, uuid, text, bytea, timestamptz), ward_recovery_approve(uuid, bytea, timestamptz, timestamptz),
  ward_recovery_register(uuid, uuid, timestamptz), ward_recovery_trusted_use(uuid, uuid, timestamptz), ward_recovery_lift(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_recovery_open(uuid, uuid, text, bytea, timestamptz), ward_recovery_approve(uuid, bytea, timestamptz, timestamptz),
  ward_recovery_register(uuid, uuid, timestamptz), ward_recovery_trusted_use(uuid, uuid, timestamptz), ward_recovery_lift(uuid, timestamptz) TO ward_app;
