"""The Russian production calendar: which days are working days, and day arithmetic over them.

Sources, in order of precedence:
1. `CalendarOverride` rows, edited by an administrator when the government issues a decree the
   `holidays` package does not know yet (or when a region declares an extra day off);
2. the `holidays` package (RU): public holidays, the government's weekend transfers (for 2026:
   9 January and 31 December are days off) and working Saturdays (`weekend_workdays`);
3. Saturday and Sunday are days off.

Deadlines follow ГК РФ: a period counted in days starts on the day after the event (ст. 191), and
a deadline that falls on a day off moves to the next working day (ст. 193). A deadline day ends at
23:59:59 local time of the region; instants are stored in UTC.

The public API: `WorkCalendar` — `WorkCalendar.load()` gives the calendar in force, read from
the override table at most once per `CACHE_SECONDS` per process and at once again after an
override is saved or deleted in this process (`invalidate_calendar`, connected to the model's
signals; another process sees the change within `CACHE_SECONDS`) — and three one-off services,
`is_working_day`, `next_working_day` and `add_working_days`. Instants: `deadline_instant` /
`due_at` (a deadline day → its last second, in UTC), `local_date` / `local_datetime` (an instant →
the region's date or wall-clock time) and `timezone_label` («МСК+2») for showing them.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
import zoneinfo

import holidays
from django.db.models import Q

DAY_END = dt.time(23, 59, 59)
# Reminders go out on the morning of their day, local time.
REMINDER_TIME = dt.time(9, 0)
# A bound on how far day arithmetic may walk, so a misconfigured override table (say, a year of
# days off) fails loudly instead of looping.
_MAX_STEPS = 3660
# How long a process trusts its copy of the override table when nobody in the process changed it
# (a change made in another process — the admin of another worker — is seen after at most this).
CACHE_SECONDS = 60.0


@functools.lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(days off, working weekend days) the `holidays` package knows for a year."""
    calendar = holidays.country_holidays("RU", years=[year])
    days_off = frozenset(day for day in calendar if day.year == year)
    working_weekend = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, working_weekend


def package_is_working_day(day: dt.date) -> bool:
    """What the `holidays` package alone says, without the override table."""
    days_off, working_weekend = _package_year(day.year)
    if day in working_weekend:
        return True
    if day in days_off:
        return False
    return day.weekday() < 5


class WorkCalendar:
    """The production calendar with a fixed set of overrides ({date: is_working})."""

    def __init__(self, overrides: dict[dt.date, bool] | None = None):
        self.overrides = dict(overrides or {})

    @classmethod
    def load(cls) -> WorkCalendar:
        """The calendar in force (shared, do not modify): the process's copy while it is fresh."""
        cached = _cache.calendar
        if cached is not None and time.monotonic() - _cache.loaded_at < CACHE_SECONDS:
            return cached
        return cls.load_fresh()

    @classmethod
    def load_fresh(cls) -> WorkCalendar:
        """Read the override table now (one query) and keep the result as the process's copy."""
        from .models import CalendarOverride

        generation = _cache.generation
        calendar = cls(dict(CalendarOverride.objects.values_list("date", "is_working")))
        with _cache.lock:
            if generation == _cache.generation:  # not invalidated while we were reading
                _cache.calendar, _cache.loaded_at = calendar, time.monotonic()
        return calendar

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return package_is_working_day(day)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self._walk(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before `day`."""
        return self._walk(day, -1)

    def roll_forward(self, day: dt.date) -> dt.date:
        """`day` itself if it is a working day, else the next working day (ГК РФ ст. 193)."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th working day after `day` (the event day itself is not counted, ГК РФ
        ст. 191); a negative count walks back ("3 рабочих дня до срока"). With 0, `day` rolled
        forward to a working day."""
        if count == 0:
            return self.roll_forward(day)
        step = 1 if count > 0 else -1
        current = day
        for _ in range(abs(count)):
            current = self._walk(current, step)
        return current

    def add_calendar_days(self, day: dt.date, count: int, *, move_off_days: bool = True) -> dt.date:
        target = day + dt.timedelta(days=count)
        return self.roll_forward(target) if move_off_days else target

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days have passed since `start`."""
        if end <= start:
            return 0
        return sum(
            1 for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + dt.timedelta(days=offset))
        )

    def _walk(self, day: dt.date, step: int) -> dt.date:
        current = day
        for _ in range(_MAX_STEPS):
            current += dt.timedelta(days=step)
            if self.is_working_day(current):
                return current
        raise ValueError(f"Нет рабочего дня в пределах {_MAX_STEPS} дней от {day:%d.%m.%Y}")


class _CalendarCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.calendar: WorkCalendar | None = None
        self.loaded_at = 0.0
        self.generation = 0


_cache = _CalendarCache()


def invalidate_calendar(*args, **kwargs) -> None:
    """Forget the process's copy of the override table (receiver of CalendarOverride's
    post_save/post_delete; again after the transaction commits, so that a read made inside the
    transaction by another thread does not outlive it)."""
    from django.db import transaction

    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    with _cache.lock:
        _cache.calendar = None
        _cache.generation += 1


def deadline_instant(day: dt.date, timezone: str | dt.tzinfo) -> dt.datetime:
    """23:59:59 of `day` in the region's time zone, as an aware UTC datetime."""
    tz = zoneinfo.ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return dt.datetime.combine(day, DAY_END, tzinfo=tz).astimezone(dt.UTC)


# A due instant names the last second of the term (23:59:59 local time of the deadline day): the
# task is overdue from the next second on, 00:00:00 local time of the following day. Every check
# of «overdue» — the deadline scan, the overdue report, the inbox, the start page — asks these,
# so none of them can disagree at the boundary.
LAST_SECOND = dt.timedelta(seconds=1)


def overdue_from(due: dt.datetime) -> dt.datetime:
    """The first instant at which a task due at `due` is overdue."""
    return due + LAST_SECOND


def is_overdue(due: dt.datetime | None, now: dt.datetime) -> bool:
    return due is not None and now >= overdue_from(due)


def overdue_q(now: dt.datetime, field: str = "due_at") -> Q:
    """`is_overdue` as a database condition (due + 1 s <= now)."""
    return Q(**{f"{field}__lte": now - LAST_SECOND})


def not_overdue_q(now: dt.datetime, field: str = "due_at") -> Q:
    return Q(**{f"{field}__gt": now - LAST_SECOND})


def local_instant(day: dt.date, at: dt.time, timezone: str | dt.tzinfo) -> dt.datetime:
    tz = zoneinfo.ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return dt.datetime.combine(day, at, tzinfo=tz).astimezone(dt.UTC)


def day_off_note(asked: dt.date | None, kept: dt.date | None) -> str:
    """«27.12.2026 — выходной день, срок — 28.12.2026» when a due date asked for was moved off a day
    off (WorkCalendar.roll_forward), else "" — how a page tells the user the date it kept."""
    if asked is None or kept is None or asked == kept:
        return ""
    return f"{asked:%d.%m.%Y} — выходной день, срок — {kept:%d.%m.%Y}"


def local_date(instant: dt.datetime, timezone: str | dt.tzinfo) -> dt.date:
    """The calendar date of an instant in the region's time zone."""
    tz = zoneinfo.ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return instant.astimezone(tz).date()


def local_datetime(instant: dt.datetime, timezone: str | dt.tzinfo) -> dt.datetime:
    """The wall-clock time of an instant in the region's time zone, as a naive datetime: what a
    template shows (the `date` filter would turn an aware datetime back into the server's zone)."""
    tz = zoneinfo.ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    return instant.astimezone(tz).replace(tzinfo=None)


MOSCOW_TIMEZONE = "Europe/Moscow"


def timezone_label(timezone: str | dt.tzinfo, at: dt.datetime | None = None) -> str:
    """The zone as Russian timetables name it, by its offset from Moscow: «МСК», «МСК−1»
    (Kaliningrad), «МСК+2» (Yekaterinburg, Perm)."""
    tz = zoneinfo.ZoneInfo(timezone) if isinstance(timezone, str) else timezone
    at = at or dt.datetime.now(dt.UTC)
    difference = at.astimezone(tz).utcoffset() - at.astimezone(zoneinfo.ZoneInfo(MOSCOW_TIMEZONE)).utcoffset()
    minutes = int(difference.total_seconds() // 60)
    if minutes == 0:
        return "МСК"
    hours, rest = divmod(abs(minutes), 60)
    return f"МСК{'+' if minutes > 0 else '−'}{hours}{f':{rest:02d}' if rest else ''}"


def overdue_working_days(due: dt.datetime, timezone: str | dt.tzinfo, now: dt.datetime,
                         calendar: WorkCalendar | None = None) -> int:
    """Working days a deadline is overdue by, in the task's region: the same figure in the
    notice («просрочен на 3 раб. дн.») and on the overdue page."""
    if not is_overdue(due, now):
        return 0
    calendar = calendar or WorkCalendar.load()
    return calendar.working_days_between(local_date(due, timezone), local_date(now, timezone))


def due_at(day: dt.date, timezone: str | dt.tzinfo, *, calendar: WorkCalendar | None = None,
           move_off_days: bool = True) -> dt.datetime:
    """The deadline instant for a deadline day: moved off a day off (ст. 193), then 23:59:59
    local time, in UTC."""
    calendar = calendar or WorkCalendar.load()
    if move_off_days:
        day = calendar.roll_forward(day)
    return deadline_instant(day, timezone)


# One-off services over the calendar in force.


def is_working_day(day: dt.date) -> bool:
    """See WorkCalendar.is_working_day."""
    return WorkCalendar.load().is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    """See WorkCalendar.next_working_day: strictly after `day`."""
    return WorkCalendar.load().next_working_day(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """See WorkCalendar.add_working_days (ГК РФ ст. 191: the event day is not counted)."""
    return WorkCalendar.load().add_working_days(day, count)
