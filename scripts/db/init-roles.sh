#!/usr/bin/env bash
# PostgreSQL's first start (docker-entrypoint-initdb.d): the two roles of Профрост and its
# database. The migration role owns every table; the application role owns nothing and gets its
# rights from `manage.py db_grants` (workflows/core/db_roles.py): on the audit trail only SELECT
# and INSERT, so the application cannot erase it.
set -euo pipefail
: "${POSTGRES_MIGRATE_PASSWORD:?set POSTGRES_MIGRATE_PASSWORD}"
: "${POSTGRES_APP_PASSWORD:?set POSTGRES_APP_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v migrate_password="$POSTGRES_MIGRATE_PASSWORD" -v app_password="$POSTGRES_APP_PASSWORD" <<'SQL'
CREATE ROLE profrost_migrate LOGIN PASSWORD :'migrate_password';
CREATE ROLE profrost_app LOGIN PASSWORD :'app_password';
CREATE DATABASE profrost OWNER profrost_migrate;
REVOKE ALL ON DATABASE profrost FROM PUBLIC;
GRANT CONNECT ON DATABASE profrost TO profrost_app;
SQL
