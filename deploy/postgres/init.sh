#!/bin/sh
# Creates Aggios' database roles and database. The postgres image runs this
# once, as the superuser, on an empty data directory only (files in
# /docker-entrypoint-initdb.d are skipped when the volume already holds a
# cluster), so it does not need to be idempotent.
#
#   aggios_owner   owns the database and schema; used by `migrate` only.
#                  BYPASSRLS so migrations can backfill across tenants.
#   aggios_app     what the web process connects as: not superuser, not owner,
#                  NOBYPASSRLS — Row Level Security applies to every query it
#                  runs (the app refuses to start otherwise).
#   aggios_backup  read-only for pg_dump: pg_read_all_data plus BYPASSRLS,
#                  because pg_dump fails rather than silently dump only the
#                  rows a policy lets it see.
# Table-level grants are made by the migrations, which own the schema.
set -eu

# Passwords end up inside connection URLs (postgres://user:PASSWORD@host/db)
# that compose assembles without percent-encoding, so only URL-unreserved
# characters are accepted. `openssl rand -hex 32` produces such a value.
check_password() {
  name="$1"
  value="$2"
  if [ "${#value}" -lt 16 ]; then
    echo "aggios init: $name must be at least 16 characters" >&2
    exit 1
  fi
  case "$value" in
    *[!A-Za-z0-9._~-]*)
      echo "aggios init: $name may only contain A-Z a-z 0-9 . _ ~ - (try: openssl rand -hex 32)" >&2
      exit 1
      ;;
  esac
}
check_password POSTGRES_OWNER_PASSWORD "${POSTGRES_OWNER_PASSWORD:?POSTGRES_OWNER_PASSWORD is required}"
check_password POSTGRES_APP_PASSWORD "${POSTGRES_APP_PASSWORD:?POSTGRES_APP_PASSWORD is required}"
check_password POSTGRES_BACKUP_PASSWORD "${POSTGRES_BACKUP_PASSWORD:?POSTGRES_BACKUP_PASSWORD is required}"

# Passwords travel as psql variables (:'name' quotes them as literals), never
# spliced into the SQL text.
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v owner_password="$POSTGRES_OWNER_PASSWORD" \
  -v app_password="$POSTGRES_APP_PASSWORD" \
  -v backup_password="$POSTGRES_BACKUP_PASSWORD" <<'SQL'
CREATE ROLE aggios_owner LOGIN PASSWORD :'owner_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS;
CREATE ROLE aggios_app LOGIN PASSWORD :'app_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
CREATE ROLE aggios_backup LOGIN PASSWORD :'backup_password'
  NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS;
GRANT pg_read_all_data TO aggios_backup;

CREATE DATABASE aggios OWNER aggios_owner;
-- Only our roles may connect; PUBLIC gets CONNECT and TEMP by default.
REVOKE ALL ON DATABASE aggios FROM PUBLIC;
GRANT CONNECT ON DATABASE aggios TO aggios_app, aggios_backup;

\connect aggios
-- The owner role owns the schema so migrations never need the superuser.
ALTER SCHEMA public OWNER TO aggios_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO aggios_app, aggios_backup;
SQL
