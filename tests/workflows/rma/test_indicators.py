"""РМА's IND-09 «Доля педагогических работников, входящих в методический актив (РМА/ММА)» (001:L68
«формирование методического актива»; 000:L294), read through the kit's registry as monitoring
reads it.

The dataset (the РМА tests' Пермский край, conftest.perm, plus a few teachers), admitted by the
приказ of 10.03.2026:

    Березники, МАОУ «СОШ № 7»: 5 teachers
        Воронцова — admitted                                   member
        Гусева — admitted, membership under review             member (until the coordinator decides)
        Жукова — on the draft list                              not yet
        Ларионова — no application                              —
        Зуева — admitted, excluded by the coordinator today     member until today
    Кунгур, МБОУ «СОШ № 10»: 1 teacher
        Белоусова — an old application excluded long ago, and a new one admitted: one member

On the day before today: 3 / 5 = 60 % and 1 / 1 = 100 %, the region 4 / 6 = 66.7 % (the mean of
the schools' shares would be 80 %). Today: 2 / 5 = 40 %, the region 3 / 6 = 50 %.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_person
from workflows.core.indicators import Level, Unit, evaluate, evaluate_total, get_indicator, registered_indicators
from workflows.rma import services
from workflows.rma.models import RmaApplication, Status

ADMITTED_ON = dt.date(2026, 3, 10)


@pytest.fixture
def asset(perm):
    def application(person, status, admitted_on=ADMITTED_ON):
        return RmaApplication.objects.create(
            person=person,
            kind="nomination",
            submitted_by=perm.users.school_head,
            check_date=ADMITTED_ON,
            status=status,
            admitted_on=admitted_on,
        )

    school = perm.orgs.school
    application(perm.persons.eligible, Status.ADMITTED)
    application(make_person(school, last_name="Гусева"), Status.UNDER_REVIEW)
    application(make_person(school, last_name="Жукова"), Status.IN_DRAFT_LIST, admitted_on=None)
    leaving = application(make_person(school, last_name="Зуева"), Status.UNDER_REVIEW)
    application(perm.persons.kungur_teacher, Status.EXCLUDED, admitted_on=dt.date(2024, 3, 1))
    application(perm.persons.kungur_teacher, Status.ADMITTED)
    services.membership_exclude(
        actor=perm.users.rma_coord, application=leaving, reason="Квалификационная категория не подтверждена"
    )
    return perm


def shares(perm, on_date, by):
    return {
        key: (figure.numerator, figure.denominator, figure.value)
        for key, figure in evaluate("IND-09", territory=perm.region, on_date=on_date, by=by).items()
    }


def test_registered_from_the_rma_app_with_its_seed_line():
    ind = get_indicator("IND-09")

    assert ind.owner == "workflows.rma" and ind.unit == Unit.SHARE
    assert "001:L68" in ind.source and Level.ORGANIZATION in ind.levels and Level.MUNICIPALITY in ind.levels
    assert {"IND-09", "IND-14"} <= {i.code for i in registered_indicators()}


def test_members_on_a_date_per_school_and_pooled(asset):
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    by_school = shares(asset, yesterday, Level.ORGANIZATION)
    by_town = shares(asset, yesterday, Level.MUNICIPALITY)
    region = evaluate_total("IND-09", territory=asset.region, on_date=yesterday)

    assert by_school == {
        asset.orgs.school.pk: (3, 5, Decimal("60.0")),
        asset.orgs.school_kungur.pk: (1, 1, Decimal("100.0")),
    }
    assert by_town == {asset.berezniki.pk: (3, 5, Decimal("60.0")), asset.kungur.pk: (1, 1, Decimal("100.0"))}
    assert (region.numerator, region.denominator, region.value) == (4, 6, Decimal("66.7"))
    assert region.value != Decimal("80.0")  # the mean of the two schools' shares


def test_an_excluded_member_counts_until_the_exclusion(asset):
    today = timezone.localdate()

    assert shares(asset, today, Level.ORGANIZATION)[asset.orgs.school.pk] == (2, 5, Decimal("40.0"))
    assert evaluate_total("IND-09", territory=asset.region, on_date=today).value == Decimal("50.0")


def test_nobody_is_a_member_before_the_order(asset):
    before = ADMITTED_ON - dt.timedelta(days=1)

    assert shares(asset, before, Level.MUNICIPALITY) == {
        asset.berezniki.pk: (0, 5, Decimal("0.0")),
        asset.kungur.pk: (0, 1, Decimal("0.0")),
    }
    assert shares(asset, ADMITTED_ON, Level.ORGANIZATION)[asset.orgs.school.pk][0] == 3


def test_a_school_without_teachers_has_no_value(asset):
    from tests.factories import make_organization

    empty = make_organization(asset.region, municipality=asset.kungur, name="МБОУ «ООШ № 2» г. Кунгура")

    figure = evaluate_total("IND-09", territory=empty, on_date=timezone.localdate())

    assert (figure.numerator, figure.denominator, figure.value) == (0, 0, None)


def test_one_query_for_the_whole_region(asset):
    evaluate("IND-09", territory=asset.region, on_date=ADMITTED_ON, by=Level.ORGANIZATION)  # content types cached

    with CaptureQueriesContext(connection) as queries:
        evaluate("IND-09", territory=asset.region, on_date=ADMITTED_ON, by=Level.ORGANIZATION)

    assert len(queries) == 2  # the counts (grouped by school) and the list of schools
