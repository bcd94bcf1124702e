"""РМА hears what the documents app announces (documents.signals): an issued справка goes into the
application's history; a справка the worker could not issue — bad data, or the retries of a
storage failure used up — is recorded on the application and reaches the region's ЦНППМПР
coordinators as an in-app notification, once. Real Celery (eager), real rendering."""

import pytest

from documents import issuing
from documents.models import IssuedDocument
from documents.signals import document_failed
from documents.tasks import ISSUE_MAX_RETRIES, issue_document
from orgstructure.models import OrganizationKind, QualificationCategory, Role
from tests.factories import make_organization, make_person, make_region, make_user
from workflows.core.models import AuditEvent, Notification, OutboxKind
from workflows.rma import flows
from workflows.rma.models import Status

from .conftest import required_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(db):
    """A coordinator of ЦНППМПР in another region: never told about this region's documents."""
    region = make_region("Свердловская область", code="66")
    center = make_organization(region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР Свердловской области")
    return make_user("cnppm_elsewhere", role=Role.CNPPM_COORDINATOR, organization=center)


@pytest.fixture
def failures():
    """Every document_failed the worker sends, as (kind, artefact, person, reason)."""
    sent = []

    def record(sender, *, kind, artefact, person, reason, **kwargs):
        sent.append((kind, artefact, person, reason))

    document_failed.connect(record, dispatch_uid="test-rma-failures")
    yield sent
    document_failed.disconnect(dispatch_uid="test-rma-failures")


def refused_application(perm, django_capture_on_commit_callbacks):
    """Submitting a candidate with the first category queues the справка об отказе (a job)."""
    person = make_person(perm.orgs.school, category=QualificationCategory.FIRST)
    with django_capture_on_commit_callbacks(execute=True):
        application = flows.application_start(
            actor=perm.users.school_head, person=person, subjects=[perm.subjects.math], files=required_files()
        )
    assert application.status == Status.REJECTED
    return application


def failure_events(application):
    return list(
        AuditEvent.objects.for_object(application).filter(event="rma.document_failed").values_list("comment", flat=True)
    )


def test_an_issued_refusal_goes_into_the_history(perm, django_capture_on_commit_callbacks, settings):
    settings.PROFROST_DOCUMENTS_PDF = False
    application = refused_application(perm, django_capture_on_commit_callbacks)
    notice = IssuedDocument.objects.get(kind="rma_refusal")
    [event] = AuditEvent.objects.for_object(application).filter(event="rma.document_issued")
    assert event.data == {"document_id": notice.pk, "kind": "rma_refusal"}
    assert not failure_events(application) and not Notification.objects.exists()


def test_retries_used_up_reach_the_coordinators_once(
    perm, elsewhere, failures, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.PROFROST_DOCUMENTS_PDF = False
    monkeypatch.setitem(issue_document.app.conf, "task_eager_propagates", False)  # eager retries run at once
    attempts = []

    def storage_down(**kwargs):
        attempts.append(1)
        raise OSError("/srv/profrost/media: Input/output error")

    monkeypatch.setattr(issuing, "document_issue", storage_down)
    application = refused_application(perm, django_capture_on_commit_callbacks)

    assert len(attempts) == ISSUE_MAX_RETRIES + 1
    assert not IssuedDocument.objects.exists()
    [(kind, artefact, person, reason)] = failures  # once, after the last retry
    assert (kind, artefact, person) == ("rma_refusal", application, application.person)
    assert reason.startswith("Документ не выпущен: сбой базы данных или хранилища файлов")
    [comment] = failure_events(application)
    assert comment.startswith("Уведомление об отказе во включении в состав РМА: Документ не выпущен")
    assert "/srv" not in comment  # the error's text stays in the worker's log
    [notification] = Notification.objects.all()
    assert notification.user == perm.users.cnppm and notification.kind == OutboxKind.DOCUMENT_FAILED
    label = "Уведомление об отказе во включении в состав РМА"
    assert notification.title == f"Документ не выпущен: «{label}» по заявке № {application.pk}"
    assert str(application.person) in notification.body and str(application.pk) in notification.url
    assert not Notification.objects.filter(user=elsewhere).exists()


def test_bad_data_reach_the_coordinators(perm, failures, django_capture_on_commit_callbacks, settings):
    """The ЦНППМПР has no head on record, so the справка has no signatory: retrying would not help."""
    settings.PROFROST_DOCUMENTS_PDF = False
    perm.orgs.cnppmpr.head_name = ""
    perm.orgs.cnppmpr.save(update_fields=["head_name"])
    application = refused_application(perm, django_capture_on_commit_callbacks)

    assert not IssuedDocument.objects.exists()
    [(kind, artefact, _, reason)] = failures
    assert kind == "rma_refusal" and artefact == application and "не заполнены" in reason
    [comment] = failure_events(application)
    assert "Не указан подписант документа" in comment
    assert list(Notification.objects.values_list("user", flat=True)) == [perm.users.cnppm.pk]


def test_a_document_that_will_not_come_is_a_task_for_the_coordinator_who_issues_it_again(
    perm, failures, monkeypatch, django_capture_on_commit_callbacks, settings, client_as
):
    from viewflow.workflow.models import Task

    from workflows.core.models import TaskDeadline
    from workflows.rma import links
    from workflows.rma.flows import RmaDocumentFlow

    settings.PROFROST_DOCUMENTS_PDF = False
    monkeypatch.setitem(issue_document.app.conf, "task_eager_propagates", False)
    real_issue = issuing.document_issue

    def storage_down(**kwargs):
        raise OSError("/srv/profrost/media: Input/output error")

    monkeypatch.setattr(issuing, "document_issue", storage_down)
    application = refused_application(perm, django_capture_on_commit_callbacks)
    [task] = Task.objects.filter(flow_task=RmaDocumentFlow.reissue, status__in=["NEW", "ASSIGNED"])
    assert task.owner == perm.users.cnppm and task.process.artifact_object_id == application.pk
    assert TaskDeadline.objects.get(task_id=task.pk).due_at is not None

    coordinator = client_as(perm.users.cnppm)
    page = coordinator.get(links.task_action_url(task, "execute"))
    body = page.content.decode()
    assert page.status_code == 200 and "Уведомление об отказе во включении в состав РМА" in body
    assert "сбой базы данных или хранилища файлов" in body and "/srv" not in body
    assert client_as(perm.users.rma_coord).get(links.task_action_url(task, "execute")).status_code == 404

    monkeypatch.setattr(issuing, "document_issue", real_issue)  # the storage is back
    with django_capture_on_commit_callbacks(execute=True):
        done = coordinator.post(links.task_action_url(task, "execute"), {"decision": "reissue", "comment": ""})
    assert done.status_code == 302
    assert IssuedDocument.objects.filter(kind="rma_refusal").count() == 1
    assert AuditEvent.objects.for_object(application).filter(event="rma.document_requeued").count() == 1
    assert not Task.objects.filter(flow_task=RmaDocumentFlow.reissue, status__in=["NEW", "ASSIGNED"]).exists()
