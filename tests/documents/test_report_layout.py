"""DOC-5's results table and DOC-6's table of recommendations as LibreOffice lays them out
(issue 12): no word of their headers is broken across lines — at 10 pt in columns of 12–18 mm the
справка's header read «Целево-е значен-ие», «Значени-е за предыду-щий период», «Динам-ика» (seen
converting the demo's справка to PDF) and grew to seven lines, which pushed the table off page 1."""

import subprocess

import pytest

from documents import pdf
from documents.issuing import document_preview
from documents.kinds import get_spec

pytestmark = pytest.mark.django_db

TABLES = {
    # kind: (the text before the table, the text after its header, its header's words)
    "monitoring_report": ("4. Результаты мониторинга", "составила",
                          ("Показатель", "Целевое", "значение", "предыдущий", "отчетный", "Динамика", "Статус")),
    # «Значени-е в ОО», «Ответственны-й» at 10 pt
    "monitoring_recommendations": ("адресные рекомендации:", "Информацию о принятых мерах",
                                   ("выявленная", "Значение", "Среднее", "Рекомендация", "Ответственный")),
}


@pytest.mark.parametrize("kind", list(TABLES))
def test_no_header_word_of_the_table_is_broken(kind, ministry, soffice, tmp_path):
    before, after, words = TABLES[kind]
    source = tmp_path / f"{kind}.docx"
    source.write_bytes(document_preview(kind=kind, issuing_organization=ministry,
                                        context=get_spec(kind).sample(ministry)))
    result = pdf.convert_to_pdf([source], tmp_path / "pdf", binary=soffice)[source]
    assert result.pdf_path is not None, result.error
    text = subprocess.run(["pdftotext", str(result.pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # the table's text (pdftotext reads it column by column), up to what follows it
    header = text.split(before, 1)[1].split(after, 1)[0]
    lines = [line.strip() for line in header.splitlines() if line.strip()]
    broken = [word for word in words if not any(word in line for line in lines)]
    assert not broken, lines
