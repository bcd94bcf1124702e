"""The catalogue import: all rows or none, each bad row named with its Russian reason; providers
and subjects from the directories; a second file updates the programmes it lists."""

import datetime as dt

import pytest

from orgstructure.models import OrganizationKind, Subject
from programmes.importing import programme_import
from programmes.models import Programme, ProgrammeGroup, StudyForm
from tests.factories import make_organization, make_region, make_user
from tests.tables_helpers import xlsx_bytes
from workflows.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HEADER = (
    "Наименование программы",
    "Организация-разработчик",
    "Вид программы",
    "Объём, часов",
    "Форма обучения",
    "Области компетенций",
    "Предметы",
    "В ФР ДПП",
    "Номер в ФР ДПП",
    "Группы",
)
GOOD = (
    "Функциональная грамотность учителя: технологии развития креативного и критического мышления",
    "ЦНППМПР",
    "ПК",
    18,
    "очная",
    "методические; психолого-педагогические",
    "Математика; Физика",
    "да",
    "0481",
    "01.11.2025–14.11.2025; 10.02.2026-20.02.2026",
)


@pytest.fixture
def world():
    region = make_region()
    iro = make_organization(region, kind=OrganizationKind.IRO, name="ГАУ ДПО «Институт развития образования»")
    cnppm = make_organization(region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР ГАУ ДПО «ИРО»")
    cnppm.short_name = "ЦНППМПР"
    cnppm.save()
    Subject.objects.get_or_create(name="Математика")
    Subject.objects.get_or_create(name="Физика")
    return {"region": region, "iro": iro, "cnppm": cnppm, "user": make_user()}


def _load(world, rows, header=HEADER, filename="Каталог.xlsx"):
    return programme_import(
        data=xlsx_bytes(header, rows), filename=filename, actor=world["user"], region=world["region"]
    )


def test_a_good_file_is_loaded_whole(world):
    result = _load(
        world,
        [
            GOOD,
            (
                "Проектные команды в образовательной системе",
                "ГАУ ДПО «Институт развития образования»",
                "",
                36,
                "",
                "коммуникативные",
                "",
                "нет",
                "",
                "",
            ),
        ],
    )

    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    first = Programme.objects.get(hours=18)
    assert first.provider == world["cnppm"]
    assert first.in_federal_register and first.federal_register_number == "0481"
    assert first.area_codes == ["methodical", "psychological"]
    assert sorted(s.name for s in first.subjects.all()) == ["Математика", "Физика"]
    assert [(g.starts_on, g.ends_on) for g in first.groups.all()] == [
        (dt.date(2025, 11, 1), dt.date(2025, 11, 14)),
        (dt.date(2026, 2, 10), dt.date(2026, 2, 20)),
    ]
    second = Programme.objects.get(hours=36)
    assert second.form == StudyForm.FULL_TIME and not second.in_federal_register
    assert AuditEvent.objects.filter(event="programme_import").count() == 1


def test_one_bad_row_refuses_the_whole_file_with_row_level_reasons(world):
    bad = list(GOOD)
    bad[1], bad[3], bad[5], bad[6], bad[7] = "ИРО соседнего края", "много", "лидерские", "Астрономия", "возможно"
    result = _load(world, [GOOD, bad])

    assert not result.ok
    assert Programme.objects.count() == 0
    messages = [str(issue) for issue in result.errors]
    assert messages == [
        "Строка 3: организация «ИРО соседнего края» не найдена в справочнике региона Тестовый край",
        "Строка 3: «Объём, часов»: «много» — не число",
        "Строка 3: неизвестная область компетенций «лидерские»; допустимо: предметные, методические, "
        "психолого-педагогические, коммуникативные, ИТ",
        "Строка 3: предмет «Астрономия» не найден в справочнике предметов",
        "Строка 3: в столбце «В ФР ДПП» ожидается «да» или «нет», а не «возможно»",
    ]


def test_register_number_without_the_flag_and_groups_backwards_are_refused(world):
    row = list(GOOD)
    row[7], row[9] = "нет", "20.02.2026–10.02.2026"
    result = _load(world, [row])

    assert [issue.message for issue in result.errors] == [
        "номер в ФР ДПП указан, а программа в ФР ДПП не размещена («В ФР ДПП»: нет)",
        "группа «20.02.2026–10.02.2026»: окончание раньше начала",
    ]


def test_the_same_programme_twice_in_a_file_is_refused(world):
    result = _load(world, [GOOD, GOOD])

    assert [str(issue) for issue in result.errors] == [
        "Строка 3: та же программа (организация, наименование, часы) уже в строке 2"
    ]


def test_a_second_file_updates_and_adds_groups_without_removing(world):
    assert _load(world, [GOOD]).ok
    again = list(GOOD)
    again[5], again[7], again[8], again[9] = "ИТ", "нет", "", "01.03.2026–15.03.2026"

    result = _load(world, [again])

    assert result.ok and (result.created, result.updated) == (0, 1)
    programme = Programme.objects.get()
    assert programme.area_codes == ["it"] and not programme.in_federal_register
    assert ProgrammeGroup.objects.filter(programme=programme).count() == 3


def test_missing_columns_and_a_file_that_is_no_workbook(world):
    result = _load(world, [GOOD[:3]], header=HEADER[:3])
    assert [str(issue) for issue in result.errors] == [
        "В файле нет обязательных столбцов: «Объём, часов», «Области компетенций», «В ФР ДПП»."
    ]

    refused = programme_import(
        data=b"%PDF-1.4 not a table", filename="Каталог.xlsx", actor=world["user"], region=world["region"]
    )
    assert not refused.ok and "Каталог.xlsx" in refused.errors[0].message
    assert Programme.objects.count() == 0


def test_a_formula_in_a_title_is_refused(world):
    row = list(GOOD)
    row[0] = '+HYPERLINK("http://example.org")'  # a text cell; openpyxl would store «=…» as a formula
    result = _load(world, [row])

    assert "начинается с «+»" in result.errors[0].message
