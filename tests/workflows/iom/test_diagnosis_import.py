"""ЦОПМКП's import of diagnosis results: teachers by СНИЛС or by name and school, scores and
deficits by area; one bad row refuses the whole file with each row's Russian reason; the same file
or a result already in the base is refused."""

import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_person, make_region, make_user
from tests.tables_helpers import xlsx_bytes
from workflows.core.models import AuditEvent
from workflows.iom.diagnostics.importing import diagnosis_import
from workflows.iom.diagnostics.models import DiagnosisDeficit, DiagnosisResult, DiagnosisScore, DiagnosisSource

pytestmark = pytest.mark.django_db

HEADER = (
    "СНИЛС",
    "ФИО",
    "Образовательная организация",
    "Дата диагностики",
    "Инструментарий",
    "Предметные, %",
    "Методические, %",
    "Психолого-педагогические, %",
    "Коммуникативные, %",
    "ИТ, %",
    "Дефициты: методические",
    "Дефициты: ИТ",
)
FOS = "ФОС для процедуры диагностики профессиональных компетенций педагогических работников"


@pytest.fixture
def world():
    region = make_region()
    copmkp = make_organization(region, kind=OrganizationKind.COPMKP, name="ЦОПМКП")
    school = make_organization(region, name="МАОУ «СОШ № 7»")
    return {
        "region": region,
        "copmkp": copmkp,
        "school": school,
        "anna": make_person(school, last_name="Голубева", first_name="Анна", middle_name="Игоревна"),
        "oleg": make_person(school, last_name="Зайцев", first_name="Олег", middle_name="Петрович"),
        "foreign": make_person(make_organization(make_region(name="Другой край"))),
        "assessor": make_user(role=Role.COPMKP_ASSESSOR, organization=copmkp),
    }


def _load(world, rows, header=HEADER, name="Диагностика.xlsx", data=None):
    data = data or xlsx_bytes(header, rows)
    return diagnosis_import(
        data=data,
        filename=name,
        checksum=hashlib.sha256(data).hexdigest(),
        actor=world["assessor"],
        organization=world["copmkp"],
        today=dt.date(2026, 6, 1),
    )


def test_a_good_file_by_snils_and_by_name(world):
    result = _load(
        world,
        [
            (
                world["anna"].snils,
                "",
                "",
                "20.05.2026",
                FOS,
                78,
                "54,5",
                61,
                83,
                "",
                "формирующее оценивание; проектирование урока",
                "",
            ),
            ("", "Зайцев Олег Петрович", "маоу «сош №7»", dt.date(2026, 5, 21), FOS, "", 90, "", "", 35, "", "ЭОР"),
        ],
    )

    assert result.ok, result.errors
    anna = DiagnosisResult.objects.get(person=world["anna"])
    assert anna.source == DiagnosisSource.IMPORT and anna.batch == result.batch
    assert anna.organization == world["copmkp"] and anna.diagnosed_on == dt.date(2026, 5, 20)
    assert {s.area: s.score for s in anna.scores.all()} == {
        "subject": Decimal("78.00"),
        "methodical": Decimal("54.50"),
        "psychological": Decimal("61.00"),
        "communicative": Decimal("83.00"),
    }
    assert [(d.area, d.title) for d in anna.deficits.order_by("id")] == [
        ("methodical", "формирующее оценивание"),
        ("methodical", "проектирование урока"),
    ]
    oleg = DiagnosisResult.objects.get(person=world["oleg"])
    assert [(d.area, d.title) for d in oleg.deficits.all()] == [("it", "ЭОР")]
    assert AuditEvent.objects.filter(event="diagnosis_import", object_id=str(result.batch.pk)).count() == 1


def test_one_bad_row_refuses_the_file_with_reasons_and_writes_nothing(world):
    result = _load(
        world,
        [
            (world["anna"].snils, "", "", "20.05.2026", FOS, 78, 54, 61, 83, 70, "", ""),
            ("123-456-789 00", "", "", "20.05.2026", FOS, 78, "", "", "", "", "", ""),
            (world["foreign"].snils, "", "", "20.05.2026", FOS, 78, "", "", "", "", "", ""),
            ("", "Петров Пётр", "МАОУ «СОШ № 7»", "31.02.2026", "", 101, "", "", "", "", "", ""),
            ("", "Зайцев Олег Петрович", "", "20.05.2026", FOS, "", "", "", "", "", "", ""),
            (world["oleg"].snils, "", "", "20.07.2026", FOS, 50, "", "", "", "", "", ""),
        ],
    )

    assert not result.ok
    assert DiagnosisResult.objects.count() == DiagnosisScore.objects.count() == DiagnosisDeficit.objects.count() == 0
    assert [str(issue) for issue in result.errors] == [
        "Строка 3: неверная контрольная сумма СНИЛС 123-456-789 00",
        f"Строка 4: педагог со СНИЛС {world['foreign'].snils} работает в другом регионе",
        "Строка 5: «Дата диагностики»: даты 31.02.2026 не существует",
        "Строка 5: не заполнен столбец «Инструментарий»",
        "Строка 5: «Предметные, %»: 101 — вне допустимых значений от 0 до 100",
        "Строка 6: педагог не указан: нужен СНИЛС или ФИО вместе с образовательной организацией",
        "Строка 6: нет ни одного результата по областям компетенций (0–100 %)",
        "Строка 7: дата диагностики 20.07.2026 ещё не наступила",
    ]


def test_unknown_teacher_by_name_and_namesakes_need_the_snils(world):
    make_person(world["school"], last_name="Зайцев", first_name="Олег", middle_name="Петрович")
    result = _load(
        world,
        [
            ("", "Зайцев Олег Петрович", "МАОУ «СОШ № 7»", "20.05.2026", FOS, 50, "", "", "", "", "", ""),
            ("", "Никто Никтович", "МАОУ «СОШ № 7»", "20.05.2026", FOS, 50, "", "", "", "", "", ""),
            ("", "Голубева Анна Игоревна", "Школа, которой нет", "20.05.2026", FOS, 50, "", "", "", "", "", ""),
        ],
    )

    assert [str(issue) for issue in result.errors] == [
        "Строка 2: в «МАОУ «СОШ № 7»» несколько педагогов «Зайцев Олег Петрович»: укажите СНИЛС",
        "Строка 3: педагог «Никто Никтович» не найден в «МАОУ «СОШ № 7»»: проверьте ФИО или укажите СНИЛС",
        "Строка 4: организация «Школа, которой нет» не найдена в регионе",
    ]


def test_the_same_file_twice_and_a_result_already_in_the_base(world):
    row = (world["anna"].snils, "", "", "20.05.2026", FOS, 78, "", "", "", "", "", "")
    data = xlsx_bytes(HEADER, [row])  # the same bytes twice (a workbook records when it was saved)
    assert _load(world, [], data=data).ok

    again = _load(world, [], data=data)
    assert not again.ok and again.errors[0].message.startswith("Этот файл уже загружен")

    other_file = _load(
        world, [row, (world["oleg"].snils, "", "", "20.05.2026", FOS, 50, "", "", "", "", "", "")], name="Другой.xlsx"
    )
    assert [str(issue) for issue in other_file.errors] == [
        "Строка 2: результат этого педагога от 20.05.2026 по этому инструментарию уже внесён"
    ]
    assert DiagnosisResult.objects.count() == 1


def test_a_file_without_a_way_to_find_the_teacher(world):
    result = _load(world, [("20.05.2026", FOS, 50)], header=("Дата диагностики", "Инструментарий", "Предметные, %"))

    assert result.errors[0].message.startswith("В файле нет столбца «СНИЛС»")


def test_a_database_refusal_while_writing_the_scores_leaves_nothing_written(world, monkeypatch):
    """The scores and deficits go in as tuples after the results (importing._insert): a refusal
    there — here a real one, the unique area of a result inserted twice — rolls back the batch,
    the results and the scores already in, with the Russian reason."""
    from workflows.iom.diagnostics import importing

    real_insert = importing._insert

    def insert_one_score_twice(model, names, values):
        real_insert(model, names, values + values[:1] if model is DiagnosisScore else values)

    monkeypatch.setattr(importing, "_insert", insert_one_score_twice)
    result = _load(world, [(world["anna"].snils, "", "", "20.05.2026", FOS, 78, 54, "", "", "", "урок", "ЭОР")])

    assert [str(issue) for issue in result.errors] == [
        "Результаты изменились во время загрузки (кто-то одновременно внёс те же); ничего не записано, "
        "повторите загрузку."
    ]
    assert not DiagnosisResult.objects.exists() and not DiagnosisScore.objects.exists()
    assert not DiagnosisDeficit.objects.exists()
    assert not importing.DiagnosisImport.objects.exists()
    assert not AuditEvent.objects.filter(event="diagnosis_import").exists()
