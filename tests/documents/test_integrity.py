"""Issued documents cannot change (issue 11, point 6): not through the base manager, not by
raw SQL on PostgreSQL, and a .docx replaced on disk is refused at download, in Russian, logged."""

import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from documents.issuing import document_issue
from documents.kinds import get_spec
from documents.models import DocumentImmutableError, IssuedDocument
from orgstructure.models import Role
from tests.documents.kinds import DocumentKind
from tests.factories import make_person, make_user

from .conftest import ISSUED_ON

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(ministry, school):
    holder = make_person(school, last_name="Петрова")
    return document_issue(
        kind=DocumentKind.RMA_CERTIFICATE,
        issuing_organization=ministry,
        artefact=holder,
        context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
        person=holder,
    )


@pytest.fixture
def officer_client(client, ministry):
    client.force_login(make_user(role=Role.MINISTRY_OFFICER, organization=ministry))
    return client


def _path(document) -> Path:
    return Path(settings.MEDIA_ROOT) / document.file.name


def test_the_base_manager_cannot_change_the_title(certificate):
    with pytest.raises(DocumentImmutableError):
        IssuedDocument._base_manager.filter(pk=certificate.pk).update(title="Другое")
    with pytest.raises(DocumentImmutableError):
        IssuedDocument._base_manager.filter(pk=certificate.pk).delete()

    certificate.refresh_from_db()
    assert certificate.title != "Другое"


def test_postgresql_refuses_a_raw_title_change(certificate):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only; SQLite relies on the model and queryset guards")
    with connection.cursor() as cursor, pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        cursor.execute("UPDATE documents_issueddocument SET title = 'Другое' WHERE id = %s", [certificate.pk])


def test_an_intact_document_is_served(officer_client, certificate):
    response = officer_client.get(reverse("documents:download", args=[certificate.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _path(certificate).read_bytes()


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[:-1] + b"X"), id="one-byte-changed"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes() + b"\0"), id="appended"),
        pytest.param(lambda path: path.unlink(), id="missing"),
    ],
)
def test_a_replaced_docx_is_not_served_and_is_logged(officer_client, certificate, caplog, tamper):
    tamper(_path(certificate))

    with caplog.at_level(logging.ERROR, logger="documents.integrity"):
        response = officer_client.get(reverse("documents:download", args=[certificate.pk]))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert "повреждён или подменён" in response.content.decode()
    assert "Content-Disposition" not in response
    logged = [record for record in caplog.records if record.name == "documents.integrity"]
    assert len(logged) == 1
    assert certificate.sha256 in logged[0].getMessage()
