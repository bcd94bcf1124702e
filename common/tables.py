""".xlsx imports, the reading half of spreadsheets.py: a workbook checked by common.uploads, its
header row found and mapped to the columns the caller declares, and one row at a time read into
typed values with Russian messages per row.

    table = tables.read_xlsx(data, filename=name, columns=COLUMNS, key="snils")
    for number, cells in table.rows():           # number: the row as Excel shows it
        row = tables.RowReader(table, cells)
        snils = row.text("snils", required=True)
        on = row.date("diagnosed_on", required=True)
        if row.errors: issues.extend(tables.Issue(number, e) for e in row.errors)

An import built on it checks every row before it writes anything and writes all rows or none
(the caller's transaction): a file with one bad row is refused whole, with the list of what to fix
(at most MAX_ERRORS), so nobody has to reconcile a half-imported file.

Reading is bounded: the package by common.uploads (entries, unpacked size, ratio, macros, links),
the rows by `max_rows`, the cells of a row by MAX_COLUMNS. A text cell that starts like a
spreadsheet formula is refused in the columns declared free text (it would run as one in every
export of it, spreadsheets.py).
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import openpyxl

from . import uploads

HEADER_SEARCH_ROWS = 20  # a title may sit above the header
MAX_COLUMNS = 100
MAX_ERRORS = 1_000
FORMULA_STARTS = frozenset("=+-@")
DATE_HINT = "ДД.ММ.ГГГГ или ячейка-дата Excel"


class TableError(Exception):
    """The file as a whole cannot be read (type, package, header); the message is Russian."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    hint: str = ""
    required: bool = True  # the column must be in the header (a cell may still be optional)
    aliases: tuple[str, ...] = ()
    free_text: bool = False  # refuse a cell that starts like a formula


@dataclass(frozen=True)
class Issue:
    """One reason a file is refused; `row` as Excel numbers it, None for the file as a whole."""

    row: int | None
    message: str

    def __str__(self):
        return f"Строка {self.row}: {self.message}" if self.row else self.message


_QUOTES = str.maketrans({c: '"' for c in "«»“”„‟″'`"})
_DASHES = re.compile(r"\s*[-‐‑‒–—−]\s*")
_NUMBER_SIGN = re.compile(r"№\s*")
_PARENTHESES = re.compile(r"\([^)]*\)")


def normalize(value) -> str:
    """The key two names are compared by: «МБОУ "СОШ №5"» matches «мбоу «Сош № 5»»."""
    text = " ".join(str(value).split()).casefold().replace("ё", "е").translate(_QUOTES)
    text = _DASHES.sub(" - ", text)
    return _NUMBER_SIGN.sub("№ ", text).strip()


def normalize_header(value) -> str:
    text = _PARENTHESES.sub(" ", str(value or "")).replace("*", " ")
    return normalize(text).strip(" .:")


def choice_map(pairs: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """{value: (spelling, …)} → {normalized spelling: value}, for RowReader.choice."""
    return {normalize(alias): value for value, aliases in pairs.items() for alias in aliases}


YES_NO = choice_map({True: ("да", "д", "1", "+", "истина"), False: ("нет", "н", "0", "-", "ложь")})


def clean_text(value) -> str:
    """A cell as trimmed text with single spaces (Excel exports love non-breaking spaces)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    return " ".join(str(value).split())


@dataclass
class Table:
    filename: str
    columns: tuple[Column, ...]
    positions: dict[str, int]
    ignored: list[str]
    header_row: int  # as Excel numbers it
    _rows: Iterator[list] = field(repr=False)
    max_rows: int = 100_000

    def column(self, key: str) -> Column:
        return self._by_key[key]

    def __post_init__(self):
        self._by_key = {column.key: column for column in self.columns}

    def has(self, key: str) -> bool:
        return key in self.positions

    def rows(self) -> Iterator[tuple[int, list]]:
        """(Excel row number, cells) of every non-empty row below the header. Raises TableError
        past `max_rows`."""
        count = 0
        for number, cells in enumerate(self._rows, start=self.header_row + 1):
            if all(clean_text(cell) == "" for cell in cells):
                continue
            count += 1
            if count > self.max_rows:
                limit = f"{self.max_rows:,}".replace(",", "\u00a0")
                raise TableError(f"В файле «{self.filename}» больше {limit} строк; разделите его на несколько файлов.")
            yield number, cells


def read_xlsx(data: bytes, *, filename: str, columns: Sequence[Column], key: str, max_rows: int = 100_000) -> Table:
    """The table of the first sheet whose header (within the first rows) names the `key` column.
    The workbook is inspected by common.uploads before openpyxl parses it."""
    try:
        uploads.check_bytes(data, name=filename, accept={uploads.Kind.XLSX})
    except uploads.UploadRefused as refused:
        text = refused.messages[0]
        raise TableError(text if text.endswith(".") else f"{text}.") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged workbook
        raise TableError(f"Не удалось прочитать книгу Excel «{filename}»: файл повреждён.") from exc
    headers = {normalize_header(name): column.key for column in columns for name in (column.header, *column.aliases)}
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True, max_col=min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS))
            head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
            for index, row in enumerate(head):
                if any(headers.get(normalize_header(cell)) == key for cell in row if cell is not None):
                    positions, ignored = map_header(row, columns, headers)
                    rest = itertools.chain((list(r) for r in head[index + 1 :]), (list(r) for r in rows))
                    return Table(
                        filename, tuple(columns), positions, ignored, index + 1, _guarded(rest, filename), max_rows
                    )
    except TableError:
        workbook.close()
        raise
    except Exception as exc:
        workbook.close()
        raise TableError(f"Не удалось прочитать книгу Excel «{filename}»: файл повреждён.") from exc
    workbook.close()
    key_header = next(column.header for column in columns if column.key == key)
    raise TableError(
        f"В файле «{filename}» не найдена строка заголовка: нет столбца «{key_header}» "
        f"в первых {HEADER_SEARCH_ROWS} строках."
    )


def _guarded(rows: Iterator[list], filename: str) -> Iterator[list]:
    try:
        yield from rows
    except Exception as exc:  # a part that is damaged further in
        raise TableError(f"Не удалось прочитать книгу Excel «{filename}»: файл повреждён.") from exc


def map_header(row, columns: Sequence[Column], headers: dict[str, str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    by_key = {column.key: column for column in columns}
    for index, cell in enumerate(row):
        title = clean_text(cell)
        if not title:
            continue
        found = headers.get(normalize_header(title))
        if found is None:
            ignored.append(title)
        elif found in positions:
            raise TableError(f"Столбец «{by_key[found].header}» встречается в заголовке дважды.")
        else:
            positions[found] = index
    missing = [column.header for column in columns if column.required and column.key not in positions]
    if missing:
        raise TableError("В файле нет обязательных столбцов: " + ", ".join(f"«{name}»" for name in missing) + ".")
    return positions, ignored


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")


def parse_date(text: str) -> dt.date | None:
    """ДД.ММ.ГГГГ (or ISO) as a date; None for anything else, or a date that does not exist."""
    match = _DMY.match(text.strip())
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (match := _ISO.match(text.strip())):
        parts = match.groups()
    if parts is None:
        return None
    try:
        return dt.date(*(int(part) for part in parts))
    except ValueError:
        return None


class RowReader:
    """The cells of one row as typed values; what is wrong goes to `errors` (Russian, without the
    row number), and the value read is None."""

    def __init__(self, table: Table, cells: list):
        self.table = table
        self.cells = cells
        self.errors: list[str] = []

    def raw(self, key: str):
        index = self.table.positions.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def _header(self, key: str) -> str:
        return self.table.column(key).header

    def text(self, key: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = clean_text(self.raw(key))
        header = self._header(key)
        if required and not value:
            self.errors.append(f"не заполнен столбец «{header}»")
        elif max_length and len(value) > max_length:
            self.errors.append(f"«{header}» длиннее {max_length} символов")
        elif self.table.column(key).free_text and value[:1] in FORMULA_STARTS:
            self.errors.append(
                f"«{header}» начинается с «{value[0]}» — так начинаются формулы электронных таблиц; "
                "исправьте ячейку (если значения нет, оставьте её пустой)"
            )
        return value

    def items(self, key: str, *, max_length: int | None = None) -> list[str]:
        """A list in one cell, separated by «;» or line breaks; empty parts dropped."""
        raw = self.raw(key)
        text = "" if raw is None else str(raw)
        parts = [" ".join(part.split()) for part in re.split(r"[;\n]", text)]
        values = [part for part in parts if part]
        header = self._header(key)
        for value in values:
            if max_length and len(value) > max_length:
                self.errors.append(f"элемент «{value[:40]}…» в столбце «{header}» длиннее {max_length} символов")
            elif self.table.column(key).free_text and value[:1] in FORMULA_STARTS:
                self.errors.append(f"«{value[:40]}» в столбце «{header}» начинается с «{value[0]}», как формула")
        return values

    def choice(self, key: str, values: Mapping[str, str], hint: str, *, required: bool = True):
        text = self.text(key, required=required)
        if not text:
            return None
        value = values.get(normalize(text))
        if value is None:
            self.errors.append(f"неизвестное значение «{text}» в столбце «{self._header(key)}»; допустимо: {hint}")
        return value

    def yes_no(self, key: str, *, default: bool | None = None):
        raw = self.raw(key)
        if isinstance(raw, bool):
            return raw
        text = clean_text(raw)
        if not text:
            if default is None:
                self.errors.append(f"не заполнен столбец «{self._header(key)}»")
            return default
        value = YES_NO.get(normalize(text))
        if value is None:
            self.errors.append(f"в столбце «{self._header(key)}» ожидается «да» или «нет», а не «{text}»")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        raw = self.raw(key)
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = clean_text(raw)
        header = self._header(key)
        if not text:
            if required:
                self.errors.append(f"не заполнен столбец «{header}»")
            return None
        value = parse_date(text)
        if value is None:
            if _DMY.match(text) or _ISO.match(text):
                self.errors.append(f"«{header}»: даты {text} не существует")
            else:
                self.errors.append(f"«{header}»: «{text}» — ожидается дата в виде ДД.ММ.ГГГГ")
        return value

    def number(
        self, key: str, *, required: bool = False, low=None, high=None, places: int | None = None, integer: bool = False
    ) -> Decimal | int | None:
        """A number (a decimal comma is fine) within [low, high]; an integer if `integer`."""
        raw = self.raw(key)
        header = self._header(key)
        if isinstance(raw, bool):
            raw = None
        text = clean_text(raw).replace("\u00a0", "").replace(" ", "").replace(",", ".").rstrip("%")
        if not text:
            if required:
                self.errors.append(f"не заполнен столбец «{header}»")
            return None
        try:
            value = Decimal(str(raw)) if isinstance(raw, int | float) else Decimal(text)
        except InvalidOperation:
            self.errors.append(f"«{header}»: «{clean_text(raw)}» — не число")
            return None
        if not value.is_finite():
            self.errors.append(f"«{header}»: «{clean_text(raw)}» — не число")
            return None
        if integer and value != value.to_integral_value():
            self.errors.append(f"«{header}»: ожидается целое число, а не {clean_text(raw)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.errors.append(f"«{header}»: {clean_text(raw)} — вне допустимых значений от {low} до {high}")
            return None
        if integer:
            return int(value)
        if places is not None:
            value = value.quantize(Decimal(1).scaleb(-places))
        return value
