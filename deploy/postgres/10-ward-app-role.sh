#!/bin/sh
# First start of the compose PostgreSQL: the role Ward serves as, with a password (scram-sha-256),
# and exactly the attributes Ward's start checks (server/src/db/bootstrap.sql, role-check.ts): it
# logs in and nothing else. Ward's migration creates the other roles and grants.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" -v pw="$WARD_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE ward_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT PASSWORD :'pw';
SQL
