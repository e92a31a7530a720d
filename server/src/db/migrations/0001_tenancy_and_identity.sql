-- Tenants, workforce members, their role and PHI-scope grants, devices, passkeys, enrollment
-- tokens and sessions (R-AUTHN-1, R-AUTHN-3, R-AUTHZ-2, R-SESS-1, R-SESS-4, R-AUTHZ-7).
-- Runs as ward_owner. Every tenant table: tenant_id, ENABLE + FORCE ROW LEVEL SECURITY, one policy
-- on the transaction-local setting ward.tenant_id; an unset setting reads as no rows.

CREATE TABLE tenants (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug              text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  default_phi_scope text NOT NULL DEFAULT 'SUD-Part2'
                    CHECK (default_phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  settings          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  email          text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  display_name   text NOT NULL,
  status         text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'restricted', 'disabled')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_active_at timestamptz,
  disabled_at    timestamptz,
  UNIQUE (tenant_id, email),
  UNIQUE (tenant_id, id)
);

CREATE TABLE member_roles (
  tenant_id  uuid NOT NULL,
  member_id  uuid NOT NULL,
  role       text NOT NULL CHECK (role IN ('Owner', 'Admin', 'Manager', 'Agent', 'Viewer', 'Auditor')),
  granted_by uuid,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, role),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE member_phi_scopes (
  tenant_id  uuid NOT NULL,
  member_id  uuid NOT NULL,
  phi_scope  text NOT NULL CHECK (phi_scope IN ('Healthcare-PHI', 'BehavioralHealth-PHI', 'SUD-Part2', 'Dental')),
  granted_by uuid,
  granted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (member_id, phi_scope),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE devices (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id          uuid NOT NULL,
  member_id          uuid NOT NULL,
  thumbprint         text NOT NULL,
  public_jwk         jsonb,
  posture            text NOT NULL DEFAULT 'unknown' CHECK (posture IN ('managed', 'unmanaged', 'unknown')),
  posture_source     text,
  posture_updated_at timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz,
  UNIQUE (tenant_id, thumbprint),
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE passkey_credentials (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id       uuid NOT NULL,
  member_id       uuid NOT NULL,
  credential_id   text NOT NULL UNIQUE,
  public_key      bytea NOT NULL,
  sign_count      bigint NOT NULL DEFAULT 0,
  transports      text[] NOT NULL DEFAULT '{}',
  backup_eligible boolean NOT NULL DEFAULT false,
  backup_state    boolean NOT NULL DEFAULT false,
  name            text,
  possibly_cloned boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_used_at    timestamptz,
  revoked_at      timestamptz,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE enrollment_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL,
  member_id   uuid NOT NULL,
  token_hash  bytea NOT NULL UNIQUE,
  purpose     text NOT NULL DEFAULT 'enroll' CHECK (purpose IN ('enroll', 'recovery')),
  created_by  uuid,
  approved_by uuid,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  consumed_at timestamptz,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE sessions (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL,
  member_id        uuid NOT NULL,
  token_hash       bytea NOT NULL UNIQUE,
  device_id        uuid,
  auth_method      text NOT NULL CHECK (auth_method IN ('passkey', 'oidc')),
  amr              text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  last_verified_at timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  revoked_at       timestamptz,
  FOREIGN KEY (tenant_id, member_id) REFERENCES members (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, device_id) REFERENCES devices (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX sessions_member ON sessions (tenant_id, member_id) WHERE revoked_at IS NULL;

ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE members ENABLE ROW LEVEL SECURITY;
ALTER TABLE members FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON members
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE member_roles ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_roles FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_roles
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE member_phi_scopes ENABLE ROW LEVEL SECURITY;
ALTER TABLE member_phi_scopes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON member_phi_scopes
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE devices ENABLE ROW LEVEL SECURITY;
ALTER TABLE devices FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON devices
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE passkey_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE passkey_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON passkey_credentials
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE enrollment_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE enrollment_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON enrollment_tokens
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
  USING (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = NULLIF(current_setting('ward.tenant_id', true), '')::uuid);

GRANT SELECT ON tenants TO ward_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON members, member_roles, member_phi_scopes, devices,
  passkey_credentials, enrollment_tokens, sessions TO ward_app;
