"""Regional regulation profiles: which profile applies, how a rule turns into a date, the
snapshot a process takes when it starts, and the administrator's explicit re-plan.

A rule is handled as plain data (`DeadlineRule.snapshot()`), so that a process computes its
deadlines from the copy it took at start, not from whatever the profile says today.

Annual rules (fixed dates, month windows, periods) of one profile form a chain in their
`position` order: each resolves to its first occurrence after the previous one. That is how the
Sverdlovsk cycle reads: a cycle started in December 2025 collects data by 20.01.2026, analyses by
30.03.2026, decides by 31.12.2026 and reviews effectiveness by 31.08.2027 (DOMAIN.md §3, A3).
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt

from django.db import transaction
from django.utils import timezone

from .alarms import apply_due_at, schedule_alarm
from .audit import record_event
from .calendar import WorkCalendar, due_at, local_date
from .models import DeadlineAnchor, DeadlineKind, ProcessDeadline, RegulationProfile, TaskDeadline

DEFAULT_TIMEZONE = "Europe/Moscow"
ANNUAL_KINDS = {DeadlineKind.FIXED_ANNUAL, DeadlineKind.MONTH_WINDOW, DeadlineKind.PERIODIC}


class RegulationError(Exception):
    """A profile or a rule cannot give a deadline (missing profile, bad parameters)."""


def _annual_date(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, pycalendar.monthrange(year, month)[1]))


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, pycalendar.monthrange(year, month)[1])


def rule_day(rule: dict, *, anchor: dt.date, calendar: WorkCalendar) -> dt.date:
    """The deadline day of a rule, counted from `anchor` (the event date, or for annual rules the
    earliest day the deadline may fall on), before the day-off move."""
    kind = rule["kind"]
    if kind == DeadlineKind.FIXED_ANNUAL:
        candidate = _annual_date(anchor.year, rule["month"], rule["day"])
        if candidate < anchor:
            candidate = _annual_date(anchor.year + 1, rule["month"], rule["day"])
        return candidate
    if kind == DeadlineKind.MONTH_WINDOW:
        # «ноябрь–декабрь»: due by the end of the last month of the window.
        candidate = _month_end(anchor.year, rule["end_month"])
        if candidate < anchor:
            candidate = _month_end(anchor.year + 1, rule["end_month"])
        return candidate
    if kind == DeadlineKind.PERIODIC:
        # «1 раз в полгода»: due by the end of the period (of 12/n months) containing the anchor.
        months = 12 // rule["periods_per_year"]
        period_last_month = ((anchor.month - 1) // months + 1) * months
        return _month_end(anchor.year, period_last_month)
    if kind == DeadlineKind.WORKING_DAYS:
        return calendar.add_working_days(anchor, rule["days"])
    if kind == DeadlineKind.CALENDAR_DAYS:
        return calendar.add_calendar_days(anchor, rule["days"], move_off_days=False)
    if kind == DeadlineKind.ONE_OFF:
        return dt.date.fromisoformat(rule["one_off_date"])
    raise RegulationError(f"Неизвестный вид срока: {kind}")


WINDOW_KINDS = {DeadlineKind.MONTH_WINDOW, DeadlineKind.PERIODIC}


def _rule_instant(rule: dict, day: dt.date, *, tz: str, calendar: WorkCalendar) -> dt.datetime:
    """23:59:59 local time of the rule's day, in UTC. A fixed day that falls on a day off moves to
    the next working day (ГК РФ ст. 193) unless the rule says otherwise; a window («ноябрь-декабрь»,
    «1 раз в полгода») ends on its last working day inside the window, not after it."""
    moves = rule.get("moves_to_working_day", True)
    if rule["kind"] in WINDOW_KINDS and moves and not calendar.is_working_day(day):
        return due_at(calendar.previous_working_day(day), tz, calendar=calendar, move_off_days=False)
    return due_at(day, tz, calendar=calendar, move_off_days=moves)


def rule_due_at(rule: dict, *, anchor: dt.date, tz: str, calendar: WorkCalendar) -> dt.datetime:
    """The deadline instant of a rule counted from `anchor` (see _rule_instant)."""
    return _rule_instant(rule, rule_day(rule, anchor=anchor, calendar=calendar), tz=tz, calendar=calendar)


def resolves_at_start(rule: dict) -> bool:
    """True when the deadline is known when the process starts (not counted from a step)."""
    return rule["kind"] in ANNUAL_KINDS or rule["kind"] == DeadlineKind.ONE_OFF or (
        rule.get("anchor") == DeadlineAnchor.PROCESS_STARTED
    )


def profile_for(region_code: str | None, on_date: dt.date, *, municipality_id=None) -> RegulationProfile | None:
    """The profile version in force on the date: the municipality's own (a municipality may keep
    its own calendar over its region's), else the region's, else the default (demo) profile."""
    if municipality_id:
        profile = (
            RegulationProfile.objects.filter(municipality_id=municipality_id, valid_from__lte=on_date)
            .order_by("-valid_from", "-version")
            .first()
        )
        if profile is not None:
            return profile
    if region_code:
        profile = (
            RegulationProfile.objects.filter(
                region_code=region_code, municipality__isnull=True, valid_from__lte=on_date
            )
            .order_by("-valid_from", "-version")
            .first()
        )
        if profile is not None:
            return profile
    return RegulationProfile.objects.filter(is_default=True).first()


def profile_plan(profile: RegulationProfile, *, start: dt.date, tz: str, calendar: WorkCalendar,
                 rule_codes=None) -> list[tuple[dict, dt.datetime | None]]:
    """(rule snapshot, due instant or None) for each rule of the profile, the annual ones chained in
    the profile's order: each falls after the one before it — except that a month window («Ежегодно,
    ноябрь-декабрь») is the window the previous deadline falls in when it falls in one. Perm's
    second half-year is collected by 30.12 («1 раз в полгода», 003:L1476-1477) and the year's
    report «ноябрь-декабрь» (003:L1478) is that year's, due the same day — not the next year's
    window, eleven months after its data."""
    planned = []
    chain_anchor = previous_day = start
    for rule in profile.rules.order_by("position", "code"):
        snapshot = rule.snapshot()
        due = None
        if snapshot["kind"] in ANNUAL_KINDS:
            anchor = previous_day if snapshot["kind"] == DeadlineKind.MONTH_WINDOW else chain_anchor
            day = rule_day(snapshot, anchor=anchor, calendar=calendar)
            previous_day, chain_anchor = day, day + dt.timedelta(days=1)
            due = _rule_instant(snapshot, day, tz=tz, calendar=calendar)
        elif resolves_at_start(snapshot):
            due = rule_due_at(snapshot, anchor=start, tz=tz, calendar=calendar)
        if rule_codes is None or snapshot["code"] in rule_codes:
            planned.append((snapshot, due))
    return planned


@transaction.atomic
def process_deadlines_snapshot(*, process, region=None, started_on: dt.date | None = None,
                               rule_codes=None, municipality_id=None) -> list[ProcessDeadline]:
    """Copy the profile in force for the municipality or region into the process: one
    ProcessDeadline per rule. Called once, when the process starts; idempotent (existing rows are
    kept)."""
    tz = region.timezone if region is not None else DEFAULT_TIMEZONE
    region_code = region.code if region is not None else ""
    started_on = started_on or local_date(timezone.now(), tz)
    profile = profile_for(region_code, started_on, municipality_id=municipality_id)
    if profile is None:
        return []
    calendar = WorkCalendar.load()
    existing = set(ProcessDeadline.objects.filter(process=process).values_list("rule_code", flat=True))
    rows = [
        ProcessDeadline(
            process=process,
            rule_code=snapshot["code"],
            title=snapshot["title"],
            rule=snapshot,
            due_at=due,
            profile=profile,
            profile_version=profile.version,
            region_code=region_code,
            timezone=tz,
            escalation_map=profile.escalation_map or {},
        )
        for snapshot, due in profile_plan(profile, start=started_on, tz=tz, calendar=calendar, rule_codes=rule_codes)
        if snapshot["code"] not in existing
    ]
    ProcessDeadline.objects.bulk_create(rows)
    return rows


@transaction.atomic
def process_deadlines_replan(*, process, actor, reason: str, started_on: dt.date | None = None) -> dict:
    """Recompute a running process's deadlines from the profile in force now (an administrator
    applies a new приказ to a running cycle). Returns {rule_code: (old, new)}.

    Open tasks that follow a moved rule get the new due date, except that a due date an official
    has already extended (`extension_count` > 0) is never moved earlier: such a task keeps the
    later of its extended date and the new rule date. An extension is a decision about that one
    task, taken with a reason, which a change of the general regulation does not revoke; when the
    new regulation gives even more time, the task gets it too. Each moved task gets a
    `deadline.replanned` audit event; the process gets one `deadlines.replanned` event listing
    the rule changes, written only when something changed."""
    if not reason.strip():
        raise RegulationError("Укажите основание перепланирования")
    rows = {row.rule_code: row for row in ProcessDeadline.objects.select_for_update().filter(process=process)}
    if not rows:
        raise RegulationError("У процесса нет снимка сроков")
    sample = next(iter(rows.values()))
    tz, region_code = sample.timezone, sample.region_code
    start = started_on or local_date(process.created, tz)
    profile = profile_for(region_code, local_date(timezone.now(), tz),
                          municipality_id=sample.profile.municipality_id if sample.profile_id else None)
    if profile is None:
        raise RegulationError("Не найден профиль регламента")
    calendar = WorkCalendar.load()
    changes = {}
    now = timezone.now()
    for snapshot, due in profile_plan(profile, start=start, tz=tz, calendar=calendar):
        row = rows.get(snapshot["code"])
        if row is None:
            continue
        if row.due_at == due and row.rule == snapshot and row.profile_version == profile.version:
            continue
        changes[row.rule_code] = (
            row.due_at.isoformat() if row.due_at else None,
            due.isoformat() if due else None,
        )
        row.rule, row.due_at, row.title = snapshot, due, snapshot["title"]
        row.profile, row.profile_version, row.replanned_at = profile, profile.version, now
        row.escalation_map = profile.escalation_map or {}
        row.save()
        if due is not None:
            _replan_tasks(process=process, rule=snapshot, due=due, calendar=calendar, actor=actor, reason=reason)
    if changes:
        record_event(
            actor=actor,
            obj=process,
            event="deadlines.replanned",
            from_state=f"v{sample.profile_version}" if sample.profile_version else "",
            to_state=f"v{profile.version}",
            comment=reason,
            data={"changes": changes},
        )
    return changes


def _replan_tasks(*, process, rule: dict, due: dt.datetime, calendar: WorkCalendar, actor, reason: str) -> None:
    """Move the open tasks of one re-planned rule (see process_deadlines_replan)."""
    for deadline in TaskDeadline.objects.select_for_update().filter(
        process=process, rule_code=rule["code"], is_open=True
    ).order_by("task_id"):
        old_due = deadline.due_at
        extended = deadline.extension_count > 0
        new_due = max(old_due, due) if extended and old_due is not None else due
        if extended and new_due == old_due:
            continue  # the extension already gives at least as much time: the task stays as it is
        if new_due == old_due and (deadline.reminder_days, deadline.escalation_after_days) == (
            rule["reminder_days"], rule["escalation_after_days"]
        ):
            continue
        apply_due_at(deadline, new_due, calendar=calendar, reminder_days=rule["reminder_days"],
                     escalation_after_days=rule["escalation_after_days"])
        deadline.save()
        schedule_alarm(deadline)
        if new_due != old_due:
            record_event(
                actor=actor,
                obj=deadline,
                event="deadline.replanned",
                from_state=old_due.isoformat() if old_due else "",
                to_state=new_due.isoformat(),
                comment=reason,
                data={
                    "task_id": deadline.task_id,
                    "process_id": deadline.process_id,
                    "rule_code": rule["code"],
                    "extended": extended,
                    "new_due_date": local_date(new_due, deadline.timezone).isoformat(),
                },
            )
