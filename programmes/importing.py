"""Catalogue import: one row per programme, from the .xlsx an ИРО or ЦНППМПР keeps its plan of
courses in («Утвержденный в установленном порядке план курсов повышения квалификации …»,
003:L1498).

Every row is checked before anything is written; a file with one bad row imports nothing (the
whole file in one transaction), and the user gets the list of rows to fix. A programme is matched
by provider, title and hours: a row for an existing one replaces its fields, areas and subjects
and adds the groups it lists that are not there yet; programmes absent from the file, and groups
absent from a row, are left alone.
Providers are found by name (full or short, case, quotes and spacing aside) in the importer's
region and never created; subjects must be in the directory. The format for users is
`COLUMNS` (the blank template on the import page has the headers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction

from common import tables
from orgstructure.events import announce
from orgstructure.models import Organization, Region, Subject

from .models import CompetencyArea, Programme, ProgrammeArea, ProgrammeGroup, ProgrammeKind, StudyForm

AUDIT_EVENT = "programme_import"
MAX_ROWS = 10_000  # a regional plan of courses has hundreds

COLUMNS = (
    tables.Column(
        "title",
        "Наименование программы",
        "как в программе, без кавычек-ёлочек вокруг",
        aliases=("Программа", "Наименование ДПП"),
        free_text=True,
    ),
    tables.Column(
        "provider",
        "Организация-разработчик",
        "полное или сокращённое наименование; должна быть в справочнике",
        aliases=("Организация", "Провайдер", "Организация ДПО"),
    ),
    tables.Column("kind", "Вид программы", "ПК или ПП (пусто — ПК)", required=False),
    tables.Column(
        "hours",
        "Объём, часов",
        "целое число, например 16, 18, 36, 72",
        aliases=("Объем, часов", "Количество часов", "Часов", "Объём"),
    ),
    tables.Column("form", "Форма обучения", "очная, очно-заочная, заочная, ДОТ (пусто — очная)", required=False),
    tables.Column(
        "areas",
        "Области компетенций",
        "через «;»: предметные, методические, психолого-педагогические, коммуникативные, ИТ",
        aliases=("Компетенции",),
    ),
    tables.Column(
        "subjects", "Предметы", "через «;», из справочника предметов; пусто — для всех предметов", required=False
    ),
    tables.Column("in_register", "В ФР ДПП", "да / нет", aliases=("Размещена в ФР ДПП", "ФР ДПП")),
    tables.Column("register_number", "Номер в ФР ДПП", "только для программ в ФР ДПП", required=False),
    tables.Column(
        "groups",
        "Группы",
        "через «;»: ДД.ММ.ГГГГ–ДД.ММ.ГГГГ для каждой группы (потока); добавляются к имеющимся",
        required=False,
        aliases=("Даты групп", "Потоки"),
    ),
    tables.Column("annotation", "Аннотация", "", required=False, free_text=True),
)

KIND_VALUES = tables.choice_map(
    {
        ProgrammeKind.ADVANCED_TRAINING: ("ПК", "повышение квалификации", ProgrammeKind.ADVANCED_TRAINING.label),
        ProgrammeKind.RETRAINING: ("ПП", "профессиональная переподготовка", ProgrammeKind.RETRAINING.label),
    }
)
FORM_VALUES = tables.choice_map(
    {
        StudyForm.FULL_TIME: ("очная", "очно"),
        StudyForm.MIXED: ("очно-заочная",),
        StudyForm.PART_TIME: ("заочная",),
        StudyForm.DISTANCE: ("ДОТ", "дистанционная", "заочная с применением ДОТ", "с применением ДОТ", "онлайн"),
    }
)
AREA_VALUES = tables.choice_map(
    {
        CompetencyArea.SUBJECT: ("предметные", "предметная", "предметные компетенции"),
        CompetencyArea.METHODICAL: ("методические", "методическая", "методические компетенции"),
        CompetencyArea.PSYCHOLOGICAL: (
            "психолого-педагогические",
            "психолого-педагогическая",
            "психолого-педагогические компетенции",
        ),
        CompetencyArea.COMMUNICATIVE: ("коммуникативные", "коммуникативная", "коммуникативные компетенции"),
        CompetencyArea.IT: ("ИТ", "ИКТ", "ИТ-компетенции", "ИКТ-компетенции", "ИКТ-компетентность", "цифровые"),
    }
)
AREA_HINT = "предметные, методические, психолого-педагогические, коммуникативные, ИТ"
_PERIOD = re.compile(r"^(\S+)\s*[-–—]\s*(\S+)$")


@dataclass
class ImportResult:
    filename: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    errors: list[tables.Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"Файл «{self.filename}» не загружен: ошибок — {len(self.errors)}. Ничего не записано."
        text = (
            f"Каталог загружен из «{self.filename}»: строк — {self.rows}, добавлено программ — {self.created}, "
            f"обновлено — {self.updated}."
        )
        if self.ignored_columns:
            text += " Пропущены неизвестные столбцы: " + ", ".join(f"«{c}»" for c in self.ignored_columns) + "."
        return text


@dataclass
class _Row:
    number: int
    key: tuple
    fields: dict
    areas: list[str]
    subjects: list[int] | None
    groups: list[tuple] | None


def _lookup_organizations(region: Region) -> dict[str, int]:
    names: dict[str, int] = {}
    ambiguous: set[str] = set()
    for pk, name, short in Organization.objects.filter(region=region).values_list("id", "name", "short_name"):
        for spelling in {tables.normalize(name), tables.normalize(short)} - {""}:
            if spelling in names and names[spelling] != pk:
                ambiguous.add(spelling)
            names[spelling] = pk
    return {key: value for key, value in names.items() if key not in ambiguous}


def _groups(reader: tables.RowReader) -> list[tuple] | None:
    if not reader.table.has("groups"):
        return None
    periods = []
    for item in reader.items("groups"):
        match = _PERIOD.match(item)
        start, end = (tables.parse_date(match.group(1)), tables.parse_date(match.group(2))) if match else (None, None)
        if start is None or end is None:
            reader.errors.append(f"группа «{item}»: ожидается период ДД.ММ.ГГГГ–ДД.ММ.ГГГГ")
        elif end < start:
            reader.errors.append(f"группа «{item}»: окончание раньше начала")
        else:
            periods.append((start, end))
    return sorted(set(periods))


def programme_import(*, data: bytes, filename: str, actor, region: Region) -> ImportResult:
    """Check the whole file, then write all of it or nothing."""
    result = ImportResult(filename=filename)
    try:
        table = tables.read_xlsx(data, filename=filename, columns=COLUMNS, key="title", max_rows=MAX_ROWS)
    except tables.TableError as exc:
        result.errors = [tables.Issue(None, str(exc))]
        return result
    result.ignored_columns = table.ignored
    providers = _lookup_organizations(region)
    subjects = {tables.normalize(name): pk for pk, name in Subject.objects.values_list("id", "name")}
    title_max = Programme._meta.get_field("title").max_length
    rows: list[_Row] = []
    seen: dict[tuple, int] = {}
    try:
        for number, cells in table.rows():
            reader = tables.RowReader(table, cells)
            title = reader.text("title", required=True, max_length=title_max).strip('«»"')
            provider_name = reader.text("provider", required=True)
            provider_id = providers.get(tables.normalize(provider_name)) if provider_name else None
            if provider_name and provider_id is None:
                reader.errors.append(f"организация «{provider_name}» не найдена в справочнике региона {region.name}")
            kind = reader.choice("kind", KIND_VALUES, "ПК, ПП", required=False) or ProgrammeKind.ADVANCED_TRAINING
            hours = reader.number("hours", required=True, low=1, high=3000, integer=True)
            form = reader.choice("form", FORM_VALUES, "очная, очно-заочная, заочная, ДОТ", required=False)
            areas = []
            area_items = reader.items("areas")
            for item in area_items:
                area = AREA_VALUES.get(tables.normalize(item))
                if area is None:
                    reader.errors.append(f"неизвестная область компетенций «{item}»; допустимо: {AREA_HINT}")
                elif area not in areas:
                    areas.append(area)
            if not area_items:
                reader.errors.append("не указана ни одна область компетенций: по ним программа подбирается к дефицитам")
            subject_ids = None
            if table.has("subjects"):
                subject_ids = []
                for item in reader.items("subjects"):
                    pk = subjects.get(tables.normalize(item))
                    if pk is None:
                        reader.errors.append(f"предмет «{item}» не найден в справочнике предметов")
                    else:
                        subject_ids.append(pk)
            in_register = reader.yes_no("in_register")
            register_number = reader.text("register_number", max_length=64)
            if register_number and in_register is False:
                reader.errors.append("номер в ФР ДПП указан, а программа в ФР ДПП не размещена («В ФР ДПП»: нет)")
            groups = _groups(reader)
            annotation = reader.text("annotation")
            key = (provider_id, tables.normalize(title), hours)
            if not reader.errors and key in seen:
                reader.errors.append(f"та же программа (организация, наименование, часы) уже в строке {seen[key]}")
            if reader.errors:
                result.errors.extend(tables.Issue(number, message) for message in reader.errors)
                if len(result.errors) >= tables.MAX_ERRORS:
                    break
                continue
            seen[key] = number
            rows.append(
                _Row(
                    number,
                    key,
                    {
                        "title": title,
                        "provider_id": provider_id,
                        "kind": kind,
                        "hours": hours,
                        "form": form or StudyForm.FULL_TIME,
                        "in_federal_register": in_register,
                        "federal_register_number": register_number,
                        "annotation": annotation,
                    },
                    areas,
                    subject_ids,
                    groups,
                )
            )
    except tables.TableError as exc:
        result.errors.append(tables.Issue(None, str(exc)))
    if not result.errors and not rows:
        result.errors.append(tables.Issue(None, f"В файле «{filename}» нет ни одной программы под заголовком."))
    result.rows = len(rows)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _write(rows, result)
            announce(
                actor=actor,
                obj=region,
                event=AUDIT_EVENT,
                comment=result.summary(),
                data={"file": filename, "rows": result.rows, "created": result.created, "updated": result.updated},
            )
    except IntegrityError:
        result.errors = [
            tables.Issue(None, "Каталог изменился во время загрузки; ничего не записано, повторите загрузку.")
        ]
    return result


def _write(rows: list[_Row], result: ImportResult) -> None:
    provider_ids = {row.fields["provider_id"] for row in rows}
    existing = {
        (programme.provider_id, tables.normalize(programme.title), programme.hours): programme
        for programme in Programme.objects.select_for_update().filter(provider_id__in=provider_ids)
    }
    programmes = []
    for row in rows:
        programme = existing.get(row.key)
        if programme is None:
            programme = Programme.objects.create(**row.fields)
            result.created += 1
        else:
            for name, value in row.fields.items():
                setattr(programme, name, value)
            programme.save()
            result.updated += 1
        programmes.append((programme, row))
    ids = [programme.pk for programme, _ in programmes]
    ProgrammeArea.objects.filter(programme_id__in=ids).delete()
    ProgrammeArea.objects.bulk_create(
        ProgrammeArea(programme=programme, area=area) for programme, row in programmes for area in row.areas
    )
    with_subjects = [(programme, row) for programme, row in programmes if row.subjects is not None]
    through = Programme.subjects.through
    through.objects.filter(programme_id__in=[p.pk for p, _ in with_subjects]).delete()
    through.objects.bulk_create(
        through(programme_id=programme.pk, subject_id=subject)
        for programme, row in with_subjects
        for subject in set(row.subjects)
    )
    # Groups are only added: one already in the catalogue may be what a route's activity names,
    # so a group is removed (or its dates changed) in the administration, not by a file.
    with_groups = [(programme, row) for programme, row in programmes if row.groups]
    have = {
        (group.programme_id, group.starts_on, group.ends_on)
        for group in ProgrammeGroup.objects.filter(programme_id__in=[p.pk for p, _ in with_groups])
    }
    ProgrammeGroup.objects.bulk_create(
        ProgrammeGroup(programme=programme, starts_on=start, ends_on=end)
        for programme, row in with_groups
        for start, end in row.groups
        if (programme.pk, start, end) not in have
    )
