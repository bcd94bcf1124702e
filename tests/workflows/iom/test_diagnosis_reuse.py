"""current_diagnosis(person, on_date): a result younger than the region's setting is reused; an
older one, or one of the future, is not; the teacher's results are seen only by those who handle
them (152-ФЗ)."""

import datetime as dt
from decimal import Decimal

import pytest

from orgstructure.access import scope_queryset
from orgstructure.models import OrganizationKind, Role
from programmes.models import CompetencyArea
from tests.factories import make_organization, make_person, make_region, make_user
from workflows.iom.diagnostics.models import (
    DiagnosisDeficit,
    DiagnosisRegionSettings,
    DiagnosisResult,
    DiagnosisScore,
    DiagnosisSource,
)
from workflows.iom.diagnostics.selectors import current_diagnosis

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    region = make_region()
    copmkp = make_organization(region, kind=OrganizationKind.COPMKP, name="ЦОПМКП тестовый")
    school = make_organization(region)
    other_school = make_organization(region, municipality=school.municipality)
    teacher = make_person(school)
    return {
        "region": region,
        "copmkp": copmkp,
        "school": school,
        "other_school": other_school,
        "teacher": teacher,
        "assessor": make_user(role=Role.COPMKP_ASSESSOR, organization=copmkp),
    }


def _result(world, on: dt.date, **extra):
    result = DiagnosisResult.objects.create(
        person=world["teacher"],
        diagnosed_on=on,
        instrument="ФОС «Методические компетенции учителя»",
        organization=world["copmkp"],
        source=DiagnosisSource.MANUAL,
        entered_by=world["assessor"],
        **extra,
    )
    DiagnosisScore.objects.create(result=result, area=CompetencyArea.METHODICAL, score=Decimal("54.5"))
    DiagnosisDeficit.objects.create(result=result, area=CompetencyArea.METHODICAL, title="формирующее оценивание")
    return result


def test_a_result_younger_than_the_default_twelve_months_is_reused(world):
    result = _result(world, dt.date(2025, 3, 1))

    found = current_diagnosis(world["teacher"], dt.date(2026, 2, 28))

    assert found == result
    assert found.score_for(CompetencyArea.METHODICAL) == Decimal("54.50")
    assert [d.title for d in found.deficits.all()] == ["формирующее оценивание"]


def test_a_result_exactly_the_setting_old_is_not_reused(world):
    _result(world, dt.date(2025, 3, 1))

    assert current_diagnosis(world["teacher"], dt.date(2026, 3, 1)) is None


def test_the_regional_setting_decides(world):
    _result(world, dt.date(2025, 3, 1))
    DiagnosisRegionSettings.objects.create(region=world["region"], reuse_months=6)

    assert current_diagnosis(world["teacher"], dt.date(2025, 8, 31)) is not None
    assert current_diagnosis(world["teacher"], dt.date(2025, 9, 1)) is None


def test_the_latest_result_wins_and_a_future_one_does_not_count(world):
    _result(world, dt.date(2025, 1, 10))
    latest = _result(world, dt.date(2025, 5, 20))
    _result(world, dt.date(2025, 9, 1))

    assert current_diagnosis(world["teacher"], dt.date(2025, 6, 1)) == latest


def test_results_are_seen_only_by_those_who_handle_them(world):
    result = _result(world, dt.date(2025, 3, 1))
    head = make_user(role=Role.SCHOOL_HEAD, organization=world["school"])
    other_head = make_user(role=Role.SCHOOL_HEAD, organization=world["other_school"])
    mms = make_user(
        role=Role.MMS_METHODIST,
        organization=make_organization(
            world["region"], kind=OrganizationKind.MMS, municipality=world["school"].municipality
        ),
    )
    own = make_user(person=world["teacher"], role=Role.TEACHER, organization=world["school"])
    colleague = make_user(person=make_person(world["school"]), role=Role.TEACHER, organization=world["school"])
    all_results = DiagnosisResult.objects.all()

    seen = {
        name: list(scope_queryset(user, all_results))
        for name, user in {
            "assessor": world["assessor"],
            "head": head,
            "own": own,
            "other_head": other_head,
            "mms": mms,
            "colleague": colleague,
        }.items()
    }

    assert seen == {
        "assessor": [result],
        "head": [result],
        "own": [result],
        "other_head": [],
        "mms": [],
        "colleague": [],
    }
