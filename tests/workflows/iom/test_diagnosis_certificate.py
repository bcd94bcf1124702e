"""The справка о результатах диагностики: issued by the ЦОПМКП that diagnosed (its head signs),
opened back with python-docx — the teacher in the dative, each area's score and deficits, the
catalogue's programmes for the areas with deficits, the date until which the result is reused."""

import datetime as dt
from decimal import Decimal

import pytest

from common.errors import ActionForbidden
from documents.models import IssuedDocument
from orgstructure.models import OrganizationKind, Role, Subject
from programmes.models import CompetencyArea, Programme, ProgrammeArea
from tests.documents.conftest import docx_tables, docx_text
from tests.factories import make_organization, make_person, make_region, make_user
from workflows.iom.diagnostics.models import DiagnosisRegionSettings
from workflows.iom.diagnostics.services import diagnosis_certificate_request, diagnosis_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = make_region(name="Пермский край")
    copmkp = make_organization(
        region, kind=OrganizationKind.COPMKP, name="Центр оценки профессионального мастерства и квалификации педагогов"
    )
    copmkp.head_name, copmkp.head_position = "Лебедева Ольга Викторовна", "Руководитель центра"
    copmkp.save()
    iro = make_organization(region, kind=OrganizationKind.IRO, name="ГАУ ДПО «ИРО ПК»")
    school = make_organization(region, name="МАОУ «СОШ № 7»")
    maths, _ = Subject.objects.get_or_create(name="Математика")
    teacher = make_person(school, last_name="Голубева", first_name="Анна", middle_name="Игоревна")
    teacher.subjects.add(maths)
    course = Programme.objects.create(
        title="Функциональная грамотность учителя", provider=iro, hours=18, in_federal_register=True
    )
    ProgrammeArea.objects.create(programme=course, area=CompetencyArea.METHODICAL)
    unrelated = Programme.objects.create(title="Цифровые инструменты", provider=iro, hours=24)
    ProgrammeArea.objects.create(programme=unrelated, area=CompetencyArea.IT)
    DiagnosisRegionSettings.objects.create(region=region, reuse_months=12)
    return {
        "copmkp": copmkp,
        "teacher": teacher,
        "school": school,
        "assessor": make_user(role=Role.COPMKP_ASSESSOR, organization=copmkp),
    }


def _result(world):
    return diagnosis_create(
        actor=world["assessor"],
        organization=world["copmkp"],
        person=world["teacher"],
        diagnosed_on=dt.date(2026, 5, 20),
        instrument="ФОС диагностики профессиональных компетенций",
        scores={"subject": Decimal("78"), "methodical": Decimal("54.5")},
        deficits={"methodical": ["формирующее оценивание", "проектирование урока"]},
    )


def test_the_certificate_reads_as_issued(world, django_capture_on_commit_callbacks):
    result = _result(world)

    with django_capture_on_commit_callbacks(execute=True):  # the issue job runs after commit (eager in tests)
        diagnosis_certificate_request(actor=world["assessor"], result=result)

    document = IssuedDocument.objects.get(kind="diagnosis_certificate")
    assert document.person == world["teacher"] and document.organization == world["copmkp"]
    data = document.file.read()
    text = docx_text(data)
    assert "СПРАВКА" in text
    assert "Дана Голубевой Анне Игоревне, учителю математики" in text
    assert "она 20 мая 2026 г. прошла диагностику профессиональных компетенций в Центре оценки" in text
    assert "Функциональная грамотность учителя" in text and "(в ФР ДПП)" in text
    assert "Цифровые инструменты" not in text  # no ИТ deficit
    assert "до 19.05.2027" in text
    assert "О.В. Лебедева" in text
    rows = docx_tables(data)[-2] if len(docx_tables(data)) > 1 else docx_tables(data)[0]
    by_area = {r[0]: r[1:] for r in rows[1:]}
    assert by_area["Методические компетенции"] == ["54,5", "формирующее оценивание; проектирование урока"]
    assert by_area["Предметные компетенции"] == ["78", "не выявлены"]
    assert by_area["ИТ-компетенции"] == ["—", "не диагностировались"]


def test_only_the_diagnosing_copmkp_issues_it(world):
    result = _result(world)
    head = make_user(role=Role.SCHOOL_HEAD, organization=world["school"])
    with pytest.raises(ActionForbidden):
        diagnosis_certificate_request(actor=head, result=result)
    assert not IssuedDocument.objects.exists()
