"""One document in force per (artefact, kind): a redelivered issue job after a template upload
returns the document already issued; only an explicit re-issue adds another, under a new number,
and marks the old one superseded."""

import io

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.errors import DocumentError
from documents.issuing import document_issue, document_reissue
from documents.kinds import get_spec
from documents.models import DocumentImmutableError, IssuedDocument, NumberingRegister
from documents.tasks import issue_document
from documents.template_versions import template_active, template_upload
from tests.documents.kinds import DocumentKind

from .conftest import ISSUED_ON, docx_text
from .test_templates import builtin, replace_text

pytestmark = pytest.mark.django_db

OLD_PHRASE = "Справка выдана для предъявления по месту требования."
NEW_PHRASE = "Справка выдана для представления по месту работы."


def issue(ministry, artefact, **overrides):
    arguments = dict(
        kind=DocumentKind.RMA_CERTIFICATE,
        issuing_organization=ministry,
        artefact=artefact,
        context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )
    arguments.update(overrides)
    return document_issue(**arguments)


def upload_new_version():
    edited = replace_text(builtin(DocumentKind.RMA_CERTIFICATE), OLD_PHRASE, NEW_PHRASE)
    return template_upload(kind=DocumentKind.RMA_CERTIFICATE, file=io.BytesIO(edited), uploaded_by=None)


def job_kwargs(ministry, artefact):
    from django.contrib.contenttypes.models import ContentType

    return {
        "kind": DocumentKind.RMA_CERTIFICATE,
        "organization_id": ministry.pk,
        "artefact_type_id": ContentType.objects.get_for_model(type(artefact)).pk,
        "artefact_id": str(artefact.pk),
        "context": get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
        "signatory": None,
        "issued_on": ISSUED_ON.isoformat(),
    }


def test_a_redelivered_job_after_a_template_upload_issues_nothing_new(ministry, school):
    """acks_late: the worker died after the commit, a template was uploaded, the job comes again."""
    first = issue_document.apply(kwargs=job_kwargs(ministry, school)).get()
    upload_new_version()
    again = issue_document.apply(kwargs=job_kwargs(ministry, school)).get()
    assert again == first
    assert IssuedDocument.objects.count() == 1
    assert NumberingRegister.objects.get().next_number == 2
    document = IssuedDocument.objects.get()
    assert document.template.version == 1  # the version it was made with stays recorded
    assert OLD_PHRASE in docx_text(document.file.read())


def test_the_database_refuses_a_second_current_document(ministry, school):
    document = issue(ministry, school)
    duplicate = IssuedDocument.objects.get(pk=document.pk)
    duplicate.pk = None
    duplicate.sequence = 99
    duplicate.template = upload_new_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


class TestReissue:
    def test_a_new_number_with_the_active_template_and_the_old_one_superseded(self, ministry, school):
        old = issue(ministry, school)
        version = upload_new_version()
        new = document_reissue(document=old, reason="исправлена формулировка справки", actor=None, issued_on=ISSUED_ON)
        assert (old.number, new.number) == ("1", "2")
        assert new.template == version and NEW_PHRASE in docx_text(new.file.read())
        assert new.replaces == old and new.reissue_reason == "исправлена формулировка справки"
        assert new.artefact == school and new.superseded_at is None
        assert new.data == old.data  # the data the old one was made with, by default
        old.refresh_from_db()
        assert old.superseded_at is not None and old.replaced_by == new
        assert OLD_PHRASE in docx_text(old.file.read())  # the archive keeps the old file
        # the normal path now returns the new document
        assert issue(ministry, school) == new

    def test_only_the_current_document_is_reissued(self, ministry, school):
        old = issue(ministry, school)
        new = document_reissue(document=old, reason="ошибка в должности", actor=None)
        assert new.issued_on == timezone.localdate()  # a new document, dated the day it is made
        with pytest.raises(DocumentError, match="уже заменен"):
            document_reissue(document=old, reason="еще раз", actor=None)
        assert IssuedDocument.objects.count() == 2

    def test_a_reason_is_required(self, ministry, school):
        old = issue(ministry, school)
        with pytest.raises(DocumentError, match="причину"):
            document_reissue(document=old, reason="  ", actor=None)
        assert IssuedDocument.objects.count() == 1

    def test_failed_render_changes_nothing(self, ministry, school):
        old = issue(ministry, school)
        context = dict(old.data)
        context["person"] = {"last_name": "Белых", "first_name": "Саша"}  # sex unknown
        with pytest.raises(DocumentError):
            document_reissue(document=old, reason="новые данные", actor=None, context=context)
        old.refresh_from_db()
        assert old.superseded_at is None and IssuedDocument.objects.count() == 1
        assert template_active(kind=DocumentKind.RMA_CERTIFICATE).version == 1

    def test_superseded_stays_superseded(self, ministry, school):
        old = issue(ministry, school)
        document_reissue(document=old, reason="ошибка", actor=None)
        with pytest.raises(DocumentImmutableError):
            IssuedDocument.objects.filter(pk=old.pk).update(superseded_at=None)
        old.refresh_from_db()
        old.superseded_at = None
        with pytest.raises(DocumentImmutableError):
            old.save(update_fields=["superseded_at"])


def test_postgresql_guards_the_new_columns(ministry, school):
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; SQLite relies on the model guards")
    old = issue(ministry, school)
    new = document_reissue(document=old, reason="ошибка", actor=None)
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="stays superseded"), transaction.atomic():
            cursor.execute("UPDATE documents_issueddocument SET superseded_at = NULL WHERE id = %s", [old.pk])
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            cursor.execute("UPDATE documents_issueddocument SET reissue_reason = 'x' WHERE id = %s", [new.pk])
        with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
            cursor.execute("UPDATE documents_issueddocument SET replaces_id = NULL WHERE id = %s", [new.pk])
