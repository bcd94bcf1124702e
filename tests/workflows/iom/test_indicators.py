"""ИОМ's indicators in the kit's registry: counted per school, pooled up (numerators and
denominators summed, never shares averaged)."""

import datetime as dt

import pytest

from workflows.core.indicators import Level, evaluate, evaluate_total, get_indicator
from workflows.iom.models import (
    Activity,
    DiagnosisResult,
    DiagnosisSource,
    IomRequest,
    Route,
    Status,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def route(world, person, status, **fields):
    request = IomRequest.objects.create(region=world.region, municipality=world.north, organization=world.school,
                                        source="individual", topic="т", requested_by=world.teacher)
    return Route.objects.create(request=request, person=person, status=status, **fields)


def test_the_five_are_registered_by_iom():
    for code in ("IND-01", "IND-02", "IND-03", "IND-08", "IND-21"):
        assert get_indicator(code).owner == "workflows.iom"


def test_ind01_ind02_ind03_ind21_count_the_schools_teachers(world):
    DiagnosisResult.objects.create(person=world.person, diagnosed_on=TODAY - dt.timedelta(days=10), instrument="ФОС",
                                   organization=world.cnppm, source=DiagnosisSource.MANUAL, entered_by=world.teacher)
    done = route(world, world.person, Status.COMPLETED, registered_on=TODAY - dt.timedelta(days=5),
                 completed_on=TODAY, result="Применяет", curator=world.member, curator_role="rma_member")
    deficit = done.deficits.create(area="it", description="ИТ", diagnosed=True)
    Activity.objects.create(route=done, deficit=deficit, kind="course", title="ДПП", in_federal_register=True,
                            hours=18, starts_on=TODAY, due_on=TODAY, expected_result="удостоверение",
                            status="done", done_on=TODAY)
    route(world, world.colleague_person, Status.DESIGN, curator=world.member, curator_role="rma_member")
    staff = 3  # person, colleague, mentor at the school
    for code, numerator in (("IND-01", 1), ("IND-02", 1), ("IND-03", 1)):
        figure = evaluate(code, territory=world.school, on_date=TODAY)[world.school.pk]
        assert (figure.numerator, figure.denominator) == (numerator, staff), code
    assert evaluate_total("IND-01", territory=world.school, on_date=TODAY - dt.timedelta(days=11)).numerator == 0
    ind21 = evaluate("IND-21", territory=world.region, on_date=TODAY, by=Level.MUNICIPALITY)[world.north.pk]
    assert (ind21.numerator, ind21.denominator) == (1, 1)
    # IND-08: teachers with a route in work at an РМА member ÷ active РМА members (three in the region)
    ind08 = evaluate_total("IND-08", territory=world.region, on_date=TODAY)
    assert (ind08.numerator, ind08.denominator) == (1, 3)
