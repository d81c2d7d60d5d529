#!/usr/bin/env bash
# Start the machine's PostgreSQL (installing it from Debian's packages if missing),
# create a test role and database, and print the DATABASE_URL for them.
# Needs root, or sudo, as on CI and the development machines.
set -euo pipefail

ROLE=caseaudit
PASSWORD=caseaudit-test-only
DATABASE=${1:-caseaudit_test}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  echo "Installing PostgreSQL from Debian's packages..." >&2
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi

read -r version cluster _ < <(pg_lsclusters -h | head -n 1)
if ! pg_lsclusters -h | head -n 1 | grep -q online; then
  as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"$1\""; }
for _ in $(seq 1 20); do psql_admin "SELECT 1" >/dev/null 2>&1 && break; sleep 0.5; done

if [ "$(psql_admin "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != "1" ]; then
  psql_admin "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'" >&2
fi
# The tests copy a migrated template database for each test, so the role creates databases.
psql_admin "ALTER ROLE $ROLE CREATEDB" >&2
psql_admin "DROP DATABASE IF EXISTS $DATABASE" >&2
psql_admin "CREATE DATABASE $DATABASE OWNER $ROLE" >&2

echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:5432/$DATABASE"
