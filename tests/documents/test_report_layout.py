"""DOC-5's results table as LibreOffice lays it out (issue 12): no word of its header is broken
across lines — at 10 pt in columns of 12–18 mm the header read «Целево-е значен-ие», «Значени-е за
предыду-щий период», «Динам-ика» (seen converting the demo's справка to PDF) and grew to seven
lines, which pushed the table off page 1."""

import subprocess

import pytest

from documents import pdf
from documents.issuing import document_preview
from documents.kinds import get_spec

pytestmark = pytest.mark.django_db

HEADER_WORDS = ("Показатель", "Целевое", "значение", "предыдущий", "отчетный", "Динамика", "Статус")


@pytest.mark.parametrize("kind", ["monitoring_report"])
def test_no_header_word_of_the_results_table_is_broken(kind, ministry, soffice, tmp_path):
    source = tmp_path / f"{kind}.docx"
    source.write_bytes(document_preview(kind=kind, issuing_organization=ministry,
                                        context=get_spec(kind).sample(ministry)))
    result = pdf.convert_to_pdf([source], tmp_path / "pdf", binary=soffice)[source]
    assert result.pdf_path is not None, result.error
    text = subprocess.run(["pdftotext", str(result.pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # the table's text (pdftotext reads it column by column), up to the first narrative under it
    header = text.split("4. Результаты мониторинга", 1)[1].split("составила", 1)[0]
    lines = [line.strip() for line in header.splitlines() if line.strip()]
    broken = [word for word in HEADER_WORDS if not any(word in line for line in lines)]
    assert not broken, lines
