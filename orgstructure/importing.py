"""Staff import: one row per pedagogical worker, from the .xlsx or .csv a regional ministry exports.

The file is the source of truth for the people it lists. Every row is checked before anything is
written, and a file with a single bad row imports nothing: the user fixes the file and uploads it
again, so there is never a half-imported region to reconcile. People are matched by СНИЛС;
municipalities and organizations by name within the region (case, ё/е, quotes and spacing do not
matter) and created when missing; the region must already exist. People absent from the file are
left alone: the import never dismisses anybody. The column format is documented for users in
docs/import-format.md; keep the two in step.

Matching is done against a few bulk reads and the writes are bulk inserts/updates, so a regional
file of thousands of rows costs a constant number of queries, not one per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from common import tables, uploads
from common.tables import choice_map as _choice_map
from common.tables import clean_text as _clean_text
from common.tables import normalize as normalize_name
from common.tables import normalize_header

from .events import announce
from .identifiers import inn_is_valid, snils_format, snils_is_valid
from .models import (
    EducationLevel,
    Membership,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    QualificationCategory,
    Region,
    Role,
    Sex,
    Subject,
)

logger = logging.getLogger(__name__)

AUDIT_EVENT = "staff_import"
HEADER_SEARCH_ROWS = 20  # a title such as «Сведения о педагогических работниках» may sit above the header
# Bounds of reading (the .xlsx itself is bounded by common.uploads: entries, unpacked size, ratio).
MAX_ROWS = 100_000  # rows below the header: twice the teachers of a large region; a bigger file is split
MAX_COLUMNS = 100  # cells kept of a row (the format has 22 columns)
MAX_LINE_CHARS = 64 * 1024  # a CSV line longer than this is not a staff table
MAX_ERRORS = 1_000  # the check stops here: nobody fixes more at once, and each costs memory
MUNICIPAL_KINDS = {
    OrganizationKind.MUNI_AUTHORITY,
    OrganizationKind.MMS,
    OrganizationKind.SCHOOL,
    OrganizationKind.KINDERGARTEN,
}  # the kinds Organization's check constraint requires a municipality for
DB_CHUNK = 900  # below SQLite's historical limit of 999 query parameters


# ---------------------------------------------------------------------------------------------
# Result


@dataclass(frozen=True)
class StaffImportIssue:
    """One reason the file was refused; `row` is the row number as Excel shows it (header = 1),
    None for a problem with the file as a whole."""

    row: int | None
    message: str

    def __str__(self):
        return f"Строка {self.row}: {self.message}" if self.row else self.message


@dataclass
class StaffImportResult:
    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    municipalities_created: int = 0
    subjects_created: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[StaffImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "organizations_created": self.organizations_created,
            "municipalities_created": self.municipalities_created,
            "subjects_created": self.subjects_created,
        }

    def summary(self) -> str:
        if self.errors:
            return f"Файл «{self.filename}» не импортирован: ошибок — {len(self.errors)}. Ничего не записано."
        head = (
            f"Проверка файла «{self.filename}» без записи: ошибок нет"
            if self.dry_run
            else f"Импорт кадров из «{self.filename}» выполнен"
        )
        verb = "было бы " if self.dry_run else ""
        text = (
            f"{head}. Строк: {self.rows}; {verb}создано работников: {self.created}, "
            f"{verb}обновлено: {self.updated}, без изменений: {self.unchanged}."
        )
        extra = [
            ("организаций", self.organizations_created),
            ("муниципалитетов", self.municipalities_created),
            ("предметов", self.subjects_created),
        ]
        extra_text = ", ".join(f"{label} — {count}" for label, count in extra if count)
        if extra_text:
            text += f" В справочники {'было бы добавлено' if self.dry_run else 'добавлено'}: {extra_text}."
        if self.ignored_columns:
            text += " Пропущены неизвестные столбцы: " + ", ".join(f"«{c}»" for c in self.ignored_columns) + "."
        return text


class StaffFileError(Exception):
    """The file as a whole cannot be read (type, size, encoding, header)."""


# ---------------------------------------------------------------------------------------------
# Columns


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    hint: str
    required: bool = True
    aliases: tuple[str, ...] = ()


DATE_HINT = "ДД.ММ.ГГГГ или ячейка-дата Excel"
COLUMNS = (
    Column("region", "Регион", "должен уже быть в справочнике; один файл — один регион"),
    Column(
        "municipality",
        "Муниципалитет",
        "обязателен для новых школ, детских садов, органов управления образованием и ММС; создаётся, если его нет",
        required=False,
        aliases=("Муниципальное образование",),
    ),
    Column(
        "organization",
        "Организация",
        "полное наименование; создаётся, если её нет в регионе",
        aliases=("Наименование организации", "Образовательная организация"),
    ),
    Column(
        "organization_kind",
        "Вид организации",
        "например «Общеобразовательная организация» (или «школа»)",
        aliases=("Тип организации",),
    ),
    Column("inn", "ИНН организации", "10 цифр", required=False, aliases=("ИНН",)),
    Column("snils", "СНИЛС", "XXX-XXX-XXX YY; по нему находится работник"),
    Column("last_name", "Фамилия", ""),
    Column("first_name", "Имя", ""),
    Column("middle_name", "Отчество", "", required=False),
    Column("sex", "Пол", "м или ж"),
    Column("birth_date", "Дата рождения", DATE_HINT),
    Column("position", "Должность", ""),
    Column(
        "subjects",
        "Предметы",
        "через «;»; новые предметы добавляются в справочник",
        required=False,
        aliases=("Преподаваемые предметы",),
    ),
    Column("employed_since", "Работает в организации с", DATE_HINT, aliases=("Дата приёма в организацию",)),
    Column(
        "category",
        "Квалификационная категория",
        "без категории / соответствие занимаемой должности / первая / высшая",
        aliases=("Категория",),
    ),
    Column("category_assigned_on", "Дата присвоения категории", "обязательна для первой и высшей"),
    Column(
        "category_valid_until",
        "Категория действительна до",
        "обязательна для первой и высшей",
        aliases=("Дата окончания действия категории",),
    ),
    Column("education_level", "Уровень образования", "например «высшее» или «среднее профессиональное»"),
    Column("education_is_pedagogical", "Педагогическое образование", "да / нет"),
    Column("has_pedagogical_retraining", "Переподготовка по педагогическому профилю", "да / нет"),
    Column(
        "specialty_experience_since",
        "Стаж по специальности с",
        "дата, с которой стаж непрерывен (с учётом перерывов)",
        aliases=("Стаж по специальности исчисляется с",),
    ),
    Column(
        "email",
        "Электронная почта",
        "",
        required=False,
        aliases=("E-mail", "Email", "Эл. почта"),
    ),
)
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# How a date column is named inside a sentence: «Строка 9: дата рождения 31.02.1980 не существует».
DATE_PHRASES = {
    "birth_date": "дата рождения",
    "employed_since": "дата начала работы в организации",
    "category_assigned_on": "дата присвоения категории",
    "category_valid_until": "дата окончания действия категории",
    "specialty_experience_since": "дата начала стажа по специальности",
}
# Optional person columns: when the column is absent the field of an existing person is left as
# it is; when present, an empty cell clears it.
OPTIONAL_PERSON_COLUMNS = {"middle_name": "middle_name", "email": "email"}


# ---------------------------------------------------------------------------------------------
# Normalization


SEX_VALUES = _choice_map(
    {Sex.MALE: ("м", "м.", "муж", "муж.", "мужской"), Sex.FEMALE: ("ж", "ж.", "жен", "жен.", "женский")}
)
CATEGORY_VALUES = _choice_map(
    {
        QualificationCategory.NONE: ("без категории", "нет категории", "нет"),
        QualificationCategory.CONFORMITY: ("соответствие занимаемой должности", "соответствие", "СЗД"),
        QualificationCategory.FIRST: ("первая", "первая категория", "первая квалификационная категория"),
        QualificationCategory.HIGHEST: ("высшая", "высшая категория", "высшая квалификационная категория"),
    }
)
CATEGORY_WORDS = {
    QualificationCategory.NONE: "без категории",
    QualificationCategory.CONFORMITY: "соответствие занимаемой должности",
    QualificationCategory.FIRST: "первая",
    QualificationCategory.HIGHEST: "высшая",
}
EDUCATION_VALUES = _choice_map(
    {
        EducationLevel.SECONDARY_VOCATIONAL: ("среднее профессиональное", "СПО"),
        EducationLevel.HIGHER: ("высшее",),
        EducationLevel.HIGHER_BACHELOR: ("высшее — бакалавриат", "бакалавриат"),
        EducationLevel.HIGHER_SPECIALIST: ("высшее — специалитет", "специалитет"),
        EducationLevel.HIGHER_MASTER: ("высшее — магистратура", "магистратура"),
        EducationLevel.POSTGRADUATE: (
            "высшее — подготовка кадров высшей квалификации",
            "подготовка кадров высшей квалификации",
            "аспирантура",
        ),
    }
)
KIND_VALUES = _choice_map(
    {
        OrganizationKind.MINISTRY: ("министерство", "РОИВ"),
        OrganizationKind.CNPPMPR: ("ЦНППМПР",),
        OrganizationKind.IRO: ("институт развития образования", "ИРО"),
        OrganizationKind.COPMKP: ("ЦОПМКП",),
        OrganizationKind.DPO: ("иная организация ДПО", "организация ДПО"),
        OrganizationKind.MUNI_AUTHORITY: (
            "орган управления образованием МО",
            "орган управления образованием",
        ),
        OrganizationKind.MMS: ("муниципальная методическая служба", "ММС"),
        OrganizationKind.SCHOOL: ("общеобразовательная организация", "школа"),
        OrganizationKind.KINDERGARTEN: ("дошкольная образовательная организация", "детский сад", "ДОО"),
        OrganizationKind.ADDITIONAL: ("организация дополнительного образования",),
        OrganizationKind.COLLEGE: ("профессиональная образовательная организация", "колледж", "техникум"),
        OrganizationKind.UNIVERSITY: ("образовательная организация высшего образования", "вуз"),
    }
)
for _kind in OrganizationKind:  # the full labels, e.g. «Институт развития образования (ИРО)»
    KIND_VALUES.setdefault(normalize_name(_kind.label), _kind.value)
KIND_HINT = ", ".join(kind.label for kind in OrganizationKind)
EDUCATION_HINT = ", ".join(level.label.lower() for level in EducationLevel)
YES_NO = _choice_map({True: ("да", "д", "1", "+", "истина"), False: ("нет", "н", "0", "-", "ложь")})


# ---------------------------------------------------------------------------------------------
# Reading the file


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " МБ"
    return f"{max(size // 1024, 1)} КБ"


def _read_limited(file, filename: str) -> bytes:
    """The whole file, refused (not truncated) above settings.PROFROST_MAX_UPLOAD_BYTES; never
    read past the limit (an upload stopped by common.uploads' handler has no content at all)."""
    limit = settings.PROFROST_MAX_UPLOAD_BYTES
    too_big = f"Файл «{filename}» больше допустимого размера {human_size(limit)}."
    if getattr(file, "oversize", False) or (getattr(file, "size", None) or 0) > limit:
        raise StaffFileError(too_big)
    data = file.read(limit + 1)
    if len(data) > limit:
        raise StaffFileError(too_big)
    if not data:
        raise StaffFileError(f"Файл «{filename}» пуст.")
    return data


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and password-protected workbooks
_ZIP_MAGIC = b"PK\x03\x04"


def _inspected(data: bytes, filename: str, kind: uploads.Kind, messages: dict[str, str]) -> uploads.CheckedFile:
    """common.uploads' inspection (bombs, macros, external links, embedded objects, binary text)
    before anything parses the file; its refusals read as this import's other messages do."""
    try:
        return uploads.check_bytes(data, name=filename, accept={kind})
    except uploads.UploadRefused as exc:
        text = messages.get(exc.code) or exc.messages[0]
        raise StaffFileError(text if text.endswith(".") else f"{text}.") from None


def _xlsx_rows(data: bytes, filename: str) -> Iterator[list]:
    not_xlsx = (
        f"Файл «{filename}» не является книгой Excel (.xlsx): его содержимое имеет другой формат. "
        "Сохраните таблицу как «Книга Excel (*.xlsx)» или как CSV."
    )
    legacy = (
        f"Файл «{filename}» — книга в старом формате Excel 97–2003 (.xls) или защищённая паролем. "
        "Сохраните её без пароля как «Книга Excel (*.xlsx)»."
    )
    damaged = f"Не удалось прочитать книгу Excel «{filename}»: файл повреждён."
    _inspected(
        data,
        filename,
        uploads.Kind.XLSX,
        {
            "file_type": not_xlsx,
            "file_not_zip": not_xlsx,
            "file_not_office": not_xlsx,
            "file_legacy_office": legacy,
            "file_encrypted": legacy,
            "file_damaged": damaged,
        },
    )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged workbook
        raise StaffFileError(damaged) from exc
    return _workbook_rows(workbook, filename)


def _workbook_rows(workbook, filename: str) -> Iterator[list]:
    """The rows of the first sheet with a header row (or of the first sheet), streamed: a read-only
    workbook keeps one row in memory, and at most MAX_COLUMNS cells of it."""
    try:
        chosen = None
        for sheet in workbook.worksheets:
            head = [list(row) for row in itertools.islice(_sheet_rows(sheet), HEADER_SEARCH_ROWS)]
            if _find_header(head) is not None:
                chosen = sheet
                break
        chosen = chosen or (workbook.worksheets[0] if workbook.worksheets else None)
        if chosen is not None:
            for row in _sheet_rows(chosen):
                yield list(row)
    except StaffFileError:
        raise
    except Exception as exc:  # a part that is damaged further in
        raise StaffFileError(f"Не удалось прочитать книгу Excel «{filename}»: файл повреждён.") from exc
    finally:
        workbook.close()


def _sheet_rows(sheet):
    """Rows are padded to the sheet's declared width: at most MAX_COLUMNS of it."""
    return sheet.iter_rows(values_only=True, max_col=min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS))


def _csv_rows(data: bytes, filename: str) -> Iterator[list]:
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        raise StaffFileError(f"Файл «{filename}» — не текстовый CSV, а книга Excel. Загрузите её с расширением .xlsx.")
    checked = _inspected(
        data,
        filename,
        uploads.Kind.CSV,
        {
            "file_utf16": (
                f"Файл «{filename}» в кодировке UTF-16. Сохраните его как «CSV UTF-8 (разделитель — запятая)» "
                "или «CSV (разделители — точка с запятой)»."
            ),
            "file_binary": f"Файл «{filename}» не является текстовым CSV: в нём двоичные данные.",
            "file_encoding": (f"Не удалось прочитать CSV «{filename}»: ожидается кодировка UTF-8 или Windows-1251."),
            "file_type": f"Файл «{filename}» не является текстовым CSV: в нём двоичные данные.",
        },
    )
    text = data.decode(checked.encoding)
    lines = text[: MAX_LINE_CHARS * HEADER_SEARCH_ROWS].splitlines()[:HEADER_SEARCH_ROWS]
    probe = next((line for line in lines if "снилс" in line.casefold()), lines[0] if lines else "")
    delimiter = ";" if probe.count(";") >= probe.count(",") and ";" in probe else ","
    return _csv_stream(text, delimiter, filename)


def _csv_stream(text: str, delimiter: str, filename: str) -> Iterator[list]:
    """Rows one at a time, a line at most MAX_LINE_CHARS long and at most MAX_COLUMNS cells kept."""

    def lines():
        for line in io.StringIO(text, newline=""):
            if len(line) > MAX_LINE_CHARS:
                raise StaffFileError(
                    f"Файл «{filename}»: слишком длинная строка (больше {MAX_LINE_CHARS:,} символов) — "
                    "это не таблица кадров.".replace(",", " ")
                )
            yield line

    try:
        for row in csv.reader(lines(), delimiter=delimiter):
            yield row[:MAX_COLUMNS]
    except csv.Error as exc:
        logger.info("unparsable staff CSV %s: %s", filename, exc)
        raise StaffFileError(
            f"Не удалось разобрать CSV «{filename}»: проверьте кавычки и разделители столбцов."
        ) from exc


def read_rows(*, data: bytes, filename: str) -> Iterator[list]:
    """The cells of the file, row by row, decided by its content; the extension only says what the
    user meant to upload, and a mismatch is refused rather than guessed around. The file is
    inspected (common.uploads) before anything parses it; the errors of the inspection are raised
    here, those of a damaged part further in while the rows are read."""
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(data, filename)
    if suffix in (".csv", ".txt"):
        return _csv_rows(data, filename)
    if suffix == ".xls":
        raise StaffFileError(
            f"Формат .xls (Excel 97–2003) не поддерживается: сохраните «{filename}» как .xlsx или CSV."
        )
    raise StaffFileError(f"Файл «{filename}» не поддерживается: загрузите таблицу .xlsx или .csv.")


_HEADER_KEYS = {normalize_header(name): column.key for column in COLUMNS for name in (column.header, *column.aliases)}


def _find_header(rows: list[list]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(_HEADER_KEYS.get(normalize_header(cell)) == "snils" for cell in row if cell is not None):
            return index
    return None


def _map_header(row: list) -> tuple[dict[str, int], list[str]]:
    try:
        return tables.map_header(row, COLUMNS, _HEADER_KEYS)
    except tables.TableError as exc:
        raise StaffFileError(str(exc)) from exc


# ---------------------------------------------------------------------------------------------
# Parsing one row (no database)


_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*г\.?)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$")


# What starts a formula in Excel and LibreOffice; no name, title or position starts so. (Tabs and
# line breaks before it are gone already: cells are trimmed.)
FORMULA_STARTS = frozenset("=+-@")
# Free-text columns, checked for FORMULA_STARTS; choice, date and code columns have their own checks.
FREE_TEXT_KEYS = frozenset(
    {"region", "municipality", "organization", "last_name", "first_name", "middle_name", "position"}
)


@dataclass
class _Row:
    number: int
    region: str
    municipality: str
    organization: str
    kind: str
    inn: str
    person: dict
    subjects: list[str] | None  # None: the column is absent, leave subjects alone


class _RowParser:
    def __init__(self, *, positions: dict[str, int], today: dt.date):
        self.positions = positions
        self.today = today

    def parse(self, number: int, cells: list) -> tuple[_Row | None, list[str]]:
        self.cells = cells
        self.errors: list[str] = []
        region = self._text("region", required=True)
        organization = self._text("organization", required=True, max_length=_max("organization", "name"))
        municipality = self._text("municipality", max_length=_max("municipality", "name"))
        kind = self._choice("organization_kind", KIND_VALUES, KIND_HINT)
        inn = self._inn()
        person = {
            "snils": self._snils(),
            "last_name": self._text("last_name", required=True, max_length=_max("person", "last_name")),
            "first_name": self._text("first_name", required=True, max_length=_max("person", "first_name")),
            "sex": self._choice("sex", SEX_VALUES, "м, ж"),
            "birth_date": self._date("birth_date", required=True),
            "position": self._text("position", required=True, max_length=_max("person", "position")),
            "employed_since": self._date("employed_since", required=True),
            "category": self._choice("category", CATEGORY_VALUES, ", ".join(CATEGORY_WORDS.values())),
            "category_assigned_on": self._date("category_assigned_on"),
            "category_valid_until": self._date("category_valid_until"),
            "education_level": self._choice("education_level", EDUCATION_VALUES, EDUCATION_HINT),
            "education_is_pedagogical": self._yes_no("education_is_pedagogical"),
            "has_pedagogical_retraining": self._yes_no("has_pedagogical_retraining"),
            "specialty_experience_since": self._date("specialty_experience_since", required=True),
        }
        if "middle_name" in self.positions:
            person["middle_name"] = self._text("middle_name", max_length=_max("person", "middle_name"))
        if "email" in self.positions:
            person["email"] = self._email()
        subjects = self._subjects() if "subjects" in self.positions else None
        self._check_dates(person)
        if self.errors:
            return None, self.errors
        row = _Row(number, region, municipality, organization, kind, inn, person, subjects)
        return row, []

    # cells

    def _raw(self, key):
        index = self.positions.get(key)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def _text(self, key, *, required=False, max_length=None) -> str:
        value = _clean_text(self._raw(key))
        header = COLUMN_BY_KEY[key].header
        if required and not value:
            self.errors.append(f"не заполнен столбец «{header}»")
        elif max_length and len(value) > max_length:
            self.errors.append(f"«{header}» длиннее {max_length} символов")
        elif key in FREE_TEXT_KEYS:
            self._refuse_formula(header, value)
        return value

    def _refuse_formula(self, header: str, value: str) -> None:
        """A name never starts like a spreadsheet formula; such a cell would run as one in every
        .xlsx export of it (and «-» for «нет отчества» is an empty cell, not a name)."""
        if value[:1] in FORMULA_STARTS:
            self.errors.append(
                f"«{header}» начинается с «{value[0]}» — так начинаются формулы электронных таблиц, "
                "а не названия и имена; исправьте ячейку (если значения нет, оставьте её пустой)"
            )

    def _choice(self, key, values: dict, hint: str):
        text = self._text(key, required=True)
        if not text:
            return None
        value = values.get(normalize_name(text))
        if value is None:
            self.errors.append(
                f"неизвестное значение «{text}» в столбце «{COLUMN_BY_KEY[key].header}»; допустимо: {hint}"
            )
        return value

    def _yes_no(self, key):
        raw = self._raw(key)
        if isinstance(raw, bool):
            return raw
        text = self._text(key, required=True)
        if not text:
            return None
        value = YES_NO.get(normalize_name(text))
        if value is None:
            self.errors.append(f"в столбце «{COLUMN_BY_KEY[key].header}» ожидается «да» или «нет», а не «{text}»")
        return value

    def _date(self, key, *, required=False) -> dt.date | None:
        raw = self._raw(key)
        phrase = DATE_PHRASES[key]
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        text = _clean_text(raw)
        if not text:
            if required:
                self.errors.append(f"не заполнен столбец «{COLUMN_BY_KEY[key].header}»")
            return None
        match = _DMY.match(text)
        parts = (match.group(3), match.group(2), match.group(1)) if match else None
        if parts is None and (match := _ISO.match(text)):
            parts = match.groups()
        if parts is None:
            self.errors.append(f"{phrase} «{text}» — ожидается дата в виде ДД.ММ.ГГГГ")
            return None
        try:
            return dt.date(*(int(part) for part in parts))
        except ValueError:
            self.errors.append(f"{phrase} {text} не существует")
            return None

    def _snils(self) -> str | None:
        raw = self._raw("snils")
        text = _clean_text(raw)
        if not text:
            self.errors.append("не заполнен столбец «СНИЛС»")
            return None
        digits = re.sub(r"[\s-]", "", text)
        if not digits.isdigit():
            self.errors.append(f"СНИЛС «{text}» должен состоять из 11 цифр (XXX-XXX-XXX YY)")
            return None
        if 9 <= len(digits) < 11:  # a numeric Excel cell drops the leading zeros
            digits = digits.zfill(11)
        if len(digits) != 11:
            self.errors.append(f"СНИЛС «{text}» должен состоять из 11 цифр (XXX-XXX-XXX YY)")
            return None
        formatted = snils_format(digits)
        if not snils_is_valid(digits):
            self.errors.append(f"неверная контрольная сумма СНИЛС {formatted}")
            return None
        return formatted

    def _inn(self) -> str:
        text = _clean_text(self._raw("inn"))
        if not text:
            return ""
        if text.isdigit() and len(text) in (9, 11):  # a numeric Excel cell drops a leading zero
            text = text.zfill(len(text) + 1)
        if not text.isdigit() or not inn_is_valid(text):
            self.errors.append(f"неверный ИНН организации «{text}»")
            return ""
        return text

    def _email(self) -> str:
        text = self._text("email")
        if text[:1] in FORMULA_STARTS:
            self.errors.append(f"неверный адрес электронной почты «{text}»")
        elif text:
            try:
                validate_email(text)
            except ValidationError:
                self.errors.append(f"неверный адрес электронной почты «{text}»")
        return text

    def _subjects(self) -> list[str]:
        names, seen = [], set()
        limit = _max("subject", "name")
        for part in _clean_text(self._raw("subjects")).split(";"):
            name = " ".join(part.split())
            if not name or normalize_name(name) in seen:
                continue
            if len(name) > limit:
                self.errors.append(f"название предмета «{name[:40]}…» длиннее {limit} символов")
                continue
            if name[:1] in FORMULA_STARTS:
                self._refuse_formula(COLUMN_BY_KEY["subjects"].header, name)
                continue
            seen.add(normalize_name(name))
            names.append(name)
        return names

    # rules across cells

    def _check_dates(self, person: dict) -> None:
        birth = person["birth_date"]
        if birth and birth >= self.today:
            self.errors.append(f"дата рождения {birth:%d.%m.%Y} должна быть в прошлом")
            birth = None  # compare the other dates only with a plausible birth date
        elif birth and birth.year < 1900:
            self.errors.append(f"дата рождения {birth:%d.%m.%Y} раньше 1900 года")
            birth = None
        for key in ("employed_since", "category_assigned_on", "specialty_experience_since"):
            value = person[key]
            if value and value > self.today:
                self.errors.append(f"{DATE_PHRASES[key]} {value:%d.%m.%Y} ещё не наступила")
            elif value and birth and value <= birth:
                self.errors.append(f"{DATE_PHRASES[key]} {value:%d.%m.%Y} раньше даты рождения {birth:%d.%m.%Y}")
        category = person["category"]
        assigned, until = person["category_assigned_on"], person["category_valid_until"]
        word = CATEGORY_WORDS.get(category)
        # Person's check constraint «person_category_has_dates»: first and highest carry both dates.
        if category in (QualificationCategory.FIRST, QualificationCategory.HIGHEST):
            if not assigned:
                self.errors.append(f"категория «{word}» без даты присвоения")
            if not until:
                self.errors.append(f"категория «{word}» без даты окончания действия")
        if category == QualificationCategory.NONE and (assigned or until):
            self.errors.append("для «без категории» даты присвоения и окончания категории не заполняются")
        if assigned and until and until <= assigned:
            self.errors.append(
                f"дата окончания действия категории {until:%d.%m.%Y} должна быть позже даты присвоения "
                f"{assigned:%d.%m.%Y}"
            )


def _max(model: str, name: str) -> int:
    models = {
        "person": Person,
        "organization": Organization,
        "municipality": Municipality,
        "subject": Subject,
    }
    return models[model]._meta.get_field(name).max_length


# ---------------------------------------------------------------------------------------------
# Matching against the directory and writing


PERSON_FIELDS = (
    "last_name",
    "first_name",
    "middle_name",
    "sex",
    "birth_date",
    "position",
    "employed_since",
    "category",
    "category_assigned_on",
    "category_valid_until",
    "education_level",
    "education_is_pedagogical",
    "has_pedagogical_retraining",
    "specialty_experience_since",
    "email",
)


@dataclass
class _NewOrganization:
    row: int
    name: str
    kind: str
    municipality_key: str
    inn: str
    instance: Organization | None = None


class _Plan:
    """What the file asks for, resolved against the directory; filled by `_resolve`, applied by
    `_write`. Keys are `normalize_name` of the names."""

    def __init__(self, region: Region):
        self.region = region
        self.municipalities = {normalize_name(m.name): m for m in Municipality.objects.filter(region=region)}
        self.organizations = {
            normalize_name(o.name): o for o in Organization.objects.filter(region=region).select_related("municipality")
        }
        self.subjects = {normalize_name(s.name): s for s in Subject.objects.all()}
        self.new_municipalities: dict[str, Municipality] = {}
        self.new_organizations: dict[str, _NewOrganization] = {}
        self.new_subjects: dict[str, Subject] = {}
        self.to_create: list[tuple[_Row, Person]] = []
        self.to_update: list[tuple[_Row, Person]] = []
        self.unchanged = 0
        self.links: dict[int, dict[int, int]] = {}  # person id → {subject id: link row id}


def _resolve_organization(plan: _Plan, row: _Row) -> str | None:
    """Check the row's organization against the directory and earlier rows; plan it if new.
    Returns an error message or None."""
    key = normalize_name(row.organization)
    kind_label = OrganizationKind(row.kind).label
    existing = plan.organizations.get(key)
    if existing is not None:
        if existing.kind != row.kind:
            return (
                f"организация «{existing.name}» уже есть в справочнике с видом "
                f"«{existing.get_kind_display()}», а в файле указан вид «{kind_label}»"
            )
        if (
            existing.municipality_id
            and row.municipality
            and normalize_name(existing.municipality.name) != normalize_name(row.municipality)
        ):
            return (
                f"организация «{existing.name}» в справочнике относится к муниципалитету "
                f"«{existing.municipality.name}», а в файле указан «{row.municipality}»"
            )
        if existing.inn and row.inn and existing.inn != row.inn:
            return f"у организации «{existing.name}» в справочнике ИНН {existing.inn}, а в файле — {row.inn}"
        return None
    planned = plan.new_organizations.get(key)
    municipality_key = normalize_name(row.municipality) if row.municipality else ""
    if planned is not None:
        if planned.kind != row.kind:
            return (
                f"организация «{planned.name}» в строке {planned.row} указана с видом "
                f"«{OrganizationKind(planned.kind).label}», а здесь — «{kind_label}»"
            )
        if planned.municipality_key != municipality_key:
            return f"организация «{planned.name}» в строке {planned.row} указана с другим муниципалитетом"
        if row.inn and planned.inn and planned.inn != row.inn:
            return f"организация «{planned.name}» в строке {planned.row} указана с другим ИНН"
        planned.inn = planned.inn or row.inn
        return None
    if row.kind in MUNICIPAL_KINDS and not row.municipality:
        return (
            f"организации «{row.organization}» нет в справочнике; чтобы её создать, заполните "
            f"«Муниципалитет» — для вида «{kind_label}» он обязателен"
        )
    if municipality_key and municipality_key not in plan.municipalities:
        plan.new_municipalities.setdefault(municipality_key, Municipality(region=plan.region, name=row.municipality))
    plan.new_organizations[key] = _NewOrganization(row.number, row.organization, row.kind, municipality_key, row.inn)
    return None


def _plan_people(plan: _Plan, rows: list[_Row]) -> None:
    snils = [row.person["snils"] for row in rows]
    existing: dict[str, Person] = {}
    for start in range(0, len(snils), DB_CHUNK):
        for person in Person.objects.filter(snils__in=snils[start : start + DB_CHUNK]):
            existing[person.snils] = person
    through = Person.subjects.through
    links = plan.links
    ids = [person.pk for person in existing.values()]
    for start in range(0, len(ids), DB_CHUNK):
        for link_id, person_id, subject_id in through.objects.filter(
            person_id__in=ids[start : start + DB_CHUNK]
        ).values_list("id", "person_id", "subject_id"):
            links.setdefault(person_id, {})[subject_id] = link_id

    for row in rows:
        if row.subjects is not None:
            for name in row.subjects:
                key = normalize_name(name)
                if key not in plan.subjects and key not in plan.new_subjects:
                    plan.new_subjects[key] = Subject(name=name)
        org_key = normalize_name(row.organization)
        organization = plan.organizations.get(org_key)
        person = existing.get(row.person["snils"])
        values = {name: value for name, value in row.person.items() if name != "snils"}
        values.setdefault("middle_name", person.middle_name if person else "")
        values.setdefault("email", person.email if person else "")
        if person is None:
            plan.to_create.append((row, Person(snils=row.person["snils"], **values)))
            continue
        changed = organization is None or person.organization_id != organization.pk
        changed |= any(getattr(person, name) != value for name, value in values.items())
        if row.subjects is not None:
            wanted = {normalize_name(name) for name in row.subjects}
            if any(key in plan.new_subjects for key in wanted):
                changed = True
            else:
                changed |= {plan.subjects[key].pk for key in wanted} != set(links.get(person.pk, {}))
        if changed:
            for name, value in values.items():
                setattr(person, name, value)
            plan.to_update.append((row, person))
        else:
            plan.unchanged += 1


def _write(plan: _Plan) -> None:
    Municipality.objects.bulk_create(plan.new_municipalities.values())
    municipalities = {**plan.municipalities, **plan.new_municipalities}
    for new in plan.new_organizations.values():
        new.instance = Organization(
            region=plan.region,
            municipality=municipalities.get(new.municipality_key) if new.municipality_key else None,
            kind=new.kind,
            name=new.name,
            inn=new.inn,
        )
    Organization.objects.bulk_create(new.instance for new in plan.new_organizations.values())
    organizations = {
        **plan.organizations,
        **{key: new.instance for key, new in plan.new_organizations.items()},
    }
    Subject.objects.bulk_create(plan.new_subjects.values())
    subjects = {**plan.subjects, **plan.new_subjects}

    previous_organization = {person.pk: person.organization_id for _, person in plan.to_update}
    for row, person in (*plan.to_create, *plan.to_update):
        person.organization = organizations[normalize_name(row.organization)]
    Person.objects.bulk_create([person for _, person in plan.to_create], batch_size=500)
    if plan.to_update:
        Person.objects.bulk_update(
            [person for _, person in plan.to_update], ["organization", *PERSON_FIELDS], batch_size=500
        )

    _move_teacher_memberships(plan, previous_organization)

    through = Person.subjects.through
    new_links, stale_links = [], []
    for row, person in (*plan.to_create, *plan.to_update):
        if row.subjects is None:
            continue
        current = plan.links.get(person.pk, {})
        wanted = {subjects[normalize_name(name)].pk for name in row.subjects}
        new_links += [through(person_id=person.pk, subject_id=pk) for pk in wanted - set(current)]
        stale_links += [link_id for subject_id, link_id in current.items() if subject_id not in wanted]
    for start in range(0, len(stale_links), DB_CHUNK):
        through.objects.filter(pk__in=stale_links[start : start + DB_CHUNK]).delete()
    through.objects.bulk_create(new_links, batch_size=500)


def _move_teacher_memberships(plan: _Plan, previous_organization: dict[int, int]) -> None:
    """A teacher who changed school acts for the new school: their teacher membership follows."""
    for _, person in plan.to_update:
        old = previous_organization[person.pk]
        if person.user_id and old != person.organization_id:
            Membership.objects.filter(user_id=person.user_id, role=Role.TEACHER, organization_id=old).exclude(
                user__memberships__role=Role.TEACHER, user__memberships__organization_id=person.organization_id
            ).update(organization_id=person.organization_id)


# ---------------------------------------------------------------------------------------------
# The service


def staff_import(*, file, filename: str, actor=None, dry_run: bool = False) -> StaffImportResult:
    """Import the staff file `file` (a binary file object) named `filename`. Returns the counts,
    or the list of errors when nothing was written. One audit event per successful run that
    writes (not for a dry run), against the file's region, by `actor` (a user or None)."""
    result = StaffImportResult(filename=uploads.shown_name(filename), dry_run=dry_run)  # no folder, no bidi tricks
    try:
        data = _read_limited(file, result.filename)
        rows = read_rows(data=data, filename=result.filename)
        head = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        header_index = _find_header(head)
        if header_index is None:
            raise StaffFileError(
                f"Не найдена строка заголовков: в первых {HEADER_SEARCH_ROWS} строках нет столбца «СНИЛС»."
            )
        positions, result.ignored_columns = _map_header(head[header_index])
    except StaffFileError as exc:
        result.errors.append(StaffImportIssue(None, str(exc)))
        return result

    issues: list[StaffImportIssue] = []
    parsed: list[_Row] = []
    parser = _RowParser(positions=positions, today=timezone.localdate())
    first_seen: dict[str, int] = {}
    body = itertools.chain(head[header_index + 1 :], rows)
    try:
        for number, cells in enumerate(body, start=header_index + 2):
            if number - header_index - 1 > MAX_ROWS:
                raise StaffFileError(
                    f"В файле «{result.filename}» больше {MAX_ROWS:,} строк. Разделите его на несколько файлов "
                    "(например, по муниципалитетам) и загрузите их по очереди.".replace(",", " ")
                )
            if len(issues) >= MAX_ERRORS:
                issues.append(
                    StaffImportIssue(
                        None,
                        f"Проверка остановлена на строке {number}: найдено {MAX_ERRORS} ошибок. "
                        "Исправьте их и загрузите файл снова.",
                    )
                )
                break
            if not any(_clean_text(cell) for cell in cells):
                continue
            result.rows += 1
            row, errors = parser.parse(number, cells)
            issues += [StaffImportIssue(number, message) for message in errors]
            if row is None:
                continue
            snils = row.person["snils"]
            if snils in first_seen:
                issues.append(
                    StaffImportIssue(number, f"СНИЛС {snils} повторяется — он уже указан в строке {first_seen[snils]}")
                )
                continue
            first_seen[snils] = number
            parsed.append(row)
    except StaffFileError as exc:
        result.errors = [StaffImportIssue(None, str(exc))]
        return result
    if len(issues) >= MAX_ERRORS:  # the check stopped: no need to look the rows up
        result.errors = sorted(issues, key=lambda issue: issue.row or 0)
        return result
    if not result.rows:
        result.errors.append(StaffImportIssue(None, f"В файле «{result.filename}» нет строк с данными."))
        return result

    with transaction.atomic():
        plan, resolved = _resolve(parsed, issues)
        if issues:
            result.errors = sorted(issues, key=lambda issue: issue.row or 0)
            return result
        _plan_people(plan, resolved)
        result.created = len(plan.to_create)
        result.updated = len(plan.to_update)
        result.unchanged = plan.unchanged
        result.organizations_created = len(plan.new_organizations)
        result.municipalities_created = len(plan.new_municipalities)
        result.subjects_created = len(plan.new_subjects)
        if dry_run:
            return result
        try:
            with transaction.atomic():
                _write(plan)
                announce(
                    actor=actor,
                    obj=plan.region,
                    event=AUDIT_EVENT,
                    comment=result.summary(),
                    data={"file": result.filename, **result.counts()},
                )
        except IntegrityError as exc:
            logger.warning("staff import of %s failed on a constraint: %s", result.filename, exc)
            result.errors = [
                StaffImportIssue(
                    None,
                    "Справочник изменился во время импорта (кто-то одновременно добавил те же записи); "
                    "ничего не записано, повторите импорт.",
                )
            ]
    return result


def _resolve(parsed: list[_Row], issues: list[StaffImportIssue]) -> tuple[_Plan | None, list[_Row]]:
    """The region and organizations of the parsed rows; problems are appended to `issues`."""
    if not parsed:
        return None, []
    region, region_issues = _file_region(parsed)
    issues += region_issues
    if region is None:
        return None, []
    plan = _Plan(region)
    resolved = []
    for row in parsed:
        if normalize_name(row.region) != normalize_name(region.name):
            continue  # reported by _file_region
        message = _resolve_organization(plan, row)
        if message:
            issues.append(StaffImportIssue(row.number, message))
        else:
            resolved.append(row)
    return plan, resolved


def _file_region(rows: list[_Row]) -> tuple[Region | None, list[StaffImportIssue]]:
    """One file = one region (a ministry exports its own): the first row names it, it must
    already exist, and every other row must name the same."""
    first = rows[0]
    key = normalize_name(first.region)
    issues = [
        StaffImportIssue(
            row.number,
            f"регион «{row.region}» отличается от региона файла «{first.region}» (строка {first.number}); "
            "в одном файле — один регион",
        )
        for row in rows
        if normalize_name(row.region) != key
    ]
    region = next((r for r in Region.objects.all() if normalize_name(r.name) == key), None)
    if region is None:
        issues.insert(
            0,
            StaffImportIssue(
                first.number,
                f"регион «{first.region}» не найден в справочнике; регионы заводит администратор системы",
            ),
        )
    return region, issues
