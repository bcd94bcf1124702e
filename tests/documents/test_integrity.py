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
from documents.models import DocumentImmutableError, IssuedDocument, PdfStatus
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


TAMPERS = [
    pytest.param(lambda path: path.write_bytes(path.read_bytes()[:-1] + b"X"), id="one-byte-changed"),
    pytest.param(lambda path: path.write_bytes(path.read_bytes() + b"\0"), id="appended"),
    pytest.param(lambda path: path.unlink(), id="missing"),
]


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


@pytest.mark.parametrize("tamper", TAMPERS)
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


# --- the PDF rendition: its SHA-256 stored by the worker, checked on every download ---------------


@pytest.fixture
def converted(certificate, monkeypatch):
    """The certificate converted by the worker's batch (pdf_jobs) with a LibreOffice stand-in
    that writes a small PDF: what is checked is the storing and the serving, not the rendering."""
    import hashlib

    from documents import pdf
    from documents.pdf_jobs import pdf_convert_batch

    def convert(sources, outdir, *, binary=None, timeout=None):
        outdir.mkdir(parents=True, exist_ok=True)
        results = {}
        for source in sources:
            target = outdir / f"{source.stem}.pdf"
            target.write_bytes(b"%PDF-1.4 drill rendition of " + source.stem.encode())
            results[source] = pdf.ConversionResult(target)
        return results

    monkeypatch.setattr(pdf, "soffice_binary", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "convert_to_pdf", convert)
    assert pdf_convert_batch(limit=10) == 1
    certificate.refresh_from_db()
    data = Path(settings.MEDIA_ROOT, certificate.pdf_file.name).read_bytes()
    assert certificate.pdf_status == PdfStatus.READY
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest() and certificate.pdf_size == len(data)
    return certificate


def _pdf_path(document) -> Path:
    return Path(settings.MEDIA_ROOT) / document.pdf_file.name


def test_an_intact_pdf_is_served(officer_client, converted):
    response = officer_client.get(reverse("documents:pdf", args=[converted.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == _pdf_path(converted).read_bytes()


@pytest.mark.parametrize("tamper", TAMPERS)
def test_a_replaced_pdf_is_not_served_is_logged_and_failed_for_the_administrator(
    officer_client, converted, caplog, tamper
):
    from documents.pdf_jobs import pdf_retry

    tamper(_pdf_path(converted))

    with caplog.at_level(logging.ERROR, logger="documents.integrity"):
        response = officer_client.get(reverse("documents:pdf", args=[converted.pk]))

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert "Файл PDF повреждён или подменён" in response.content.decode()
    assert "Content-Disposition" not in response
    logged = [record for record in caplog.records if record.name == "documents.integrity"]
    assert len(logged) == 1 and converted.pdf_sha256 in logged[0].getMessage()
    converted.refresh_from_db()
    assert converted.pdf_status == PdfStatus.FAILED and "SHA-256" in converted.pdf_message
    # the administrator's «retry» makes it anew from the .docx; the .docx itself is still served
    assert pdf_retry(documents=[converted]) == 1
    assert officer_client.get(reverse("documents:download", args=[converted.pk])).status_code == 200


def test_a_pdf_without_a_stored_checksum_is_not_served(officer_client, converted):
    IssuedDocument.objects.filter(pk=converted.pk).update(pdf_sha256="")

    response = officer_client.get(reverse("documents:pdf", args=[converted.pk]))

    assert response.status_code == 500 and "повреждён или подменён" in response.content.decode()


def test_a_replaced_docx_is_not_converted(certificate, caplog, monkeypatch):
    """A PDF made from a replaced .docx would carry a valid checksum of its own: the worker checks
    the .docx against the issued SHA-256 before converting it."""
    from documents import pdf
    from documents.pdf_jobs import pdf_convert_batch

    monkeypatch.setattr(pdf, "soffice_binary", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "convert_to_pdf", lambda *a, **kw: pytest.fail("a replaced .docx reached LibreOffice"))
    _path(certificate).write_bytes(_path(certificate).read_bytes() + b"\0")

    with caplog.at_level(logging.ERROR, logger="documents.integrity"):
        assert pdf_convert_batch(limit=10) == 1

    certificate.refresh_from_db()
    assert certificate.pdf_status == PdfStatus.FAILED and not certificate.pdf_file and not certificate.pdf_sha256
    assert "не совпадает с выпущенным" in certificate.pdf_message
    assert any(record.name == "documents.integrity" for record in caplog.records)
