"""DOC-3 starts its plan on page 1 (issue 13): nothing forces a new page before «5. План
реализации ИОМ» (python-docx), and a registered route's document, converted by LibreOffice, has
the plan's heading and first activity on page 1 — the heading is kept with the plan's repeated,
unsplit header row, so a tall header or a long teacher block left the foot of page 1 blank and
moved the plan to page 2."""

import io
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from documents import pdf
from documents.models import IssuedDocument
from workflows.core.flowkit import flow_url
from workflows.iom.documents import IOM_KIND
from workflows.iom.flows import RouteFlow

from .conftest import client

pytestmark = pytest.mark.django_db

PLAN_HEADING = "5. План реализации ИОМ"


def _is_plan(table) -> bool:
    return "Отметка о выполнении" in "".join(t.text or "" for t in table.iter(qn("w:t")))


def _breaks_before_plan(data: bytes) -> list[str]:
    """What forces a new page in the body before the plan table: a page break, a paragraph
    starting a page, a section break."""
    body = Document(io.BytesIO(data)).element.body
    found = []
    for element in body.iterchildren():
        if element.tag == qn("w:tbl") and _is_plan(element):
            return found
        for br in element.iter(qn("w:br")):
            if br.get(qn("w:type")) == "page":
                found.append("w:br type=page")
        if any(True for _ in element.iter(qn("w:pageBreakBefore"))):
            found.append("w:pageBreakBefore")
        if any(True for _ in element.iter(qn("w:sectPr"))):
            found.append("w:sectPr")
    raise AssertionError("no plan table in DOC-3")


def test_nothing_forces_a_new_page_before_the_plan(world, registered):
    issued = IssuedDocument.objects.get(kind=IOM_KIND, artefact_id=str(registered.pk))
    assert _breaks_before_plan(issued.file.read()) == []
    copy = client(world.teacher).get(flow_url(RouteFlow, "route_document", registered.pk)).content
    assert _breaks_before_plan(copy) == []


def test_the_plan_starts_on_page_1(world, registered, soffice, tmp_path):
    source = tmp_path / "iom.docx"
    source.write_bytes(IssuedDocument.objects.get(kind=IOM_KIND, artefact_id=str(registered.pk)).file.read())
    result = pdf.convert_to_pdf([source], tmp_path / "pdf", binary=soffice)[source]
    assert result.pdf_path is not None, result.error
    page_1 = subprocess.run(
        ["pdftotext", "-layout", "-f", "1", "-l", "1", str(result.pdf_path), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert "2. Результаты диагностики профессиональных дефицитов" in page_1
    assert PLAN_HEADING in page_1
    first = registered.activities.order_by("id").first()
    assert first.title.split()[0] in page_1.split(PLAN_HEADING, 1)[1]  # the plan's first row, not only its heading
