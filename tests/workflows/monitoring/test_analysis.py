"""Issue 12 §7: each indicator of a regional campaign aggregated school → municipality → region
from the accepted submissions, on a small hand-checked dataset (numbers below are worked out by
hand in the comments); targets, last period and the change; who is below target and why."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from orgstructure.models import Organization
from tests.factories import make_municipality, make_organization, make_region, make_user
from workflows.monitoring.analysis import campaign_analysis, format_change, format_figure
from workflows.monitoring.models import Campaign, CampaignIndicator, Submission, SubmissionStatus, ValueKind

pytestmark = pytest.mark.django_db

INDICATORS = [
    # code, kind, target, source (the seed line of the formula and the target)
    ("IND-03", ValueKind.SHARE, 30, "«к 2024 году – не менее 30%» [000:L217]"),
    ("IND-06", ValueKind.SHARE, 70, "«к 2024 году – не менее 70%» [000:L220]"),
    ("IND-22", ValueKind.YES_NO, 50, "«наличие методических структур …» 1/0 per org [002:L135]"),
    ("IND-18", ValueKind.NUMBER, None, "«выявление кадровых потребностей» — количество вакансий [001:L29]"),
    ("NOTE", ValueKind.TEXT, None, ""),
]


def make_campaign(region, official, *, year, municipality=None):
    campaign = Campaign.objects.create(
        region=region, municipality=municipality, title=f"Мониторинг {year}", created_by=official,
        period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), opens_on=dt.date(year, 11, 1),
    )
    for position, (code, kind, target, source) in enumerate(INDICATORS):
        CampaignIndicator.objects.create(campaign=campaign, code=code, title=f"Показатель {code}", kind=kind,
                                         target=target, source=source, position=position)
    return campaign


def put(campaign, school, values, status=SubmissionStatus.ACCEPTED):
    Submission.objects.bulk_create([Submission(campaign=campaign, organization=school, values=values, status=status)])


def share(numerator, denominator):
    return {"numerator": str(numerator), "denominator": str(denominator)}


@pytest.fixture
def region_data():
    region = make_region(name="Пермский край (тест)", code="59")
    m1, m2 = make_municipality(region, "Березники"), make_municipality(region, "Кунгур")
    a = make_organization(region, municipality=m1, name="СОШ № 1")
    b = make_organization(region, municipality=m1, name="СОШ № 2")
    c = make_organization(region, municipality=m2, name="СОШ № 3")
    d = make_organization(region, municipality=m2, name="СОШ № 4")
    official = make_user("analyst")
    before = make_campaign(region, official, year=2025)
    now = make_campaign(region, official, year=2026)
    put(now, a, {"IND-03": share(12, 40), "IND-06": share(5, 6), "IND-22": True, "IND-18": "2", "NOTE": ""})
    put(now, b, {"IND-03": share(3, 20), "IND-06": share(1, 4), "IND-22": False, "IND-18": "0",
                 "NOTE": "Два педагога на больничном, курсы перенесены"})
    put(now, c, {"IND-03": share(10, 40), "IND-06": share(3, 3), "IND-22": True, "IND-18": "3"})
    # submitted, not accepted: left out of every figure
    put(now, d, {"IND-03": share(40, 40), "IND-06": share(9, 9), "IND-22": True, "IND-18": "9"},
        status=SubmissionStatus.SUBMITTED)
    put(before, a, {"IND-03": share(8, 40), "IND-06": share(4, 6), "IND-22": True, "IND-18": "1"})
    put(before, b, {"IND-03": share(2, 20), "IND-06": share(1, 4), "IND-22": False, "IND-18": "1"})
    put(before, c, {"IND-03": share(10, 40), "IND-06": share(2, 3), "IND-22": False, "IND-18": "4"})
    return type("D", (), {"region": region, "m1": m1, "m2": m2, "a": a, "b": b, "c": c, "d": d,
                          "now": now, "before": before})


def test_a_share_pools_numerators_and_denominators_at_every_level(region_data):
    """IND-03 [000:L217]: Березники (12 + 3) / (40 + 20) = 15/60 = 25,0 % — not the mean of the
    schools' 30 % and 15 % (22,5 %); Кунгур 10/40 = 25,0 %; the region 25/100 = 25,0 %; СОШ № 4
    (submitted, not accepted) counts nowhere."""
    w = region_data
    result = campaign_analysis(w.now).result("IND-03")
    assert (result.total.figure.numerator, result.total.figure.denominator) == (25, 100)
    assert result.total.value == Decimal("25.0")
    assert result.municipalities[w.m1.pk].value == Decimal("25.0")
    assert result.municipalities[w.m2.pk].value == Decimal("25.0")
    assert result.schools[w.a.pk].value == Decimal("30.0") and result.schools[w.b.pk].value == Decimal("15.0")
    assert w.d.pk not in result.schools
    assert format_figure(result.total.figure, ValueKind.SHARE) == "25 % (25 из 100)"


def test_young_teachers_share_pools_the_cohorts(region_data):
    """IND-06 [000:L220]: Березники (5 + 1) / (6 + 4) = 6/10 = 60,0 %; Кунгур 3/3 = 100 %;
    the region 9/13 = 69,23… → 69,2 % — below «не менее 70%» though two of three schools meet it."""
    w = region_data
    result = campaign_analysis(w.now).result("IND-06")
    assert result.municipalities[w.m1.pk].value == Decimal("60.0")
    assert result.municipalities[w.m2.pk].value == Decimal("100.0")
    assert result.total.value == Decimal("69.2") and result.total.below_target


def test_a_yes_no_indicator_is_the_share_of_schools_answering_yes(region_data):
    """IND-22 [002:L135, DOMAIN-DOCUMENTS 1.8 «1/0 per org; share of orgs with 1»]: Березники 1 of
    2 schools = 50 %, Кунгур 1 of 1 = 100 %, the region 2 of 3 = 66,7 %."""
    w = region_data
    result = campaign_analysis(w.now).result("IND-22")
    assert result.municipalities[w.m1.pk].value == Decimal("50.0")
    assert result.municipalities[w.m2.pk].value == Decimal("100.0")
    assert result.total.value == Decimal("66.7")
    assert (result.total.figure.numerator, result.total.figure.denominator) == (2, 3)


def test_a_number_is_summed_and_has_no_school_target(region_data):
    """IND-18 [001:L29] (вакансии): Березники 2 + 0 = 2, Кунгур 3, the region 5; last period
    1 + 1 + 4 = 6, so the change is −1."""
    w = region_data
    result = campaign_analysis(w.now).result("IND-18")
    assert result.municipalities[w.m1.pk].value == 2 and result.total.value == 5
    assert result.total.previous_value == 6 and result.total.change == -1
    assert format_change(result.total.change, ValueKind.NUMBER) == "-1"


def test_last_period_and_the_change_in_percentage_points(region_data):
    """IND-03 last period: (8 + 2 + 10) / (40 + 20 + 40) = 20 % → now 25 %: +5 п.п.; Березники
    10/60 = 16,7 % → 25,0 %: +8,3 п.п."""
    w = region_data
    result = campaign_analysis(w.now).result("IND-03")
    assert result.total.previous_value == Decimal("20.0") and result.total.change == Decimal("5.0")
    assert format_change(result.total.change, ValueKind.SHARE) == "+5 п.п."
    assert result.municipalities[w.m1.pk].change == Decimal("8.3")


def test_below_target_schools_and_municipalities_with_their_factors(region_data):
    w = region_data
    analysis = campaign_analysis(w.now)
    result = analysis.result("IND-03")
    schools = analysis.below_target_schools(result)
    assert [s.name for s in schools] == ["СОШ № 2", "СОШ № 3"]  # 15 % then 25 %; СОШ № 1 has exactly 30 %
    second = schools[0]
    assert "IND-06 ниже цели: 25 % при цели 70 %" in second.factors
    assert "комментарий школы: «Два педагога на больничном, курсы перенесены»" in second.factors
    municipalities = analysis.below_target_municipalities(result)
    assert {m.name for m in municipalities} == {"Березники", "Кунгур"}
    kungur = next(m for m in municipalities if m.name == "Кунгур")
    assert "нет принятых данных по показателю у 1 из 2 ОО" in kungur.factors
    assert analysis.schools_total == 4 and analysis.schools_accepted == 3


def test_one_municipality_alone(region_data):
    w = region_data
    analysis = campaign_analysis(w.now, municipality_id=w.m1.pk)
    result = analysis.result("IND-03")
    assert result.total.value == Decimal("25.0") and set(result.schools) == {w.a.pk, w.b.pk}
    assert result.total.previous_value == Decimal("16.7")


def test_the_query_count_does_not_grow_with_the_schools(region_data):
    w = region_data
    with CaptureQueriesContext(connection) as few:
        campaign_analysis(w.now)
    for n in range(12):
        school = make_organization(w.region, municipality=w.m2, name=f"СОШ № {10 + n}")
        put(w.now, school, {"IND-03": share(1, 10), "IND-06": share(1, 1), "IND-22": True, "IND-18": "1"})
    with CaptureQueriesContext(connection) as many:
        campaign_analysis(w.now)
    # the indicators, the previous campaign and its indicators, the schools and the municipalities'
    # names, and for each period the schools' answers and the sums by municipality
    assert len(many) == len(few) <= 9


def test_a_percentage_entered_as_such_aggregates_as_the_median_of_the_schools_not_their_mean():
    """ValueKind.PERCENT (a school's own percentage, without the share's two parts), with the
    target «не менее 70%» of IND-06 [000:L220]. Worked by hand:
    Березники 100 (a school of a few teachers), 40, 55 → median 55 (below target);
    Кунгур 80 and «62,5» (a decimal comma) → median (62,5 + 80) / 2 = 71,25 → 71,3 (met);
    the region: 40, 55, 62,5, 80, 100 → median 62,5 (below) — their mean, 67,5, is not used;
    a school whose answer is not a number («н/д») is left out, as one that gave nothing.
    Last period: 30, 50, 90 → median 50, so the change is +12,5 п.п."""
    region = make_region(name="Пермский край (тест)", code="59")
    m1, m2 = make_municipality(region, "Березники"), make_municipality(region, "Кунгур")
    schools = [make_organization(region, municipality=m, name=f"СОШ № {n}")
               for n, m in enumerate([m1, m1, m1, m2, m2, m2], start=1)]
    official = make_user("analyst")
    campaigns = {}
    for year in (2025, 2026):
        campaign = Campaign.objects.create(
            region=region, title=f"Мониторинг {year}", created_by=official, period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31), opens_on=dt.date(year, 11, 1))
        CampaignIndicator.objects.create(campaign=campaign, code="IND-06", title="Доля молодых педагогов, %",
                                         kind=ValueKind.PERCENT, target=70, source="[000:L220]", position=0)
        # beside a share, which still pools (1 of 2 at each school: 50 %)
        CampaignIndicator.objects.create(campaign=campaign, code="IND-03", title="Доля", kind=ValueKind.SHARE,
                                         target=30, position=1)
        campaigns[year] = campaign
    for school, value in zip(schools, ["100", "40", "55", "80", "62,5", "н/д"], strict=True):
        put(campaigns[2026], school, {"IND-06": value, "IND-03": share(1, 2)})
    for school, value in zip(schools[:3], ["90", "30", "50"], strict=True):
        put(campaigns[2025], school, {"IND-06": value, "IND-03": share(1, 2)})

    analysis = campaign_analysis(campaigns[2026])
    assert analysis.result("IND-03").total.figure.numerator == 6 and analysis.result("IND-03").total.value == 50
    result = analysis.result("IND-06")
    assert result.total.value == Decimal("62.5") and result.total.figure.count == 5
    assert result.municipalities[m1.pk].value == Decimal("55.0") and result.municipalities[m1.pk].below_target
    assert result.municipalities[m2.pk].value == Decimal("71.3") and result.municipalities[m2.pk].achieved
    assert result.schools[schools[0].pk].value == Decimal("100.0") and schools[5].pk not in result.schools
    assert result.total.below_target and result.total.previous_value == Decimal("50.0")
    assert format_figure(result.total.figure, ValueKind.PERCENT) == "62,5 % (медиана по 5 ОО)"
    assert format_change(result.total.change, ValueKind.PERCENT) == "+12,5 п.п."
    assert result.unit == "%, медиана ОО"
    # the справка's data print the median as a value in %, and say it is one
    from documents.issuing import document_preview
    from workflows.monitoring.analysis_models import AnalysisReport
    from workflows.monitoring.analysis_services import report_data
    from workflows.monitoring.documents import REPORT_KIND

    center = make_organization(region, kind="cnppmpr", name="ЦНППМПР (тест)")
    Organization.objects.filter(pk=center.pk).update(head_name="Иванова Мария Петровна", head_position="директор")
    center.refresh_from_db()
    report = AnalysisReport.objects.create(campaign=campaigns[2026], created_by=official, issuing_organization=center)
    data = report_data(report)
    row, _share = data["indicators"]
    assert (row["value"], row["unit"], row["previous"]) == ("62.5", "%", "50.0") and "numerator" not in row
    assert row["name"] == "Доля молодых педагогов, % (медиана по 5 ОО)"
    assert document_preview(kind=REPORT_KIND, issuing_organization=center, context=data)[:2] == b"PK"
