"""IND-12 and IND-13 of the selection of sites in the kit's registry, on a dataset small enough to
check by hand.

IND-12 «Доля педагогических работников, прошедших стажировку» — the seed's «количество
обученных, освоивших программы стажировок в регионе» (003:L1345) over all teachers.
IND-13 «Количество региональных инновационных и стажировочных площадок» (003:L1341).

On 30.06.2028:

    Край (тест)
    ├─ Город А
    │   ├─ СОШ А1: 3 teachers; a site (status 01.09.2027–31.08.2029); t1 trained at it (until 20.05.2028)
    │   │                                                                   IND-12: 1 / 3
    │   └─ СОШ А2: 2 teachers; a site from 01.09.2030 (not yet in force); t4 trained at А1
    │       twice (10.06.2028 and 15.06.2028: one teacher)                  IND-12: 1 / 2
    │       Город А: IND-12 2 / 5 = 40 %; IND-13 1 (А2's not begun)
    └─ Город Б
        └─ СОШ Б1: 1 teacher, trained 01.09.2028 (after the date); its site revoked on 01.03.2028
            Город Б: IND-12 0 / 1 = 0 %; IND-13 0 (1 on 01.02.2028, before the revocation)
    Край: IND-12 2 / 6 = 33,3 %; IND-13 1; with the period from 01.06.2028 IND-12 is 1 / 6 (t1 ended before)
"""

import datetime as dt
from decimal import Decimal

import pytest

from documents.issuing import document_issue
from documents.kinds import get_spec
from orgstructure.models import OrganizationKind
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user
from workflows.core import indicators
from workflows.core.indicators import Level
from workflows.internships import documents
from workflows.internships.models import Application, Call, Internship, Programme, Site, SiteStatus

pytestmark = pytest.mark.django_db

ON = dt.date(2028, 6, 30)


@pytest.fixture
def data():
    region = make_region(name="Край (тест)", code="96")
    city_a, city_b = make_municipality(region, "Город А"), make_municipality(region, "Город Б")
    a1 = make_organization(region, municipality=city_a, name="СОШ А1")
    a2 = make_organization(region, municipality=city_a, name="СОШ А2")
    b1 = make_organization(region, municipality=city_b, name="СОШ Б1")
    cnppm = make_organization(region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР (тест)")
    ministry = make_organization(region, kind=OrganizationKind.MINISTRY, name="Министерство (тест)")
    ministry.head_name, ministry.head_position = "Белых Илья Кузьмич", "министр"
    ministry.save()
    user = make_user()
    employed = {"employed_since": dt.date(2015, 9, 1)}
    teachers = {
        "t1": make_person(a1, **employed),
        "t2": make_person(a1, **employed),
        "t3": make_person(a1, **employed),
        "t4": make_person(a2, **employed),
        "t5": make_person(a2, **employed),
        "t6": make_person(b1, **employed),
    }
    call = Call.objects.create(
        region=region,
        organizer=cnppm,
        kind="internship",
        title="Отбор (тест)",
        applications_due=dt.date(2027, 6, 1),
        status_from=dt.date(2027, 9, 1),
        status_to=dt.date(2029, 8, 31),
        created_by=user,
    )
    order = document_issue(
        kind=documents.SITES_ORDER_KIND,
        issuing_organization=ministry,
        artefact=call,
        context=get_spec(documents.SITES_ORDER_KIND).sample(ministry),
        signatory=None,
        issued_on=dt.date(2027, 8, 25),
        actor=user,
    )

    def site(school, **fields):
        application = Application.objects.create(
            call=call, organization=school, experience="о", resources="р", submitted_by=user
        )
        programme = Programme.objects.create(
            application=application, theme="Медиаобразование", target_group="учителя", format="групповая", hours=36
        )
        values = {"status_from": call.status_from, "status_to": call.status_to, **fields}
        return Site.objects.create(
            application=application, organization=school, region=region, kind="internship", order=order, **values
        ), programme

    site_a1, programme = site(a1)
    site(a2, status_from=dt.date(2030, 9, 1), status_to=dt.date(2032, 8, 31))
    site(b1, status=SiteStatus.REVOKED, ended_on=dt.date(2028, 3, 1))

    def trained(person, date_to):
        Internship.objects.create(
            site=site_a1,
            programme=programme,
            person=person,
            date_from=date_to - dt.timedelta(days=10),
            date_to=date_to,
            result="цикл занятий",
            recorded_by=user,
        )

    trained(teachers["t1"], dt.date(2028, 5, 20))
    trained(teachers["t4"], dt.date(2028, 6, 10))
    trained(teachers["t4"], dt.date(2028, 6, 15))
    trained(teachers["t6"], dt.date(2028, 9, 1))
    return type("Data", (), {"region": region, "city_a": city_a, "city_b": city_b, "a1": a1, "a2": a2, "b1": b1})


def test_both_are_registered_with_their_seed_lines():
    registry = {ind.code: ind for ind in indicators.registered_indicators()}
    assert registry["IND-12"].source.startswith("003:L1345") and registry["IND-12"].unit == indicators.Unit.SHARE
    assert registry["IND-13"].source.startswith("003:L1341") and registry["IND-13"].unit == indicators.Unit.COUNT
    assert registry["IND-12"].owner == registry["IND-13"].owner == "workflows.internships"


def test_ind12_share_of_teachers_trained_at_sites(data):
    by_school = indicators.evaluate("IND-12", territory=data.region, on_date=ON, by=Level.ORGANIZATION)
    assert (by_school[data.a1.pk].numerator, by_school[data.a1.pk].denominator) == (1, 3)
    assert (by_school[data.a2.pk].numerator, by_school[data.a2.pk].denominator) == (1, 2)  # t4 once
    assert (by_school[data.b1.pk].numerator, by_school[data.b1.pk].denominator) == (0, 1)  # after the date
    by_city = indicators.evaluate("IND-12", territory=data.region, on_date=ON, by=Level.MUNICIPALITY)
    assert by_city[data.city_a.pk].value == Decimal("40.0") and by_city[data.city_b.pk].value == Decimal("0.0")
    total = indicators.evaluate_total("IND-12", territory=data.region, on_date=ON)
    assert (total.numerator, total.denominator, total.value) == (2, 6, Decimal("33.3"))
    period = indicators.evaluate_total("IND-12", territory=data.region, on_date=ON, period_start=dt.date(2028, 6, 1))
    assert (period.numerator, period.denominator) == (1, 6)


def test_ind13_sites_in_force_on_the_date(data):
    by_city = indicators.evaluate("IND-13", territory=data.region, on_date=ON, by=Level.MUNICIPALITY)
    assert by_city[data.city_a.pk].value == 1
    assert data.city_b.pk not in by_city or by_city[data.city_b.pk].value == 0
    assert indicators.evaluate_total("IND-13", territory=data.region, on_date=ON).value == 1
    before_revocation = indicators.evaluate_total("IND-13", territory=data.region, on_date=dt.date(2028, 2, 1))
    assert before_revocation.value == 2
    assert indicators.evaluate_total("IND-13", territory=data.region, on_date=dt.date(2027, 8, 31)).value == 0
    assert indicators.evaluate_total("IND-13", territory=data.region, on_date=dt.date(2029, 8, 31)).value == 1
    assert indicators.evaluate_total("IND-13", territory=data.region, on_date=dt.date(2029, 9, 1)).value == 0
