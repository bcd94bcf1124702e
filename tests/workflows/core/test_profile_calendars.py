"""The calendar of each shipped regulation profile (issue 12), each date checked by hand against
the production calendar and cited from its seed line; a window («ноябрь-декабрь», «1 раз в
полгода», «не реже одного раза в год») ends on its last working day inside the window; a
municipality may keep its own calendar over its region's."""

import datetime as dt

import pytest
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_region, make_user
from tests.kitprocess.flows import ReportFlow
from workflows.core.calendar import WorkCalendar, deadline_instant
from workflows.core.deadlines import Due
from workflows.core.fanout import fan_out
from workflows.core.models import CalendarOverride, DeadlineRule, ProcessDeadline, RegulationProfile, TaskDeadline
from workflows.core.regulation import profile_for, profile_plan

pytestmark = pytest.mark.django_db
D = dt.date.fromisoformat
TZ = "Asia/Yekaterinburg"


def plan(region_code, start):
    profile = profile_for(region_code, D(start))
    assert profile.region_code == region_code
    plan = profile_plan(profile, start=D(start), tz=TZ, calendar=WorkCalendar.load())
    return {rule["code"]: due for rule, due in plan}


def end_of(day):
    return deadline_instant(D(day), TZ)


def test_sverdlovsk_cycle_with_its_contests_row():
    # «Ежегодно до 20.01» [001:L78] → «до 30 марта» [001:L86] → contests «до 31 августа» [001:L99-101]
    # → «до 31 декабря» [001:L112-187] → effectiveness «до 31 августа» [001:L194-200].
    dates = plan("66", "2025-12-01")
    assert dates["monitoring.collection"] == end_of("2026-01-20")  # Tuesday
    assert dates["monitoring.analysis"] == end_of("2026-03-30")  # Monday
    assert dates["monitoring.contests"] == end_of("2026-08-31")  # Monday
    # 31.12.2026 is a day off (Thursday, a holiday by the production calendar): a fixed date moves
    # to the next working day (ГК РФ ст. 193), after the New Year holidays.
    assert dates["monitoring.measures"] == end_of("2027-01-11")
    assert dates["monitoring.effectiveness"] == end_of("2027-08-31")  # Tuesday, the next year


def test_rostov_by_15_july():
    # «ежегодно до 15 июля» [000:L105]
    assert plan("61", "2026-01-10")["monitoring.collection"] == end_of("2026-07-15")  # Wednesday


def test_perm_half_yearly_and_the_november_december_report_ends_inside_the_window():
    # «1 раз в полгода» [003:L1476-1477]; report «Ежегодно, ноябрь-декабрь» [003:L1478]
    dates = plan("59", "2026-03-15")
    assert dates["monitoring.collection"] == end_of("2026-06-30")  # Tuesday, end of the half-year
    # 31.12.2026 is a day off: the window ends on Wednesday 30.12.2026, not in January.
    assert dates["monitoring.report"] == end_of("2026-12-30")


def test_belgorod_krasnogvardeysky_at_least_once_a_year():
    # «Цикличность проведения мониторинговых процедур – не реже одного раза в год» [002:L101]
    profile = profile_for("31", D("2026-02-01"))
    assert profile.name == "Белгородская область — Красногвардейский район"
    assert plan("31", "2026-02-01")["monitoring.collection"] == end_of("2026-12-30")


def test_a_window_whose_last_day_becomes_a_day_off_ends_on_the_working_day_before():
    # 31.12.2027 is a Friday; a decree makes it a day off → «ноябрь-декабрь» ends on 30.12.2027.
    CalendarOverride.objects.create(date=D("2027-12-31"), is_working=False, reason="постановление (тест)")
    assert plan("59", "2027-01-15")["monitoring.report"] == end_of("2027-12-30")
    # a fixed date on that day still moves forward (Rostov's 15 July is unaffected; Sverdlovsk's
    # 31 December goes to January)
    assert plan("66", "2027-05-01")["monitoring.measures"] > end_of("2027-12-31")


@pytest.fixture
def municipal_world():
    region = make_region(code="66", timezone=TZ)
    own, other = make_municipality(region, "Нижняя Тура"), make_municipality(region, "Кушва")
    profile = RegulationProfile.objects.create(
        region_code="66", municipality=own, name="Нижнетуринский ГО: свой график", valid_from=D("2020-01-01")
    )
    DeadlineRule.objects.create(
        profile=profile, code="monitoring.collection", title="Сбор данных", kind="fixed_annual", month=2, day=10,
        position=10,
    )
    for municipality in (own, other):
        make_organization(region, kind=OrganizationKind.MMS, municipality=municipality, name=f"ММС {municipality}")
    head = make_user("head")
    schools = [make_organization(region, municipality=m, name=f"СОШ {m}") for m in (own, other)]
    return type("W", (), {"own": own, "other": other, "profile": profile, "schools": schools, "head": head})


def test_a_municipality_keeps_its_own_calendar_over_its_regions(municipal_world):
    w = municipal_world
    assert profile_for("66", D("2026-01-01"), municipality_id=w.own.pk) == w.profile
    regional = profile_for("66", D("2026-01-01"), municipality_id=w.other.pk)
    assert regional.municipality is None and regional.region_code == "66"
    assert profile_for("66", D("2026-01-01")) == regional  # a municipal profile never answers for the region


@pytest.mark.parametrize("how", ["one-by-one", "fan-out"])
def test_a_process_of_a_school_takes_its_municipalitys_profile(municipal_world, monkeypatch, how):
    from tests.kitprocess.models import Report

    monkeypatch.setitem(ReportFlow.deadlines, "review", Due(rule="monitoring.collection", role=Role.MMS_METHODIST))
    w = municipal_world
    if how == "one-by-one":
        reports = [ReportFlow.start.run(actor=w.head, organization=s, title="т") for s in w.schools]
    else:
        reports = Report.objects.bulk_create([Report(organization=s, title="т") for s in w.schools])
        fan_out(ReportFlow, reports)
    own, other = (
        TaskDeadline.objects.get(task=Task.objects.get(process__artifact_object_id=r.pk, flow_task=ReportFlow.review))
        for r in reports
    )
    snapshot = ProcessDeadline.objects.get(process_id=own.process_id, rule_code="monitoring.collection")
    assert snapshot.profile == w.profile
    assert own.due_at.month == 2 and own.due_at.day in (10, 9)  # 10 February, local end of day
    assert other.due_at.month == 1  # the region's «до 20.01»
