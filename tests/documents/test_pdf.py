"""PDF renditions: batched LibreOffice runs in a worker; without LibreOffice the .docx still
works and the status says why there is no PDF."""

import subprocess

import pytest

from documents import pdf
from documents.issuing import document_issue
from documents.kinds import get_spec
from documents.models import IssuedDocument, PdfStatus
from documents.pdf_jobs import pdf_claim_batch, pdf_convert_batch, pdf_retry
from documents.tasks import convert_pending_pdfs
from tests.documents.kinds import DocumentKind
from tests.factories import make_organization

from .conftest import ISSUED_ON

pytestmark = pytest.mark.django_db


def issue(kind, organization, artefact=None):
    return document_issue(
        kind=kind,
        issuing_organization=organization,
        artefact=artefact or organization,
        context=get_spec(kind).sample(organization),
        signatory=None,
        issued_on=ISSUED_ON,
        actor=None,
    )


def test_without_libreoffice_the_status_says_so(ministry, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_binary", lambda: None)
    document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
    assert document.pdf_status == PdfStatus.PENDING
    assert convert_pending_pdfs.apply().get() == 1
    document.refresh_from_db()
    assert document.pdf_status == PdfStatus.UNAVAILABLE
    assert document.pdf_message == "PDF недоступен: LibreOffice не установлен"
    assert not document.pdf_file
    assert document.file.read()  # the .docx is unaffected


def test_retry_puts_unavailable_back_in_the_queue(ministry, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_binary", lambda: None)
    document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
    pdf_convert_batch(limit=10)
    assert pdf_retry(documents=[document]) == 1
    document.refresh_from_db()
    assert (document.pdf_status, document.pdf_message) == (PdfStatus.PENDING, "")


def test_claims_never_overlap(ministry, region):
    for _ in range(3):
        issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region))
    first_batch, first = pdf_claim_batch(limit=2)
    second_batch, second = pdf_claim_batch(limit=2)
    assert len(first) == 2 and len(second) == 1
    assert not {d.pk for d in first} & {d.pk for d in second}
    assert pdf_claim_batch(limit=2)[1] == []


def test_failed_conversion_is_reported(ministry, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "soffice_binary", lambda: "/bin/false")
    document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
    pdf_convert_batch(limit=10)
    document.refresh_from_db()
    assert document.pdf_status == PdfStatus.FAILED
    assert document.pdf_message.startswith("Ошибка преобразования в PDF")


def pdftotext(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def test_order_and_certificate_convert_in_one_soffice_run(soffice, ministry, region, monkeypatch):
    """CI installs LibreOffice and sets PROFROST_REQUIRE_PDF=1, so this runs there (or fails)."""
    order = issue(DocumentKind.RMA_LIST_ORDER, ministry)
    certificate = issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region))
    runs = []
    real_convert = pdf.convert_to_pdf
    monkeypatch.setattr(
        pdf, "convert_to_pdf", lambda sources, *a, **kw: runs.append(sources) or real_convert(sources, *a, **kw)
    )

    assert pdf_convert_batch(limit=10) == 2
    assert len(runs) == 1 and len(runs[0]) == 2

    order, certificate = (IssuedDocument.objects.get(pk=d.pk) for d in (order, certificate))
    assert order.pdf_status == certificate.pdf_status == PdfStatus.READY
    text = " ".join(pdftotext(order.pdf_file.path).split())
    assert "МИНИСТЕРСТВО ОБРАЗОВАНИЯ И НАУКИ ПЕРМСКОГО КРАЯ" in text
    assert "«30» августа 2024 г." in text and "№ 1/ОД" in text
    assert "Об утверждении списка регионального методического актива Пермского края" in text
    assert "приказываю:" in text
    assert "Березниковский городской округ" in text and "Ким Ольга Сергеевна" in text  # annex rows
    assert "Н.П. Сидорова" in text
    # the order on page 1, annex 1 (landscape) on page 2, annex 2 on page 3
    assert pages(order.pdf_file.path) == 3

    text = " ".join(pdftotext(certificate.pdf_file.path).split())
    assert "СПРАВКА" in text
    assert "Дана Петровой-Водкиной Марии Ильиничне, учителю математики" in text
    assert pages(certificate.pdf_file.path) == 1


def fake_soffice(monkeypatch, converted: list):
    """A LibreOffice stand-in: writes a small PDF per source, records what it was given."""

    def convert(sources, outdir, *, binary=None, timeout=None):
        outdir.mkdir(parents=True, exist_ok=True)
        converted.append([source.stem for source in sources])
        results = {}
        for source in sources:
            target = outdir / f"{source.stem}.pdf"
            target.write_bytes(b"%PDF-1.4 fake")
            results[source] = pdf.ConversionResult(target)
        return results

    monkeypatch.setattr(pdf, "soffice_binary", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pdf, "convert_to_pdf", convert)


def test_an_unreadable_source_fails_alone_and_the_batch_goes_on(ministry, region, monkeypatch):
    """One .docx missing from storage must not leave the batch in «processing» (reclaimed after
    30 minutes, failing again, forever): that document fails with the reason, the rest convert."""
    converted = []
    fake_soffice(monkeypatch, converted)
    lost, kept = (issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region)) for _ in range(2))
    lost.file.storage.delete(lost.file.name)

    assert pdf_convert_batch(limit=10) == 2

    lost.refresh_from_db()
    kept.refresh_from_db()
    assert lost.pdf_status == PdfStatus.FAILED
    assert lost.pdf_message.startswith("Ошибка преобразования в PDF: исходный файл .docx не прочитан из хранилища")
    assert "FileNotFoundError" in lost.pdf_message
    assert kept.pdf_status == PdfStatus.READY and kept.pdf_file.read() == b"%PDF-1.4 fake"
    assert converted == [[str(kept.pk)]]
    assert not IssuedDocument.objects.filter(pdf_status=PdfStatus.PROCESSING).exists()
    assert pdf_convert_batch(limit=10) == 0  # nothing left claimed or pending


def test_a_pdf_that_cannot_be_stored_fails_alone(ministry, region, monkeypatch):
    converted = []
    fake_soffice(monkeypatch, converted)
    first, second = (
        issue(DocumentKind.RMA_CERTIFICATE, ministry, artefact=make_organization(region)) for _ in range(2)
    )
    storage = IssuedDocument._meta.get_field("pdf_file").storage
    real_save = storage.save

    def save(name, content, max_length=None):
        if name.endswith(".pdf") and f"-{first.number}-" in name:
            raise OSError("No space left on device: /srv/profrost/media")
        return real_save(name, content, max_length=max_length)

    monkeypatch.setattr(storage, "save", save)
    assert pdf_convert_batch(limit=10) == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pdf_status == PdfStatus.FAILED and "PDF не сохранен в хранилище" in first.pdf_message
    assert second.pdf_status == PdfStatus.READY


def test_soffice_that_cannot_start_fails_the_batch_with_a_reason(ministry, monkeypatch):
    monkeypatch.setattr(pdf, "soffice_binary", lambda: "/usr/bin/soffice")

    def broken(*args, **kwargs):
        raise PermissionError("[Errno 13] Permission denied: '/usr/bin/soffice'")

    monkeypatch.setattr(pdf, "convert_to_pdf", broken)
    document = issue(DocumentKind.RMA_CERTIFICATE, ministry)
    assert pdf_convert_batch(limit=10) == 1
    document.refresh_from_db()
    assert document.pdf_status == PdfStatus.FAILED
    assert document.pdf_message.startswith("Ошибка преобразования в PDF: LibreOffice не запустился")
