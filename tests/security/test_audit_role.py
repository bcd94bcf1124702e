"""The audit trail the application cannot erase (issue 11, point 6), proven on PostgreSQL: the
grants of workflows/core/db_roles.py are applied inside the test database by its owner (the
migration role's place), then a second connection as the application role tries every way to
rewrite history and is refused.

Needs the application role to exist (CI creates `profrost_app`, see .ci/run) and its URL in
PROFROST_TEST_APP_DATABASE_URL (the database name in it is replaced by the test database's)."""

import os
from urllib.parse import urlparse

import pytest
from django.db import connection

from workflows.core.audit import record_event
from workflows.core.db_roles import apply_grants


@pytest.fixture
def app_cursor():
    if connection.vendor != "postgresql":
        pytest.skip("database roles and grants exist on PostgreSQL only; SQLite has one user")
    url = os.environ.get("PROFROST_TEST_APP_DATABASE_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("PROFROST_TEST_APP_DATABASE_URL is not set: .ci/run must create the app role")
        pytest.skip("PROFROST_TEST_APP_DATABASE_URL is not set (.ci/run sets it)")
    import psycopg

    parsed = urlparse(url)
    apply_grants(parsed.username)
    app = psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username,
        password=parsed.password,
        dbname=connection.settings_dict["NAME"],
        autocommit=True,
    )
    try:
        yield app.cursor()
    finally:
        app.close()


def _refused(cursor, sql, params=None) -> str:
    import psycopg

    with pytest.raises(psycopg.Error) as caught:
        cursor.execute(sql, params)
    return str(caught.value)


@pytest.fixture
def event(db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("auditor")
    return record_event(actor=user, obj=user, event="probe")


@pytest.mark.django_db(transaction=True)  # the grants must commit to be seen
def test_the_app_role_reads_and_appends_to_the_audit_trail(app_cursor, event):
    app_cursor.execute("SELECT count(*) FROM core_auditevent")
    assert app_cursor.fetchone() == (1,)
    app_cursor.execute(
        "INSERT INTO core_auditevent (occurred_at, content_type_id, object_id, object_repr, event,"
        " from_state, to_state, comment, request_id, data)"
        " SELECT now(), content_type_id, object_id, object_repr, 'second', '', '', '', '', '{}'"
        " FROM core_auditevent WHERE id = %s",
        [event.pk],
    )
    app_cursor.execute("SELECT count(*) FROM core_auditevent")
    assert app_cursor.fetchone() == (2,)


REFUSED = [
    ("UPDATE core_auditevent SET comment = 'rewritten'", "permission denied"),
    ("DELETE FROM core_auditevent", "permission denied"),
    ("TRUNCATE core_auditevent", "permission denied"),
    ("ALTER TABLE core_auditevent DISABLE TRIGGER ALL", "must be owner"),
    ("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update_delete", "must be owner"),
    ("DROP TRIGGER core_auditevent_no_update_delete ON core_auditevent", "must be owner"),
    (
        "CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS "
        "$$ BEGIN RETURN NEW; END; $$ LANGUAGE plpgsql",
        "permission denied for schema public",
    ),
    ("DROP FUNCTION core_auditevent_append_only() CASCADE", "must be owner"),
    ("DROP TABLE core_auditevent", "must be owner"),
    ("ALTER TABLE core_auditevent OWNER TO CURRENT_USER", "must be owner"),
]


@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_erase_the_audit_trail(app_cursor, event):
    """One connection, every attempt (one test: each transactional test costs a flush)."""
    refusals = {sql: _refused(app_cursor, sql) for sql, _ in REFUSED}

    for sql, reason in REFUSED:
        assert reason in refusals[sql], (sql, refusals[sql])
    assert event.__class__.objects.filter(pk=event.pk, comment="").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = 'core_auditevent_no_update_delete'")
        assert cursor.fetchone() == ("O",)  # still there, still enabled
    app_cursor.execute("GRANT UPDATE, DELETE, TRUNCATE ON core_auditevent TO CURRENT_USER")  # a no-op warning
    app_cursor.execute(
        "SELECT has_table_privilege('core_auditevent', 'UPDATE'), has_table_privilege('core_auditevent', 'DELETE'),"
        " has_table_privilege('core_auditevent', 'TRUNCATE'), has_table_privilege('core_auditevent', 'INSERT')"
    )
    assert app_cursor.fetchone() == (False, False, False, True)


@pytest.mark.django_db(transaction=True)
def test_the_app_role_still_works_on_ordinary_tables(app_cursor, event):
    app_cursor.execute("UPDATE auth_user SET first_name = 'Проверка' WHERE username = 'auditor'")
    assert app_cursor.rowcount == 1


@pytest.mark.django_db(transaction=True)
def test_the_app_role_cannot_truncate_or_unlock_issued_documents(app_cursor, event):
    assert "permission denied" in _refused(app_cursor, "TRUNCATE documents_issueddocument")
    assert "must be owner" in _refused(app_cursor, "ALTER TABLE documents_issueddocument DISABLE TRIGGER ALL")


def test_even_the_owner_cannot_update_or_delete_audit_rows(event):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    with connection.cursor() as cursor:
        for sql in ("UPDATE core_auditevent SET comment = 'x'", "DELETE FROM core_auditevent"):
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(sql)


def test_grants_refuse_to_run_as_the_app_role_itself(db):
    if connection.vendor != "postgresql":
        pytest.skip("database roles exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        (me,) = cursor.fetchone()
    with pytest.raises(RuntimeError, match="migration role"):
        apply_grants(me)
