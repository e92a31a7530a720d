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
  -- R-AUTHZ-7: ward_definer owns the SECURITY DEFINER functions that verify the scope's MAC and
  -- make grants and approvals (0015, 0017). Without BYPASSRLS, row-level security still confines those
  -- functions to the verified tenant. ward_owner belongs to it only to create its functions.
  -- Roles are cluster-wide: migrations of two databases may race to create it.
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ward_definer') THEN
    BEGIN
      CREATE ROLE ward_definer NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT pg_has_role('ward_owner', 'ward_definer', 'MEMBER') THEN
    BEGIN
      GRANT ward_definer TO ward_owner;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO ward_owner;
REVOKE CREATE ON SCHEMA public FROM ward_app;
GRANT USAGE ON SCHEMA public TO ward_app;
GRANT USAGE, CREATE ON SCHEMA public TO ward_definer;

SET LOCAL ROLE ward_owner;
CREATE TABLE IF NOT EXISTS ward_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  checksum   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
RESET ROLE;
