"""The issue job enqueued after a batch commit (справки of an approved РМА list): transient
errors are retried with a backoff; a document that cannot be issued is announced once by the
`document_failed` signal and logged at error level, never lost silently."""

import logging

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import OperationalError

from documents import issuing
from documents.kinds import get_spec
from documents.models import IssuedDocument
from documents.signals import document_failed
from documents.tasks import document_issue_later, issue_document
from tests.documents.kinds import DocumentKind

from .conftest import ISSUED_ON, connected

pytestmark = pytest.mark.django_db

FAILURES = []


def record_failure(sender, *, kind, artefact, person, reason, **kwargs):
    """A `document_failed` receiver, as a process connects one."""
    assert sender.kind == kind
    FAILURES.append((artefact, reason))


@pytest.fixture(autouse=True)
def clean_failures(settings):
    settings.PROFROST_DOCUMENTS_PDF = False
    FAILURES.clear()
    with connected(document_failed, record_failure):
        yield
    FAILURES.clear()


def job(ministry, artefact, **overrides):
    kwargs = {
        "kind": DocumentKind.RMA_CERTIFICATE,
        "organization_id": ministry.pk,
        "artefact_type_id": ContentType.objects.get_for_model(type(artefact)).pk,
        "artefact_id": str(artefact.pk),
        "context": get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
        "signatory": None,
        "issued_on": ISSUED_ON.isoformat(),
    }
    kwargs.update(overrides)
    return kwargs


def flaky(monkeypatch, error, times):
    """document_issue fails `times` times with `error`, then works. Eager retries run at once
    (no countdown) when the eager run does not propagate the Retry exception."""
    monkeypatch.setitem(issue_document.app.conf, "task_eager_propagates", False)
    real = issuing.document_issue
    calls = []

    def document_issue(**kwargs):
        calls.append(1)
        if len(calls) <= times:
            raise error
        return real(**kwargs)

    monkeypatch.setattr(issuing, "document_issue", document_issue)
    return calls


def test_the_task_retries_transient_errors_with_a_backoff():
    assert {OperationalError, OSError} <= set(issue_document.autoretry_for)
    assert issue_document.retry_backoff and issue_document.retry_jitter
    assert issue_document.max_retries >= 3 and issue_document.acks_late


@pytest.mark.parametrize("error", [OperationalError("database is locked"), OSError("NFS server not responding")])
def test_a_transient_error_is_retried_and_the_document_issued(ministry, school, monkeypatch, error):
    calls = flaky(monkeypatch, error, times=2)
    result = issue_document.apply(kwargs=job(ministry, school))
    assert result.successful(), result.traceback
    document = IssuedDocument.objects.get()
    assert result.get() == document.pk and document.artefact == school
    assert len(calls) == 3
    assert FAILURES == []


def test_retries_used_up_are_reported(ministry, school, monkeypatch):
    flaky(monkeypatch, OSError("/srv/profrost/media: Input/output error"), times=100)
    with pytest.raises(OSError):
        issue_document.apply(kwargs=job(ministry, school)).get()
    assert not IssuedDocument.objects.exists()
    [(artefact, message)] = FAILURES
    assert artefact == school
    assert message.startswith("Документ не выпущен: сбой базы данных или хранилища файлов")
    assert "/srv" not in message  # the error's text stays in the log


def test_a_document_error_goes_to_the_failure_hook_and_the_log(ministry, school, caplog):
    context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
    context["person"] = {"last_name": "Белых", "first_name": "Саша"}  # sex unknown: cannot decline
    with caplog.at_level(logging.ERROR, logger="documents.tasks"):
        result = issue_document.apply(kwargs=job(ministry, school, context=context))
    assert result.successful() and result.get() is None  # retrying would not help
    assert not IssuedDocument.objects.exists()
    [(artefact, message)] = FAILURES
    assert artefact == school and "укажите пол" in message
    [record] = [r for r in caplog.records if r.name == "documents.tasks"]
    assert record.levelno == logging.ERROR and "укажите пол" in record.getMessage()


def test_the_error_is_logged_too(ministry, school, caplog):
    context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
    del context["person"]
    with caplog.at_level(logging.ERROR, logger="documents.tasks"):
        issue_document.apply(kwargs=job(ministry, school, context=context)).get()
    assert any(r.levelno == logging.ERROR and "not issued" in r.getMessage() for r in caplog.records)


def test_a_broken_receiver_does_not_loop(ministry, school, caplog):
    context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
    del context["person"]

    def broken(**kwargs):
        raise RuntimeError("the receiver is broken")

    with caplog.at_level(logging.ERROR, logger="documents.tasks"), connected(document_failed, broken):
        result = issue_document.apply(kwargs=job(ministry, school, context=context))
    assert result.successful()
    assert "document_failed receiver" in caplog.text
    assert len(FAILURES) == 1  # the other receivers still hear of it


def test_issue_later_failure_reaches_the_receivers(ministry, school, django_capture_on_commit_callbacks):
    context = get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry)
    del context["person"]
    with django_capture_on_commit_callbacks(execute=True):
        document_issue_later(
            kind=DocumentKind.RMA_CERTIFICATE,
            issuing_organization=ministry,
            artefact=school,
            context=context,
            signatory=None,
            issued_on=ISSUED_ON,
            actor=None,
        )
    [(artefact, message)] = FAILURES
    assert artefact == school and "не заполнены обязательные поля" in message
