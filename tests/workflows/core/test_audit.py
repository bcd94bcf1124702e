import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory

from tests.factories import make_organization, make_region, make_user
from workflows.core.audit import history, record_event
from workflows.core.models import AuditEvent, AuditImmutableError
from workflows.core.request_context import bind_request_id, reset_request_id


@pytest.fixture
def school(db):
    return make_organization(make_region())


def test_record_event_writes_all_fields(school):
    actor = make_user("official")
    token = bind_request_id("req-12345678")
    try:
        event = record_event(
            actor=actor, obj=school, event="status_changed", from_state="draft", to_state="sent",
            comment="Отправлено на согласование", data={"n": 1},
        )
    finally:
        reset_request_id(token)
    event.refresh_from_db()
    assert (event.actor, event.event, event.from_state, event.to_state) == (actor, "status_changed", "draft", "sent")
    assert event.object_id == str(school.pk) and event.object_repr == str(school)
    assert event.request_id == "req-12345678"
    assert event.comment == "Отправлено на согласование"
    assert list(history(school)) == [event]


def test_audit_rows_cannot_be_changed_or_deleted(school):
    event = record_event(actor=None, obj=school, event="created")
    event.comment = "подделка"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(comment="подделка")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.comment == ""


@pytest.mark.django_db(transaction=True)
def test_database_refuses_raw_update_on_postgresql():
    school = make_organization(make_region())
    event = record_event(actor=None, obj=school, event="created")
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only; SQLite relies on the model guards")
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET comment = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


def test_audit_rolls_back_with_the_change(school):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event(actor=None, obj=school, event="created")
        raise RuntimeError("half-done action")
    assert not AuditEvent.objects.exists()


def test_admin_has_no_write_path(school, admin_user):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/")
    request.user = admin_user
    event = record_event(actor=None, obj=school, event="created")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)


def test_request_id_header_is_echoed_and_recorded(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/home/", HTTP_X_REQUEST_ID="abcdef123456")
    assert response["X-Request-ID"] == "abcdef123456"
    generated = client.get("/home/", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"]
    assert generated != "bad id!" and len(generated) == 32
