"""The production calendar and deadline instants, on 2026 dates."""

import datetime as dt

import holidays
import pytest

from workflows.core import calendar as cal
from workflows.core.calendar import WorkCalendar, day_off_note, deadline_instant, due_at
from workflows.core.models import CalendarOverride

D = dt.date.fromisoformat
UTC = dt.UTC


def utc(*parts):
    return dt.datetime(*parts, tzinfo=UTC)


class TestPackageCalendar2026:
    def test_new_year_holidays_and_transfers_are_days_off(self):
        calendar = WorkCalendar()
        for day in range(1, 12):  # 1–8 holidays, 9 January transferred from 3 January, 10–11 weekend
            assert not calendar.is_working_day(dt.date(2026, 1, day)), day
        assert calendar.is_working_day(D("2026-01-12"))

    def test_31_december_2026_is_a_day_off(self):
        calendar = WorkCalendar()
        assert calendar.is_working_day(D("2026-12-30"))
        assert not calendar.is_working_day(D("2026-12-31"))

    def test_holiday_observed_on_monday(self):
        calendar = WorkCalendar()
        assert not calendar.is_working_day(D("2026-03-08"))  # Sunday holiday
        assert not calendar.is_working_day(D("2026-03-09"))  # its observed Monday
        assert calendar.roll_forward(D("2026-03-08")) == D("2026-03-10")

    def test_2026_has_no_working_saturday_in_the_package_but_2025_has_one(self):
        assert not holidays.country_holidays("RU", years=[2026]).weekend_workdays
        calendar = WorkCalendar()
        assert not calendar.is_working_day(D("2026-02-28"))
        assert calendar.is_working_day(D("2025-11-01"))  # Saturday, working by the 2025 decree


class TestArithmetic:
    def test_add_working_days_jumps_over_new_year(self):
        calendar = WorkCalendar()
        assert calendar.add_working_days(D("2025-12-29"), 1) == D("2025-12-30")
        assert calendar.add_working_days(D("2025-12-29"), 2) == D("2026-01-12")
        assert calendar.add_working_days(D("2026-12-29"), 2) == D("2027-01-11")

    def test_add_working_days_backwards(self):
        calendar = WorkCalendar()
        assert calendar.add_working_days(D("2026-01-12"), -1) == D("2025-12-30")
        assert calendar.add_working_days(D("2026-01-20"), -3) == D("2026-01-15")

    def test_zero_days_rolls_forward(self):
        calendar = WorkCalendar()
        assert calendar.add_working_days(D("2026-01-09"), 0) == D("2026-01-12")
        assert calendar.add_working_days(D("2026-01-13"), 0) == D("2026-01-13")

    def test_next_working_day_is_strictly_after(self):
        calendar = WorkCalendar()
        assert calendar.next_working_day(D("2026-01-12")) == D("2026-01-13")
        assert calendar.next_working_day(D("2026-01-08")) == D("2026-01-12")
        assert calendar.previous_working_day(D("2026-01-12")) == D("2025-12-30")

    def test_deadline_landing_on_sunday_moves_to_monday(self):
        calendar = WorkCalendar()
        # «5 календарных дней» from Tuesday 10 February 2026 end on Sunday 15 February
        assert calendar.add_calendar_days(D("2026-02-10"), 5) == D("2026-02-16")
        assert calendar.add_calendar_days(D("2026-02-10"), 5, move_off_days=False) == D("2026-02-15")

    def test_fixed_31_december_2026_moves_past_new_year_holidays(self):
        assert WorkCalendar().roll_forward(D("2026-12-31")) == D("2027-01-11")

    def test_working_days_between(self):
        calendar = WorkCalendar()
        assert calendar.working_days_between(D("2025-12-29"), D("2026-01-12")) == 2
        assert calendar.working_days_between(D("2026-01-12"), D("2026-01-12")) == 0


@pytest.mark.django_db
class TestOverrides:
    def test_override_makes_a_working_saturday(self):
        CalendarOverride.objects.create(date=D("2026-02-28"), is_working=True, reason="тестовое постановление")
        calendar = WorkCalendar.load()
        assert calendar.is_working_day(D("2026-02-28"))
        # Friday 27 Feb + 1 working day is now Saturday 28 Feb, not Monday 2 March
        assert calendar.add_working_days(D("2026-02-27"), 1) == D("2026-02-28")
        assert cal.is_working_day(D("2026-02-28"))
        assert cal.add_working_days(D("2026-02-27"), 1) == D("2026-02-28")

    def test_override_makes_a_day_off_and_wins_over_the_package(self):
        CalendarOverride.objects.create(date=D("2026-01-12"), is_working=False, reason="региональный выходной")
        CalendarOverride.objects.create(date=D("2026-01-09"), is_working=True, reason="отмена переноса")
        calendar = WorkCalendar.load()
        assert not calendar.is_working_day(D("2026-01-12"))
        assert calendar.is_working_day(D("2026-01-09"))
        assert cal.next_working_day(D("2026-01-09")) == D("2026-01-13")


class TestInstants:
    def test_deadline_ends_at_local_midnight_minus_one_second_stored_in_utc(self):
        # Kaliningrad, UTC+2
        assert deadline_instant(D("2026-01-20"), "Europe/Kaliningrad") == utc(2026, 1, 20, 21, 59, 59)
        # Kamchatka, UTC+12: the deadline day ends at noon UTC of the same day
        assert deadline_instant(D("2026-01-20"), "Asia/Kamchatka") == utc(2026, 1, 20, 11, 59, 59)
        # Perm, UTC+5 (Perm keeps Yekaterinburg time)
        assert deadline_instant(D("2026-01-20"), "Asia/Yekaterinburg") == utc(2026, 1, 20, 18, 59, 59)

    def test_due_at_moves_a_day_off_then_takes_the_local_end_of_day(self):
        calendar = WorkCalendar()
        kaliningrad = due_at(D("2026-12-31"), "Europe/Kaliningrad", calendar=calendar)
        kamchatka = due_at(D("2026-12-31"), "Asia/Kamchatka", calendar=calendar)
        assert kaliningrad == dt.datetime(2027, 1, 11, 21, 59, 59, tzinfo=UTC)
        assert kamchatka == dt.datetime(2027, 1, 11, 11, 59, 59, tzinfo=UTC)
        # the same deadline day is 10 hours earlier in Kamchatka than in Kaliningrad
        assert kaliningrad - kamchatka == dt.timedelta(hours=10)

    def test_local_date_of_a_utc_instant_depends_on_the_region(self):
        instant = dt.datetime(2026, 1, 20, 13, 0, tzinfo=UTC)
        assert cal.local_date(instant, "Asia/Kamchatka") == D("2026-01-21")
        assert cal.local_date(instant, "Europe/Kaliningrad") == D("2026-01-20")


@pytest.mark.django_db
def test_a_due_date_rolled_off_a_day_off_is_told_to_the_user():
    """ИОМ activities and monitoring measures keep a working day (ГК РФ ст. 193) and say so: 27.12.2026 is
    a Sunday."""
    calendar = WorkCalendar.load()
    sunday = dt.date(2026, 12, 27)
    kept = calendar.roll_forward(sunday)
    assert kept == dt.date(2026, 12, 28)
    assert day_off_note(sunday, kept) == "27.12.2026 — выходной день, срок — 28.12.2026"
    assert day_off_note(kept, calendar.roll_forward(kept)) == ""  # a working day stays, nothing to tell
