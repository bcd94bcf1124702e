"""Import of diagnosis results from .xlsx: one row per teacher and diagnostic procedure, as ЦОПМКП
keeps its «База данных по результатам проведения» (003:L1493).

A teacher is found by СНИЛС, or — when the file has no СНИЛС for the row — by full name and school
(the school by its full or short name in the region); two teachers of one school with the same
name need the СНИЛС. Each row gives the date, the instrument (ФОС), a score (0–100 %) in at least
one of the five areas of 003:L1229 and the deficits found in each area («;» between them).

Every row is checked before anything is written; one bad row refuses the whole file, with each
row's reason in Russian, and nothing is written (one transaction). The same file twice, or a row
for a result already in the base (same teacher, date and instrument), is refused too.

Speed: the teachers are read in a few bulk queries (by the file's СНИЛС, by the file's schools);
the results are a bulk insert, and their scores and deficits one INSERT each from arrays — 5,000
rows in a constant number of queries (bench/diagnostics_import.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, connection, transaction

from common import tables
from orgstructure.identifiers import snils_format, snils_is_valid
from orgstructure.models import Organization, Person
from programmes.models import CompetencyArea
from workflows.core.audit import record_event

from .models import DiagnosisDeficit, DiagnosisImport, DiagnosisResult, DiagnosisScore, DiagnosisSource

AUDIT_EVENT = "diagnosis_import"
MAX_ROWS = 60_000  # a region's teachers and more; a bigger file is split
DB_CHUNK = 900  # below SQLite's historical limit of 999 query parameters

AREA_SHORT = {
    CompetencyArea.SUBJECT: "предметные",
    CompetencyArea.METHODICAL: "методические",
    CompetencyArea.PSYCHOLOGICAL: "психолого-педагогические",
    CompetencyArea.COMMUNICATIVE: "коммуникативные",
    CompetencyArea.IT: "ИТ",
}


def score_key(area: str) -> str:
    return f"score_{area}"


def deficit_key(area: str) -> str:
    return f"deficits_{area}"


COLUMNS = (
    tables.Column("snils", "СНИЛС", "123-456-789 01; нет — ищем по ФИО и организации", required=False),
    tables.Column(
        "full_name", "ФИО", "фамилия, имя, отчество", required=False, aliases=("ФИО педагога", "Фамилия, имя, отчество")
    ),
    tables.Column(
        "organization",
        "Образовательная организация",
        "полное или сокращённое наименование",
        required=False,
        aliases=("Организация", "ОО", "Место работы"),
    ),
    tables.Column("diagnosed_on", "Дата диагностики", tables.DATE_HINT, aliases=("Дата",)),
    tables.Column(
        "instrument",
        "Инструментарий",
        "наименование ФОС, по которому проведена диагностика",
        aliases=("ФОС", "Диагностический инструментарий", "Инструмент"),
        free_text=True,
    ),
    *(
        tables.Column(
            score_key(area),
            f"{AREA_SHORT[area].capitalize() if area != 'it' else 'ИТ'}, %",
            "результат от 0 до 100; пусто — область не диагностировалась",
            required=False,
            aliases=(label, f"{label}, %", AREA_SHORT[area]),
        )
        for area, label in CompetencyArea.choices
    ),
    *(
        tables.Column(
            deficit_key(area),
            f"Дефициты: {AREA_SHORT[area]}",
            "через «;»",
            required=False,
            aliases=(f"Дефициты ({AREA_SHORT[area]})", f"Выявленные дефициты: {AREA_SHORT[area]}"),
            free_text=True,
        )
        for area in CompetencyArea.values
    ),
    tables.Column("comment", "Примечание", "", required=False, free_text=True),
)
SCORE_PLACES = 2
INSTRUMENT_MAX = DiagnosisResult._meta.get_field("instrument").max_length
DEFICIT_MAX = DiagnosisDeficit._meta.get_field("title").max_length


@dataclass
class ImportResult:
    filename: str
    rows: int = 0
    batch: DiagnosisImport | None = None
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[tables.Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"Файл «{self.filename}» не загружен: ошибок — {len(self.errors)}. Ничего не записано."
        text = f"Результаты диагностики загружены из «{self.filename}»: {self.rows} строк."
        if self.ignored_columns:
            text += " Пропущены неизвестные столбцы: " + ", ".join(f"«{c}»" for c in self.ignored_columns) + "."
        return text


@dataclass
class _Row:
    number: int
    snils: str
    full_name: str
    organization: str
    diagnosed_on: object
    instrument: str
    scores: dict[str, Decimal]
    deficits: dict[str, list[str]]
    comment: str
    person_id: int | None = None


def _name_key(text: str) -> str:
    return tables.normalize(text)


def _parse(table: tables.Table, number: int, cells: list) -> tuple[_Row | None, list[str]]:
    reader = tables.RowReader(table, cells)
    snils = ""
    raw_snils = tables.clean_text(reader.raw("snils"))
    if raw_snils:
        digits = raw_snils.replace("-", "").replace(" ", "")
        if digits.isdigit() and 9 <= len(digits) < 11:  # a numeric Excel cell drops the leading zeros
            digits = digits.zfill(11)
        if not digits.isdigit() or len(digits) != 11:
            reader.errors.append(f"СНИЛС «{raw_snils}» должен состоять из 11 цифр (например 123-456-789 01)")
        elif not snils_is_valid(digits):
            reader.errors.append(f"неверная контрольная сумма СНИЛС {snils_format(digits)}")
        else:
            snils = snils_format(digits)
    full_name = reader.text("full_name")
    organization = reader.text("organization")
    if not raw_snils and not (full_name and organization):
        reader.errors.append("педагог не указан: нужен СНИЛС или ФИО вместе с образовательной организацией")
    diagnosed_on = reader.date("diagnosed_on", required=True)
    instrument = reader.text("instrument", required=True, max_length=INSTRUMENT_MAX)
    scores = {}
    given = 0
    for area in CompetencyArea.values:
        if table.has(score_key(area)):
            given += tables.clean_text(reader.raw(score_key(area))) != ""
            value = reader.number(score_key(area), low=0, high=100, places=SCORE_PLACES)
            if value is not None:
                scores[area] = value
    if not given:
        reader.errors.append("нет ни одного результата по областям компетенций (0–100 %)")
    deficits = {}
    for area in CompetencyArea.values:
        key = deficit_key(area)
        if reader.raw(key) is not None:  # most areas of a row have no deficit: an empty cell is None
            items = list(dict.fromkeys(reader.items(key, max_length=DEFICIT_MAX)))
            if items:
                deficits[area] = items
    comment = reader.text("comment")
    if reader.errors:
        return None, reader.errors
    return _Row(number, snils, full_name, organization, diagnosed_on, instrument, scores, deficits, comment), []


def _chunks(values: list, size: int = DB_CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _resolve_persons(rows: list[_Row], region_id: int) -> dict[int, str]:
    """Set each row's person_id; {row number: error} for those not found (two bulk reads)."""
    errors: dict[int, str] = {}
    by_snils: dict[str, tuple[int, int]] = {}
    snils_values = sorted({row.snils for row in rows if row.snils})
    for chunk in _chunks(snils_values):
        for pk, snils, person_region in Person.objects.filter(snils__in=chunk).values_list(
            "id", "snils", "organization__region_id"
        ):
            by_snils[snils] = (pk, person_region)
    organizations: dict[str, int] = {}
    ambiguous_orgs: set[str] = set()
    if any(not row.snils for row in rows):
        for pk, name, short in Organization.objects.filter(region_id=region_id).values_list("id", "name", "short_name"):
            for spelling in {_name_key(name), _name_key(short)} - {""}:
                if spelling in organizations and organizations[spelling] != pk:
                    ambiguous_orgs.add(spelling)
                organizations[spelling] = pk
    wanted_orgs = sorted(
        {
            organizations[_name_key(row.organization)]
            for row in rows
            if not row.snils and _name_key(row.organization) in organizations
        }
    )
    by_name: dict[tuple[int, str], list[int]] = {}
    for chunk in _chunks(wanted_orgs):
        for pk, org_id, last, first, middle in Person.objects.filter(organization_id__in=chunk).values_list(
            "id", "organization_id", "last_name", "first_name", "middle_name"
        ):
            by_name.setdefault((org_id, _name_key(" ".join(p for p in (last, first, middle) if p))), []).append(pk)
    for row in rows:
        if row.snils:
            found = by_snils.get(row.snils)
            if found is None:
                errors[row.number] = f"педагог со СНИЛС {row.snils} не найден в кадровой базе"
            elif found[1] != region_id:
                errors[row.number] = f"педагог со СНИЛС {row.snils} работает в другом регионе"
            else:
                row.person_id = found[0]
            continue
        org_key = _name_key(row.organization)
        if org_key in ambiguous_orgs:
            errors[row.number] = f"организаций «{row.organization}» в регионе несколько: укажите СНИЛС педагога"
            continue
        org_id = organizations.get(org_key)
        if org_id is None:
            errors[row.number] = f"организация «{row.organization}» не найдена в регионе"
            continue
        matches = by_name.get((org_id, _name_key(row.full_name)), [])
        if not matches:
            errors[row.number] = (
                f"педагог «{row.full_name}» не найден в «{row.organization}»: проверьте ФИО или укажите СНИЛС"
            )
        elif len(matches) > 1:
            errors[row.number] = f"в «{row.organization}» несколько педагогов «{row.full_name}»: укажите СНИЛС"
        else:
            row.person_id = matches[0]
    return errors


def _existing(rows: list[_Row]) -> set[tuple]:
    """(person, date, instrument) of the rows already in the base."""
    found = set()
    person_ids = sorted({row.person_id for row in rows if row.person_id})
    dates = {row.diagnosed_on for row in rows}
    for chunk in _chunks(person_ids):
        for key in DiagnosisResult.objects.filter(person_id__in=chunk, diagnosed_on__in=dates).values_list(
            "person_id", "diagnosed_on", "instrument"
        ):
            found.add((key[0], key[1], _name_key(key[2])))
    return found


def diagnosis_import(
    *, data: bytes, filename: str, checksum: str, actor, organization: Organization, today=None
) -> ImportResult:
    """Check the whole file, then write every result or none. `organization` is the ЦОПМКП that
    diagnosed; the teachers must be of its region."""
    import datetime as dt

    today = today or dt.date.today()
    result = ImportResult(filename=filename)
    previous = DiagnosisImport.objects.filter(organization=organization, checksum=checksum).first()
    if previous is not None:
        result.errors = [
            tables.Issue(
                None,
                (
                    f"Этот файл уже загружен {previous.loaded_at:%d.%m.%Y} ({previous.rows} строк): повторно он не "
                    "загружается."
                ),
            )
        ]
        return result
    try:
        table = tables.read_xlsx(data, filename=filename, columns=COLUMNS, key="diagnosed_on", max_rows=MAX_ROWS)
    except tables.TableError as exc:
        result.errors = [tables.Issue(None, str(exc))]
        return result
    result.ignored_columns = table.ignored
    if not (table.has("snils") or (table.has("full_name") and table.has("organization"))):
        result.errors = [
            tables.Issue(
                None,
                "В файле нет столбца «СНИЛС» и нет пары столбцов «ФИО» и "
                "«Образовательная организация»: по ним находится педагог.",
            )
        ]
        return result
    rows: list[_Row] = []
    try:
        for number, cells in table.rows():
            row, errors = _parse(table, number, cells)
            if errors:
                result.errors.extend(tables.Issue(number, message) for message in errors)
            elif row.diagnosed_on > today:
                result.errors.append(
                    tables.Issue(number, f"дата диагностики {row.diagnosed_on:%d.%m.%Y} ещё не наступила")
                )
            else:
                rows.append(row)
            if len(result.errors) >= tables.MAX_ERRORS:
                break
    except tables.TableError as exc:
        result.errors.append(tables.Issue(None, str(exc)))
        return result
    if not rows and not result.errors:
        result.errors.append(
            tables.Issue(None, f"В файле «{filename}» нет ни одной строки с результатом под заголовком.")
        )
    not_found = _resolve_persons(rows, organization.region_id)
    seen: dict[tuple, int] = {}
    existing = _existing(rows)
    for row in rows:
        if row.number in not_found:
            result.errors.append(tables.Issue(row.number, not_found[row.number]))
            continue
        key = (row.person_id, row.diagnosed_on, _name_key(row.instrument))
        if key in seen:
            result.errors.append(
                tables.Issue(row.number, f"тот же педагог, дата и инструментарий уже в строке {seen[key]}")
            )
        elif key in existing:
            result.errors.append(
                tables.Issue(
                    row.number,
                    (f"результат этого педагога от {row.diagnosed_on:%d.%m.%Y} по этому инструментарию уже внесён"),
                )
            )
        seen.setdefault(key, row.number)
    result.errors.sort(key=lambda issue: issue.row or 0)
    result.errors = result.errors[: tables.MAX_ERRORS]
    result.rows = len(rows)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            result.batch = _write(rows, result, actor=actor, organization=organization, checksum=checksum)
    except IntegrityError:
        result.errors = [
            tables.Issue(
                None,
                "Результаты изменились во время загрузки (кто-то одновременно внёс те же); "
                "ничего не записано, повторите загрузку.",
            )
        ]
    return result


def _write(rows: list[_Row], result: ImportResult, *, actor, organization, checksum) -> DiagnosisImport:
    batch = DiagnosisImport.objects.create(
        organization=organization, file_name=result.filename[:255], checksum=checksum, rows=len(rows), loaded_by=actor
    )
    results = DiagnosisResult.objects.bulk_create(
        [
            DiagnosisResult(
                person_id=row.person_id,
                diagnosed_on=row.diagnosed_on,
                instrument=row.instrument,
                organization=organization,
                source=DiagnosisSource.IMPORT,
                batch=batch,
                comment=row.comment,
                entered_by=actor,
            )
            for row in rows
        ],
        batch_size=1000,
    )
    # PostgreSQL and SQLite ≥ 3.35 return the new ids from a bulk insert (Django's
    # can_return_rows_from_bulk_insert); the scores and deficits hang off them. They are nine in
    # ten of the rows written and are inserted as plain tuples: a model instance each cost more
    # than the insert itself (bench/diagnostics_import.py).
    _insert(
        DiagnosisScore,
        ("result", "area", "score"),
        [(item.pk, area, score) for item, row in zip(results, rows, strict=True) for area, score in row.scores.items()],
    )
    _insert(
        DiagnosisDeficit,
        ("result", "area", "title"),
        [
            (item.pk, area, title)
            for item, row in zip(results, rows, strict=True)
            for area, titles in row.deficits.items()
            for title in titles
        ],
    )
    record_event(
        actor=actor,
        obj=batch,
        event=AUDIT_EVENT,
        comment=result.summary(),
        data={"file": result.filename, "rows": len(rows), "organization": organization.pk},
    )
    return batch


def _insert(model, names: tuple[str, ...], values: list[tuple]) -> None:
    """INSERT the rows `values` (in the order of the fields `names`, as the database takes them)
    into the model's table: one statement over arrays on PostgreSQL, executemany elsewhere."""
    if not values:
        return
    fields = [model._meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays})",
                [list(column) for column in zip(*values, strict=True)],
            )
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})", values)
