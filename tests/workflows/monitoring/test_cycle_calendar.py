"""The cycle's calendar of each shipped profile (regulation_seed.py): the stages after collection
with the dates the region's regulation gives, chained from the day collection opens."""

import datetime as dt

import pytest

from tests.factories import make_municipality, make_region, make_user
from workflows.core.calendar import WorkCalendar
from workflows.monitoring.analysis import cycle_calendar
from workflows.monitoring.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def shipped_profiles():
    """The profiles as shipped (migration 0004 installs them; a transactional test run before this
    one flushes the tables, so they are installed again — idempotently — here)."""
    from django.core.management import call_command

    call_command("load_regulation_profiles", stdout=open("/dev/null", "w"))


def _calendar(code, tz, opens_on, start, end):
    region = make_region(name=f"Регион {code}", code=code, timezone=tz)
    campaign = Campaign.objects.create(region=region, title="Мониторинг", created_by=make_user(),
                                       period_start=start, period_end=end, opens_on=opens_on)
    return {stage.code: stage.due for stage in cycle_calendar(campaign)}


def test_sverdlovsk_analyses_by_30_march_decides_by_31_december_reviews_by_31_august():
    """«Ежегодно до 20.01» [001:L78] → «до 30 марта» [001:L86] → «до 31 декабря» [001:L187] →
    «до 31 августа» of the next year [001:L194-200; DOMAIN §3 A3]. 31.12.2026 is a day off in the
    production calendar (the 03.01 Saturday moved there), so the decisions fall due on the next
    working day after the New Year holidays, 11.01.2027 (ГК РФ ст. 193)."""
    stages = _calendar("66", "Asia/Yekaterinburg", dt.date(2025, 12, 1), dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert not WorkCalendar.load().is_working_day(dt.date(2026, 12, 31))
    assert stages == {
        "collection": dt.date(2026, 1, 20),
        "analysis": dt.date(2026, 3, 30),
        "measures": dt.date(2027, 1, 11),
        "effectiveness": dt.date(2027, 8, 31),
    }


def test_perm_half_year_collects_by_its_end_and_reports_in_november_december():
    """«1 раз в полгода» [003:L1476-1477]: the first half-year by 30.06.2026; the report
    «Ежегодно, ноябрь-декабрь» [003:L1478] by the last working day inside the window: 31.12.2026
    is a day off, so 30.12.2026. Perm sets no measures or effectiveness dates."""
    stages = _calendar("59", "Asia/Yekaterinburg", dt.date(2026, 5, 1), dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert stages == {"collection": dt.date(2026, 6, 30), "analysis": dt.date(2026, 12, 30),
                      "measures": None, "effectiveness": None}


def test_perm_second_half_year_reports_in_the_same_years_window():
    """The second half-year is collected by its end — 31.12.2026 is a day off, so the last working
    day inside the half-year, 30.12.2026 [003:L1476-1477]; the annual report «Ежегодно,
    ноябрь-декабрь» [003:L1478] is that year's: the collection falls inside the window, so the
    report is due by the window's last working day, 30.12.2026 — not in the next year's window,
    a year after its data (the chain used to start the report after the collection day)."""
    stages = _calendar("59", "Asia/Yekaterinburg", dt.date(2026, 11, 2), dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert stages == {"collection": dt.date(2026, 12, 30), "analysis": dt.date(2026, 12, 30),
                      "measures": None, "effectiveness": None}


def test_rostov_collects_by_15_july_and_sets_nothing_after():
    """«ежегодно до 15 июля по результатам предшествующего учебного года» [000:L105]."""
    stages = _calendar("61", "Europe/Moscow", dt.date(2026, 6, 1), dt.date(2025, 9, 1), dt.date(2026, 5, 31))
    assert stages == {"collection": dt.date(2026, 7, 15), "analysis": None, "measures": None, "effectiveness": None}


def test_belgorod_at_least_once_a_year():
    """«не реже одного раза в год» [002:L101]: by the last working day of the year, 30.12.2026."""
    stages = _calendar("31", "Europe/Moscow", dt.date(2026, 3, 1), dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert stages == {"collection": dt.date(2026, 12, 30), "analysis": None, "measures": None, "effectiveness": None}


def test_a_municipality_keeps_its_own_calendar_over_its_regions():
    from workflows.core.models import DeadlineKind, DeadlineRule, RegulationProfile

    region = make_region(name="Регион 66", code="66", timezone="Asia/Yekaterinburg")
    tura = make_municipality(region, "Нижняя Тура")
    profile = RegulationProfile.objects.create(region_code="66", municipality=tura, name="Нижняя Тура", version=1,
                                               valid_from=dt.date(2020, 1, 1))
    DeadlineRule.objects.create(profile=profile, code="monitoring.collection", title="Сбор", position=10,
                                kind=DeadlineKind.FIXED_ANNUAL, month=1, day=15)
    DeadlineRule.objects.create(profile=profile, code="monitoring.analysis", title="Анализ", position=20,
                                kind=DeadlineKind.FIXED_ANNUAL, month=2, day=27)
    campaign = Campaign.objects.create(region=region, municipality=tura, title="Мониторинг", created_by=make_user(),
                                       period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31),
                                       opens_on=dt.date(2025, 12, 1))
    stages = {stage.code: stage.due for stage in cycle_calendar(campaign)}
    assert stages["collection"] == dt.date(2026, 1, 15) and stages["analysis"] == dt.date(2026, 2, 27)
