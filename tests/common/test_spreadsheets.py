"""common.spreadsheets: typed cells, a bold header, the cap with its Russian message, the
attachment headers, and texts that look like formulas kept as the literal text (checked by
reopening the file with openpyxl and by reading the sheet's XML)."""

import datetime as dt
import io
import zipfile
import zoneinfo
from decimal import Decimal
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from common import spreadsheets

FORMULAS = [
    '=HYPERLINK("http://example.org/x","Открыть")',
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def reopen(data: bytes):
    return load_workbook(io.BytesIO(data)).active


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        return archive.read(name).decode()


def build(rows, **kwargs):
    return spreadsheets.workbook_bytes(sheet_title="Проба", header=["А", "Б", "В"], rows=rows, **kwargs)


def test_texts_that_look_like_formulas_are_stored_as_the_literal_text():
    data = build([[text, "Иванова", -5] for text in FORMULAS])
    sheet = reopen(data)
    rows = list(sheet.iter_rows(min_row=2))
    assert [row[0].value for row in rows] == FORMULAS
    assert all(row[0].data_type == "s" and row[0].quotePrefix for row in rows)
    assert all(row[1].value == "Иванова" and not row[1].quotePrefix for row in rows)
    assert all(row[2].value == -5 and row[2].data_type == "n" for row in rows)  # a number stays one
    xml = sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml  # no formula anywhere in the file


def test_without_the_escaping_openpyxl_would_have_written_a_formula():
    """The check above can fail: openpyxl's own default for «=…» is a live formula."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append(["=1+1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "<f>" in sheet_xml(buffer.getvalue())


def test_cells_keep_their_types(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    aware = dt.datetime(2026, 3, 10, 21, 30, tzinfo=zoneinfo.ZoneInfo("UTC"))
    data = build([[dt.date(2026, 3, 10), dt.datetime(2026, 3, 10, 9, 15), aware], [Decimal("82.5"), None, 7]])
    first, second = list(reopen(data).iter_rows(min_row=2))
    assert first[0].value == dt.datetime(2026, 3, 10) and first[0].number_format == "dd.mm.yyyy"
    assert first[1].value == dt.datetime(2026, 3, 10, 9, 15) and first[1].number_format == "dd.mm.yyyy hh:mm"
    assert first[2].value == dt.datetime(2026, 3, 11, 0, 30)  # an aware time in the current zone
    assert second[0].value == 82.5 and second[1].value is None and second[2].value == 7


def test_header_is_bold_and_the_title_row_comes_first():
    sheet = reopen(build([["x", "y", "z"]], title="Контроль сроков: просроченные"))
    rows = list(sheet.iter_rows())
    assert rows[0][0].value == "Контроль сроков: просроченные"
    assert [cell.value for cell in rows[1]] == ["А", "Б", "В"] and all(cell.font.b for cell in rows[1])
    assert [cell.value for cell in rows[2]] == ["x", "y", "z"] and not rows[2][0].font.b
    assert sheet.title == "Проба"


def test_characters_excel_refuses_are_dropped_not_a_500():
    sheet = reopen(build([["Ива\x00нова\x07", "ok", 1]]))
    assert sheet.cell(row=2, column=1).value == "Иванова"


def test_the_cap_refuses_past_the_limit_and_says_so_in_russian():
    assert len(list(reopen(build([["a", "b", "c"]] * 3, limit=3)).iter_rows())) == 4
    with pytest.raises(spreadsheets.TooManyRows) as refusal:
        build(iter([["a", "b", "c"]] * 4), limit=3)
    assert refusal.value.limit == 3
    message = spreadsheets.TooManyRows(50_000).message("выберите муниципалитет")
    assert message == (
        "В выгрузке больше 50\u00a0000 строк — это слишком много для одного файла Excel. "
        "Сузьте отбор: выберите муниципалитет."
    )
    assert spreadsheets.ROW_LIMIT == 50_000


def test_the_cap_stops_reading_at_the_first_row_past_it():
    read = []

    def rows():
        for n in range(1_000_000):
            read.append(n)
            yield [n, n, n]

    with pytest.raises(spreadsheets.TooManyRows):
        build(rows(), limit=10)
    assert len(read) == 11


@pytest.mark.django_db
def test_more_than_counts_no_further_than_the_limit(django_assert_num_queries):
    from tests.factories import make_region

    for n in range(3):
        make_region(name=f"Край {n}")
    from orgstructure.models import Region

    with django_assert_num_queries(1):
        assert spreadsheets.more_than(Region.objects.all(), 2)
    assert not spreadsheets.more_than(Region.objects.all(), 3)


def test_the_response_is_a_private_attachment_with_the_russian_name():
    response = spreadsheets.xlsx_response(
        filename="Список РМА на 01.12.2026.xlsx", sheet_title="Список РМА", header=["ФИО"], rows=[["=1"]]
    )
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    assert f"filename*=UTF-8''{quote('Список РМА на 01.12.2026.xlsx', safe='')}" in disposition
    assert disposition.split('filename="')[1].split('"')[0].isascii()
    assert reopen(response.content).cell(row=2, column=1).value == "=1"


@pytest.mark.parametrize("title", ["Лист: 1/2 [копия]", "", "Очень длинное название листа для выгрузки"])
def test_sheet_titles_excel_refuses_are_made_acceptable(title):
    sheet = reopen(spreadsheets.workbook_bytes(sheet_title=title, header=["x"], rows=[]))
    assert sheet.title and len(sheet.title) <= 31 and not set(sheet.title) & set("[]:*?/\\")


def test_libreoffice_shows_the_literal_text_and_would_have_evaluated_a_plain_cell(tmp_path):
    """Proof by a real spreadsheet program: LibreOffice Calc opens the export and saves it as CSV
    — the escaped texts come out as typed, while the same texts written by openpyxl's default
    (formulas) come out evaluated. Skips without LibreOffice Calc, except in CI
    (PROFROST_REQUIRE_PDF=1, .ci/run installs libreoffice-calc-nogui)."""
    import os
    import shutil
    import subprocess

    from openpyxl import Workbook

    required = os.environ.get("PROFROST_REQUIRE_PDF") == "1"
    binary = shutil.which("soffice") or shutil.which("libreoffice")
    if binary is None:
        if required:
            pytest.fail("PROFROST_REQUIRE_PDF=1, но LibreOffice (soffice) не установлен")
        pytest.skip("LibreOffice (soffice) не установлен")
    texts = ["=1+1", "=2*3", "+4+4", "-5+5", "@SUM(1,1)", '=HYPERLINK("http://example.org","Открыть")']
    (tmp_path / "escaped.xlsx").write_bytes(build([[text, "x", 1] for text in texts]))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("x")
    sheet.append(["=1+1", "=2*3"])
    workbook.save(tmp_path / "plain.xlsx")
    subprocess.run(
        [binary, "--headless", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path),
         str(tmp_path / "escaped.xlsx"), str(tmp_path / "plain.xlsx")],
        check=False, capture_output=True, timeout=180,
    )
    if not (tmp_path / "escaped.csv").exists():
        message = "LibreOffice не открывает .xlsx: нужен пакет libreoffice-calc-nogui"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    import csv

    with open(tmp_path / "escaped.csv", encoding="utf-8") as file:
        escaped = [row[0] for row in csv.reader(file)][1:]
    assert escaped == texts
    assert (tmp_path / "plain.csv").read_text(encoding="utf-8").split() == ["2,6"]


def test_columns_are_as_wide_as_their_values_not_the_header_alone():
    """Every export: the ИОМ registers cut a teacher's name and a school at 12 characters (the widths
    followed the header alone); now the header and the first rows' values size each column, 12 to 60."""
    school = "МАОУ «Средняя общеобразовательная школа № 7» г. Березники"
    data = spreadsheets.workbook_bytes(sheet_title="Лист", header=["№", "Школа", "Комментарий"],
                                       rows=iter([[1, school, None], [2, "СОШ", "x" * 200]]))
    sheet = load_workbook(io.BytesIO(data)).active
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [12, len(school) + 2, 60]
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == [school, "СОШ"]  # no row lost
