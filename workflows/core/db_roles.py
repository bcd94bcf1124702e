"""Two database roles in production, so that the application cannot erase its own audit trail.

- The **migration role** (DATABASE_URL of the `migrate` service, DATABASE_MIGRATE_URL in the
  environment) owns every table: it runs `migrate` and then `db_grants`.
- The **application role** (DATABASE_URL of web, worker and beat) owns nothing. It may read and
  write the ordinary tables, but on the audit trail only SELECT and INSERT. Not being the owner,
  it cannot TRUNCATE, ALTER TABLE … DISABLE TRIGGER, drop the append-only trigger or replace its
  function; the trigger (core migration 0002) refuses UPDATE and DELETE even to the owner.

`grant_statements` is idempotent: run it after every migration. Default privileges make the
tables that later migrations create readable and writable for the application role at once
(the audit table is revoked back explicitly).
"""

from django.db import connection

from .models import AuditEvent

APPEND_ONLY_MODELS = (AuditEvent,)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def grant_statements(app_role: str) -> list[str]:
    role = _quote(app_role)
    statements = [
        f"GRANT CONNECT ON DATABASE {_quote(connection.settings_dict['NAME'])} TO {role}",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {role}",
    ]
    for model in APPEND_ONLY_MODELS:
        table = _quote(model._meta.db_table)
        statements += [
            f"REVOKE ALL ON {table} FROM PUBLIC",
            f"REVOKE ALL ON {table} FROM {role}",
            f"GRANT SELECT, INSERT ON {table} TO {role}",
        ]
    return statements


def apply_grants(app_role: str) -> list[str]:
    """Runs the statements as the connected (migration) role; returns what it ran."""
    if connection.vendor != "postgresql":
        raise RuntimeError("database roles exist on PostgreSQL only")
    statements = grant_statements(app_role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app_role])
        if cursor.fetchone() is None:
            raise RuntimeError(f"role {app_role!r} does not exist: create it first (CREATE ROLE … LOGIN)")
        cursor.execute("SELECT current_user")
        (current,) = cursor.fetchone()
        if current == app_role:
            raise RuntimeError("db_grants runs as the migration role, not as the application role")
        for statement in statements:
            cursor.execute(statement)
    return statements
