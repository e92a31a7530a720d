-- Ward's database roles (R-AUTHZ-7), run before the numbered migrations, every time; idempotent.
-- ward_owner owns every table and function and cannot log in. ward_app is what the server logs in
-- as: not a superuser, owns nothing, no BYPASSRLS, no CREATE anywhere, not a member of ward_owner.
-- ward_owner has BYPASSRLS only so that the SECURITY DEFINER lookups it owns (0005) can find a
-- session or credential before any tenant is known; it cannot log in.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ward_owner') THEN
    CREATE ROLE ward_owner NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ward_app') THEN
    CREATE ROLE ward_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
  END IF;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO ward_owner;
REVOKE CREATE ON SCHEMA public FROM ward_app;
GRANT USAGE ON SCHEMA public TO ward_app;

SET LOCAL ROLE ward_owner;
CREATE TABLE IF NOT EXISTS ward_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
RESET ROLE;
