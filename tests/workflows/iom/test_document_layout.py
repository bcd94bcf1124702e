"""DOC-3 starts its plan on page 1 (issue 13): nothing forces a new page before «5. План
реализации ИОМ» (python-docx), and a registered route's document, converted by LibreOffice, has
the plan's heading and first activity on page 1 — the heading is kept with the plan's repeated,
unsplit header row, so a tall header or a long teacher block left the foot of page 1 blank and
moved the plan to page 2. And no word of a plan cell is broken across lines: in the demo's route
the «Дефицит (задача)» column read «образовательн-ые ресурсы» and «Организация / ресурс» read
«Минпросвеще-ния России» (seen converting the walked route's ИОМ to PDF)."""

import io
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn

from documents import pdf
from documents.issuing import document_preview
from documents.kinds import get_spec
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


def test_no_word_of_a_plan_cell_is_broken(world, soffice, tmp_path):
    context = get_spec(IOM_KIND).sample(world.cnppm)
    context["items"][0].update(
        deficit="цифровые образовательные ресурсы", provider="ФГАОУ ДПО «Академия Минпросвещения России»",
        activity="Цифровые инструменты в работе учителя", report_form="удостоверение о ПК",
    )
    source = tmp_path / "iom.docx"
    source.write_bytes(document_preview(kind=IOM_KIND, issuing_organization=world.cnppm, context=context))
    result = pdf.convert_to_pdf([source], tmp_path / "pdf", binary=soffice)[source]
    assert result.pdf_path is not None, result.error
    text = subprocess.run(["pdftotext", str(result.pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # the plan's text (pdftotext reads a table column by column), up to what follows it
    plan = text.split(PLAN_HEADING, 1)[1].split("Общий объем", 1)[0]
    lines = [line.strip() for line in plan.splitlines() if line.strip()]
    # and the header stays four lines: «Вид образования» on one of them
    words = ("образовательные", "Минпросвещения", "удостоверение", "наставничество…)", "информальное)",
             "образовательный", "отчетности", "Вид образования")
    broken = [word for word in words if not any(word in line for line in lines)]
    assert not broken, (broken, "|".join(lines))
