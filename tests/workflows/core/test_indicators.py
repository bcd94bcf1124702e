"""The indicator registry of the kit (workflows/core/indicators.py) on a small hand-checked dataset,
and the kit's own IND-14 «Доля педагогических работников, имеющих первую/высшую квалификационную
категорию» (002:L171: «наличие квалификационной категории у педагогического работника (…первая
квалификационная категория, высшая квалификационная категория)»).

The dataset, on 01.06.2026 (written out so each figure below can be checked by hand):

    Тестовый край
    ├─ Город А
    │   ├─ СОШ № 1 (large): 10 teachers, 3 with a category in force          → 3 / 10 = 30 %
    │   └─ СОШ № 2 (small):  2 teachers, both высшая                         → 2 / 2 = 100 %
    │       Город А pooled: 5 / 12 = 41.7 % (the mean of shares would be 65 %)
    ├─ Город Б
    │   └─ СОШ № 3: nobody on staff                                          → 0 / 0, no value
    ├─ колледж (regional, no municipality): 1 teacher, no category
    └─ ЦНППМПР: 1 methodist with высшая — not a unit of a school indicator
        region pooled: 5 / 13 = 38.5 %
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgstructure.models import EducationLevel, OrganizationKind, Person, QualificationCategory, Sex
from tests.factories import make_municipality, make_organization, make_person, make_region, snils_with_checksum
from workflows.core import indicators
from workflows.core.indicators import (
    Figure,
    Indicator,
    IndicatorError,
    Level,
    Target,
    Territory,
    Unit,
    evaluate,
    evaluate_total,
    get_indicator,
    pool,
    register_indicator,
)

ON = dt.date(2026, 6, 1)
FIRST, HIGHEST, NONE = QualificationCategory.FIRST, QualificationCategory.HIGHEST, QualificationCategory.NONE


def teacher(org, category=NONE, valid_until=None, **fields):
    dates = (
        {"category_assigned_on": dt.date(2022, 1, 10), "category_valid_until": valid_until or dt.date(2027, 1, 9)}
        if category in (FIRST, HIGHEST)
        else {"category_assigned_on": None, "category_valid_until": None}
    )
    return make_person(org, category=category, **dates, **fields)


@pytest.fixture
def region(db):
    region = make_region("Тестовый край")
    town_a, town_b = make_municipality(region, "Город А"), make_municipality(region, "Город Б")
    large = make_organization(region, municipality=town_a, name="СОШ № 1")
    small = make_organization(region, municipality=town_a, name="СОШ № 2")
    empty = make_organization(region, municipality=town_b, name="СОШ № 3")
    college = make_organization(region, kind=OrganizationKind.COLLEGE, name="Колледж")
    cnppmpr = make_organization(region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР")
    lapsing = teacher(large, HIGHEST, valid_until=dt.date(2026, 5, 31))  # lapsed the day before ON
    for category in (FIRST, HIGHEST, HIGHEST):
        teacher(large, category)
    for _ in range(6):
        teacher(large, QualificationCategory.CONFORMITY if _ % 2 else NONE)
    teacher(small, HIGHEST)
    teacher(small, FIRST, valid_until=ON)  # valid through ON itself
    teacher(college)
    teacher(cnppmpr, HIGHEST)
    teacher(large, HIGHEST, employed_since=dt.date(2026, 9, 1))  # hired after ON: not yet on staff
    return SimpleNamespace(
        region=region, town_a=town_a, town_b=town_b, large=large, small=small, empty=empty,
        college=college, cnppmpr=cnppmpr, lapsing=lapsing,
    )


def test_ind14_per_school_counts_categories_in_force_on_the_date(region):
    figures = evaluate("IND-14", territory=region.region, on_date=ON, by=Level.ORGANIZATION)

    # СОШ № 1: первая, высшая, высшая in force; the lapsed высшая and соответствие do not count;
    # the teacher hired in September is not on staff yet
    assert (figures[region.large.pk].numerator, figures[region.large.pk].denominator) == (3, 10)
    assert figures[region.large.pk].value == Decimal("30.0")
    assert (figures[region.small.pk].numerator, figures[region.small.pk].denominator) == (2, 2)
    assert figures[region.small.pk].value == Decimal("100.0")
    assert (figures[region.college.pk].numerator, figures[region.college.pk].denominator) == (0, 1)
    assert region.cnppmpr.pk not in figures  # a regional body is not a unit of a school indicator
    with pytest.raises(IndicatorError, match="не считается по этой организации"):
        evaluate_total("IND-14", territory=region.cnppmpr, on_date=ON)


def test_shares_pool_numerators_and_denominators_not_shares(region):
    by_town = evaluate("IND-14", territory=region.region, on_date=ON, by=Level.MUNICIPALITY)
    town_a = by_town[region.town_a.pk]

    assert (town_a.numerator, town_a.denominator) == (5, 12)
    assert town_a.value == Decimal("41.7")
    assert town_a.value != (Decimal("30.0") + Decimal("100.0")) / 2  # 65 %: averaging would lie
    # the college has no municipality: in the region, in no town
    total = evaluate_total("IND-14", territory=region.region, on_date=ON)
    assert (total.numerator, total.denominator) == (5, 13) and total.value == Decimal("38.5")


def test_an_empty_territory_has_no_value(region):
    by_town = evaluate("IND-14", territory=region.region, on_date=ON, by=Level.MUNICIPALITY)
    by_school = evaluate("IND-14", territory=region.town_b, on_date=ON, by=Level.ORGANIZATION)

    assert (by_town[region.town_b.pk].numerator, by_town[region.town_b.pk].denominator) == (0, 0)
    assert by_town[region.town_b.pk].value is None
    assert by_school == {region.empty.pk: Figure(Unit.SHARE, 0, 0)}
    assert evaluate_total("IND-14", territory=region.empty, on_date=ON).value is None


def test_a_category_counts_through_its_last_day_and_not_after(region):
    def large_school(on_date):
        return evaluate_total("IND-14", territory=region.large, on_date=on_date).numerator

    assert large_school(dt.date(2026, 5, 31)) == 4  # the lapsing высшая is valid until 31.05
    assert large_school(dt.date(2026, 6, 1)) == 3
    assert region.lapsing.category_on(dt.date(2026, 5, 31)) == HIGHEST
    assert region.lapsing.category_on(dt.date(2026, 6, 1)) == NONE


@pytest.mark.parametrize("on_date", [dt.date(2026, 5, 31), ON, dt.date(2026, 6, 2), dt.date(2027, 3, 1)])
def test_the_sql_reads_categories_as_person_category_on(region, on_date):
    """The query and Person.category_on are one definition: count them both ways."""
    figures = evaluate("IND-14", territory=region.region, on_date=on_date, by=Level.ORGANIZATION)
    for org in (region.large, region.small, region.college):
        staff = [p for p in Person.objects.filter(organization=org) if p.employed_since <= on_date]
        in_force = [p for p in staff if p.category_on(on_date) in (FIRST, HIGHEST)]
        assert (figures[org.pk].numerator, figures[org.pk].denominator) == (len(in_force), len(staff))


def test_constant_number_of_queries_for_a_region_of_many_schools(db):
    def region_of(schools, name):
        region = make_region(name)
        towns = [make_municipality(region) for _ in range(max(1, schools // 10))]
        orgs = [make_organization(region, municipality=towns[i % len(towns)]) for i in range(schools)]
        base = 500_000_000 + schools * 1000
        Person.objects.bulk_create(
            Person(
                organization=org, snils=snils_with_checksum(base + i * 10 + j), last_name="Учитель",
                first_name="Тест", sex=Sex.FEMALE, birth_date=dt.date(1980, 1, 1), position="учитель",
                employed_since=dt.date(2010, 9, 1), category=HIGHEST if j % 2 else NONE,
                category_assigned_on=dt.date(2022, 1, 1) if j % 2 else None,
                category_valid_until=dt.date(2027, 1, 1) if j % 2 else None,
                education_level=EducationLevel.HIGHER, specialty_experience_since=dt.date(2010, 9, 1),
            )
            for i, org in enumerate(orgs)
            for j in range(4)
        )
        return region

    small, large = region_of(3, "Малый край"), region_of(120, "Большой край")
    counted = {}
    for region in (small, large):
        for by in Level:
            with CaptureQueriesContext(connection) as queries:
                figures = evaluate("IND-14", territory=region, on_date=ON, by=by)
            counted[region.name, by] = len(queries)
        assert len(evaluate("IND-14", territory=region, on_date=ON, by=Level.ORGANIZATION)) in (3, 120)

    # the compute query and the list of units (plus the municipalities when broken down by them)
    assert counted["Малый край", Level.ORGANIZATION] == counted["Большой край", Level.ORGANIZATION] == 2
    assert counted["Малый край", Level.MUNICIPALITY] == counted["Большой край", Level.MUNICIPALITY] == 3
    assert counted["Малый край", Level.REGION] == counted["Большой край", Level.REGION] == 2
    assert figures[large.pk] == Figure(Unit.SHARE, 240, 480)


# --- the registry -------------------------------------------------------------------------------


def _count_of_schools(territory, on_date, *, period_start=None):
    from orgstructure.models import Organization

    return {pk: (1, None) for pk in Organization.objects.filter(territory.organizations()).values_list("pk", flat=True)}


def _throwaway(**overrides):
    fields = dict(
        code="IND-99", name="Количество организаций", levels=(Level.MUNICIPALITY, Level.REGION),
        unit=Unit.COUNT, numerator="организации", denominator="", source="тест", compute=_count_of_schools,
    )
    fields.update(overrides)
    return Indicator(**fields)


@pytest.fixture
def throwaway():
    yield register_indicator(_throwaway())
    indicators.unregister_indicator("IND-99")


def test_duplicate_codes_are_refused_but_the_same_registration_again_is_not(throwaway):
    with pytest.raises(IndicatorError, match="IND-99 уже зарегистрирован"):
        register_indicator(_throwaway(name="Другой показатель"))
    with pytest.raises(IndicatorError, match="IND-14 уже зарегистрирован"):
        register_indicator(_throwaway(code="IND-14"))

    assert register_indicator(_throwaway()) is throwaway  # ready() ran again: nothing changes
    assert get_indicator("IND-14").owner == "workflows.core"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "IND9"}, "код пишется как IND-09"),
        ({"denominator": "все"}, "у количества нет знаменателя"),
        ({"unit": Unit.SHARE}, "требуют описания знаменателя"),
        ({"source": ""}, "ссылка на строку источника"),
        ({"targets": {Level.ORGANIZATION: Target(Decimal("30"))}}, "для уровня, на котором показатель не считается"),
    ],
)
def test_an_incomplete_indicator_is_refused(overrides, message):
    with pytest.raises(IndicatorError, match=message):
        register_indicator(_throwaway(**{"code": "IND-97", **overrides}))
    with pytest.raises(IndicatorError, match="не зарегистрирован"):
        get_indicator("IND-97")


def test_counts_pool_by_summing_and_levels_are_enforced(region, throwaway):
    by_town = evaluate("IND-99", territory=region.region, on_date=ON, by=Level.MUNICIPALITY)

    assert by_town == {region.town_a.pk: Figure(Unit.COUNT, 2, None), region.town_b.pk: Figure(Unit.COUNT, 1, None)}
    assert evaluate_total("IND-99", territory=region.region, on_date=ON).value == Decimal(4)  # + the college
    with pytest.raises(IndicatorError, match="считается на уровнях: МО, регион"):
        evaluate("IND-99", territory=region.region, on_date=ON, by=Level.ORGANIZATION)
    with pytest.raises(IndicatorError, match="нельзя разбить"):
        evaluate("IND-14", territory=region.large, on_date=ON, by=Level.MUNICIPALITY)
    with pytest.raises(IndicatorError, match="по региону, муниципалитету или организации"):
        Territory.of(region.lapsing)


def test_figure_values_and_targets():
    assert Figure(Unit.SHARE, 1, 3).value == Decimal("33.3")
    assert Figure(Unit.SHARE, 2, 3).value == Decimal("66.7")
    assert Figure(Unit.RATIO, 45, 4).value == Decimal("11.25")  # e.g. teachers per methodist, IND-08
    assert Figure(Unit.RATIO, 45, 0).value is None
    assert Figure(Unit.FLAG, 3, 4).value == Decimal("75.0")  # share of organizations with «да»
    at_least_30 = Target(Decimal("30"), by_year=2024, source="000:L217")  # «не менее 30%»
    assert at_least_30.met_by(Decimal("30.0")) and not at_least_30.met_by(Decimal("29.9"))
    assert at_least_30.met_by(None) is None


def test_pool_sums_figures_as_the_registry_does(region):
    """Monitoring pools the values schools submitted the same way: СОШ № 1 and № 2 make Город А."""
    by_school = evaluate("IND-14", territory=region.town_a, on_date=ON, by=Level.ORGANIZATION)

    assert pool(Unit.SHARE, by_school.values()) == Figure(Unit.SHARE, 5, 12)
    assert pool(Unit.SHARE, []).value is None
    assert pool(Unit.COUNT, [Figure(Unit.COUNT, 2, None), Figure(Unit.COUNT, 3, None)]) == Figure(Unit.COUNT, 5, None)
