""".xlsx exports: one write-only workbook with an optional title row, a bold header row and typed
cells, offered as an attachment that is never cached — always capped, always formula-safe.

    try:
        return spreadsheets.xlsx_response(
            filename="Список РМА на 01.12.2026.xlsx", sheet_title="Список РМА", header=COLUMNS, rows=rows
        )
    except spreadsheets.TooManyRows as refusal:
        messages.error(request, refusal.message("выберите муниципалитет"))
        return redirect(...)

Why capped: the workbook is assembled in memory before it is sent (openpyxl's write-only mode
keeps rows compact, but the zip is written at the end), so an export of any size would take a
web worker's memory. A view that can count cheaply checks `more_than(queryset, limit)` first and
refuses before reading a row; the cap inside `xlsx_response` is the guarantee for every caller.

Why formula-safe: a text that starts with «=», «+», «-», «@», a tab or a carriage return is what
spreadsheet programs take for a formula (a staff name «=HYPERLINK(…)» imported from a school's
file would become a live link in a coordinator's Excel). Such a text is written as an explicit
string cell with the «quote prefix» flag — what Excel stores for a text typed with a leading
apostrophe — so it is shown as typed, never evaluated, and stays text when the cell is edited.

Cells keep their types: numbers as numbers, dates as dates (shown ДД.ММ.ГГГГ), datetimes as
datetimes (aware ones in the current time zone, Excel has none), None as an empty cell.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
import itertools
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .http import bytes_attachment

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROW_LIMIT = 50_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
MAX_SHEET_TITLE = 31  # Excel's limit
MAX_CELL_TEXT = 32_767  # Excel's limit


class TooManyRows(Exception):
    """The selection has more rows than one export may hold."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit} rows")
        self.limit = limit

    def message(self, hint: str = "") -> str:
        """«В выгрузке больше 50 000 строк — … Сузьте отбор: <hint>.»"""
        limit_text = f"{self.limit:,}".replace(",", "\u00a0")  # 50 000, the Russian way
        text = f"В выгрузке больше {limit_text} строк — это слишком много для одного файла Excel. Сузьте отбор"
        return f"{text}: {hint}." if hint else f"{text}."


def more_than(queryset, limit: int = ROW_LIMIT) -> bool:
    """Whether the queryset has more than `limit` rows, counted no further than limit + 1."""
    return queryset.values("pk")[: limit + 1].count() > limit


def formula_safe(text: str) -> bool:
    return not text.startswith(FORMULA_STARTS)


def workbook_bytes(
    *,
    sheet_title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    title: str = "",
    limit: int = ROW_LIMIT,
    column_widths: Sequence[float] | None = None,
) -> bytes:
    """The .xlsx file: `title` (if any) in the first row, the bold header, then the rows.
    Raises TooManyRows as soon as a row past `limit` arrives."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(sheet_title))
    rows = iter(rows)
    # A write-only sheet takes its widths before the rows: they follow the header and the first
    # rows' values (a name or a school cut at 12 characters, when they followed the header alone).
    sample = list(itertools.islice(rows, min(WIDTH_SAMPLE, limit + 1)))  # never past the cap
    widths = column_widths or _widths(header, sample)
    rows = itertools.chain(sample, rows)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if title:
        sheet.append([_cell(sheet, title, bold=True)])
    sheet.append([_cell(sheet, name, bold=True) for name in header])
    for count, row in enumerate(rows, start=1):
        if count > limit:
            _discard(sheet)
            raise TooManyRows(limit)
        sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


WIDTH_SAMPLE = 200  # rows read ahead to size the columns


def _widths(header: Sequence[str], sample: list) -> list[int]:
    """Each column as wide as its longest text among the header and the sampled values, 12 to 60."""
    longest = [len(str(name)) for name in header]
    for row in sample:
        for index, value in enumerate(row[: len(longest)]):
            if value is not None:
                longest[index] = max(longest[index], len(str(value)))
    return [max(12, min(length + 2, 60)) for length in longest]


def xlsx_response(*, filename: str, **workbook) -> HttpResponse:
    """The export (the arguments of `workbook_bytes`) as a download named `filename` (Russian is
    fine), private and not stored by any cache. Raises TooManyRows (nothing is sent) when the
    rows pass the limit."""
    return bytes_attachment(workbook_bytes(**workbook), filename=filename, content_type=XLSX_CONTENT_TYPE)


def _discard(sheet) -> None:
    """Finish the half-written sheet and remove its temporary file (openpyxl would only remove
    it when the process exits)."""
    sheet.close()
    writer = getattr(sheet, "_writer", None)
    with contextlib.suppress(Exception):  # best effort: the refusal matters, not the cleanup
        writer.cleanup()


def _sheet_title(title: str) -> str:
    for char in "[]:*?/\\":
        title = title.replace(char, " ")
    return title.strip()[:MAX_SHEET_TITLE] or "Лист1"


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, bool | int | float | decimal.Decimal):
        cell = WriteOnlyCell(sheet, value=value)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))[:MAX_CELL_TEXT]
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # openpyxl itself would store a text starting with «=» as a formula
        if not formula_safe(text):
            cell.quotePrefix = True
    if bold:
        cell.font = Font(bold=True)
    return cell
