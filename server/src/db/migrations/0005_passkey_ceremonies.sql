-- Passkey ceremonies, enrollment approval, session timeouts and per-member device keys
-- (R-AUTHN-1, R-AUTHN-3, R-SESS-1, R-SESS-3, R-SESS-4). Runs as ward_owner.

-- R-AUTHN-1: WebAuthn challenges live server-side, single-use, for at most 5 minutes. A sign-in
-- challenge is issued before any tenant is known, so the table is reached only through the SECURITY
-- DEFINER functions below; ward_app holds no privilege on it, and its tenant policy hides every row.
-- Only a hash of the challenge is stored; each is bound to the device key that asked for it.
CREATE TABLE webauthn_challenges (
  challenge_hash    bytea PRIMARY KEY,
  purpose           text NOT NULL CHECK (purpose IN ('enroll', 'sign_in', 'step_up', 'add_passkey')),
  tenant_id         uuid REFERENCES tenants (id) ON DELETE CASCADE,
  member_id         uuid,
  session_id        uuid,
  device_thumbprint text NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now(),
  expires_at        timestamptz NOT NULL
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);

ALTER TABLE webauthn_challenges ENABLE ROW LEVEL SECURITY;
ALTER TABLE webauthn_challenges FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webauthn_challenges
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

CREATE FUNCTION ward_auth_challenge_issue(p_hash bytea, p_purpose text, p_thumbprint text, p_tenant_id uuid,
                                          p_member_id uuid, p_session_id uuid, p_ttl_seconds integer)
  RETURNS TABLE (challenge_expires_at timestamptz)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM public.webauthn_challenges c WHERE c.expires_at < now();
  INSERT INTO public.webauthn_challenges (challenge_hash, purpose, tenant_id, member_id, session_id, device_thumbprint, expires_at)
  VALUES (p_hash, p_purpose, p_tenant_id, p_member_id, p_session_id, p_thumbprint,
          now() + make_interval(secs => LEAST(GREATEST(p_ttl_seconds, 1), 300)))
  RETURNING expires_at
$$;

-- Consumed before the response is verified: the row is deleted whatever the verification's outcome.
CREATE FUNCTION ward_auth_challenge_consume(p_hash bytea, p_purpose text)
  RETURNS TABLE (tenant_id uuid, member_id uuid, session_id uuid, device_thumbprint text, is_expired boolean)
  LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
  DELETE FROM public.webauthn_challenges c
   WHERE c.challenge_hash = p_hash AND c.purpose = p_purpose
  RETURNING c.tenant_id, c.member_id, c.session_id, c.device_thumbprint, c.expires_at <= now()
$$;

REVOKE ALL ON FUNCTION ward_auth_challenge_issue(bytea, text, text, uuid, uuid, uuid, integer),
  ward_auth_challenge_consume(bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ward_auth_challenge_issue(bytea, text, text, uuid, uuid, uuid, integer),
  ward_auth_challenge_consume(bytea, text) TO ward_app;

-- R-AUTHN-3: the role an invitation grants is held on the token and granted only when the passkey
-- is registered; an Owner or Admin invitation needs a second Owner's or Admin's approval first.
ALTER TABLE enrollment_tokens ADD COLUMN role text
  CHECK (role IN ('Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor'));
ALTER TABLE enrollment_tokens ADD COLUMN requires_approval boolean NOT NULL DEFAULT false;
ALTER TABLE enrollment_tokens ADD COLUMN approved_at timestamptz;

-- R-SESS-1: the idle timeout in force for a session (the tenant's setting at sign-in).
ALTER TABLE sessions ADD COLUMN idle_timeout_seconds integer NOT NULL DEFAULT 900
  CHECK (idle_timeout_seconds BETWEEN 60 AND 86400);

-- R-SESS-4: a device key belongs to one member; two members of a tenant sharing a workstation's
-- browser profile each get their own device row.
ALTER TABLE devices DROP CONSTRAINT devices_tenant_id_thumbprint_key;
ALTER TABLE devices ADD CONSTRAINT devices_member_thumbprint UNIQUE (tenant_id, member_id, thumbprint);
