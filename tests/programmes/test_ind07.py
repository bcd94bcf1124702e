"""IND-07 «доля программ ДППО, размещенных в ФР ДПП, в общем количестве программ ДППО,
реализуемых организацией дополнительного профессионального (педагогического) образования»
(003:L558), counted by hand.

ИРО in the period 2026-01-01 … 2026-06-30 carries out three programmes (a group runs in it):
A (in ФР ДПП), B (in ФР ДПП), C (not) — and D, in ФР ДПП, whose only group ended in 2025, is not
carried out in the period. ЦНППМПР carries out E (not in ФР ДПП). So ИРО: 2 of 3 = 66.7 %;
ЦНППМПР: 0 of 1 = 0 %; the region pools them: 2 of 4 = 50 %, not the mean of the shares (33.3 %).
A school is no unit of IND-07."""

import datetime as dt
from decimal import Decimal

import pytest

from orgstructure.models import OrganizationKind
from programmes.models import Programme, ProgrammeGroup
from tests.factories import make_organization, make_region
from workflows.core.indicators import IndicatorError, Level, evaluate, evaluate_total, get_indicator

pytestmark = pytest.mark.django_db

START, ON = dt.date(2026, 1, 1), dt.date(2026, 6, 30)


def _programme(provider, title, *, register, groups):
    programme = Programme.objects.create(title=title, provider=provider, hours=36, in_federal_register=register)
    for starts, ends in groups:
        ProgrammeGroup.objects.create(programme=programme, starts_on=starts, ends_on=ends)
    return programme


@pytest.fixture
def world():
    region = make_region()
    iro = make_organization(region, kind=OrganizationKind.IRO, name="ИРО")
    cnppm = make_organization(region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР")
    school = make_organization(region)
    _programme(iro, "A", register=True, groups=[(dt.date(2025, 12, 20), dt.date(2026, 1, 10))])  # runs into the period
    _programme(iro, "B", register=True, groups=[(dt.date(2026, 6, 30), dt.date(2026, 7, 10))])  # starts on its last day
    _programme(iro, "C", register=False, groups=[(dt.date(2026, 3, 1), dt.date(2026, 3, 5))])
    _programme(iro, "D", register=True, groups=[(dt.date(2025, 3, 1), dt.date(2025, 12, 31))])  # ended before
    _programme(cnppm, "E", register=False, groups=[(dt.date(2026, 2, 1), dt.date(2026, 2, 5))])
    _programme(cnppm, "F", register=True, groups=[])  # no group: not carried out
    return {"region": region, "iro": iro, "cnppm": cnppm, "school": school}


def test_ind07_is_registered_with_its_seed_line():
    ind = get_indicator("IND-07")
    assert ind.source.startswith("003:L558")
    assert set(ind.levels) == {Level.ORGANIZATION, Level.REGION}


def test_ind07_counted_by_hand(world):
    by_provider = evaluate("IND-07", territory=world["region"], on_date=ON, by=Level.ORGANIZATION, period_start=START)

    iro, cnppm = by_provider[world["iro"].pk], by_provider[world["cnppm"].pk]
    assert (iro.numerator, iro.denominator, iro.value) == (2, 3, Decimal("66.7"))
    assert (cnppm.numerator, cnppm.denominator, cnppm.value) == (0, 1, Decimal("0.0"))
    assert world["school"].pk not in by_provider

    region = evaluate_total("IND-07", territory=world["region"], on_date=ON, period_start=START)
    assert (region.numerator, region.denominator, region.value) == (2, 4, Decimal("50.0"))


def test_ind07_period_defaults_to_the_calendar_year(world):
    # 2026-01-01 … 2026-03-01: A (runs into January) and C (starts 1 March) of ИРО; B has not begun.
    figure = evaluate_total("IND-07", territory=world["iro"], on_date=dt.date(2026, 3, 1))
    assert (figure.numerator, figure.denominator) == (1, 2)


def test_ind07_is_not_counted_for_a_school(world):
    with pytest.raises(IndicatorError):
        evaluate_total("IND-07", territory=world["school"], on_date=ON)
