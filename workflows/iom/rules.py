"""The rules of an ИОМ — pure functions, no ORM writes. They read plain values or objects with
the attributes named (a Deficit, an Activity, or a form's draft of one), so the design page, the
API and the services check a route the same way before anything is saved.

What the seeds give and what is inferred:
* the five areas of diagnosed competencies, 003:L1229 (programmes.models.CompetencyArea);
* the forms of activity: ДПП (from ФР ДПП), стажировка, «горизонтальное обучение», наставничество,
  self-study, open lessons (003:L1223–1227, L1086; DOC-3);
* the approval chain — inferred (see models.py); `Chain` keeps it configurable;
* «темп и общее время освоения» (003:L741) must fit the route's period — inferred limits:
  a route lasts at most `DEFAULT_MAX_PERIOD_MONTHS` (a school year and a summer), and the hours of
  the activities may not exceed `MAX_HOURS_PER_WEEK` per week of the period (half the 36-hour
  working week of a course: the route is done alongside a full teaching load).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models

from programmes.models import CompetencyArea  # noqa: F401  (the five areas of 003:L1229)

DEFAULT_MAX_PERIOD_MONTHS = 15
MAX_HOURS_PER_WEEK = 18


class ActivityKind(models.TextChoices):
    COURSE = "course", "Курсы ПК по ДПП"
    INTERNSHIP = "internship", "Стажировка"
    HORIZONTAL = "horizontal", "Горизонтальное обучение"
    MENTORING = "mentoring", "Наставничество"
    SELF_STUDY = "self_study", "Самообразование"
    OPEN_LESSON = "open_lesson", "Открытые уроки, мастер-классы"


EDUCATION_TYPE = {
    ActivityKind.COURSE: "формальное",
    ActivityKind.INTERNSHIP: "неформальное",
    ActivityKind.HORIZONTAL: "неформальное",
    ActivityKind.MENTORING: "неформальное",
    ActivityKind.OPEN_LESSON: "неформальное",
    ActivityKind.SELF_STUDY: "информальное",
}

# the stages of the chain
DESIGN, AGREEMENT, ENDORSEMENT, REGISTRATION = "design", "agreement", "endorsement", "registration"


@dataclass(frozen=True)
class Chain:
    """The region's approval chain after design: [teacher agreement] → [school endorsement] →
    registration by the curator (always)."""

    teacher_agreement: bool = True
    school_endorsement: bool = True

    def stages(self) -> list[str]:
        stages = [DESIGN]
        if self.teacher_agreement:
            stages.append(AGREEMENT)
        if self.school_endorsement:
            stages.append(ENDORSEMENT)
        return [*stages, REGISTRATION]

    def after(self, stage: str) -> str:
        stages = self.stages()
        return stages[stages.index(stage) + 1]


def weeks_in(start: dt.date, end: dt.date) -> int:
    """Whole or started weeks from start to end inclusive (at least one)."""
    return max(1, math.ceil(((end - start).days + 1) / 7))


def hour_capacity(start: dt.date, end: dt.date) -> int:
    return weeks_in(start, end) * MAX_HOURS_PER_WEEK


def _d(value: dt.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else "—"


def period_errors(period_from, period_to, *, max_months: int = DEFAULT_MAX_PERIOD_MONTHS) -> list[str]:
    if period_from is None or period_to is None:
        return ["Укажите период маршрута: начало и окончание"]
    if period_to < period_from:
        return ["Окончание периода раньше его начала"]
    if period_to > period_from + relativedelta(months=max_months):
        return [f"Маршрут длится не больше {max_months} месяцев: сократите период"]
    return []


def activity_errors(activity, period_from, period_to) -> list[str]:
    """One activity against the route's period and the needs of its form (a Russian message each)."""
    errors = []
    title = getattr(activity, "title", "") or "мероприятие"
    starts_on, due_on = activity.starts_on, activity.due_on
    if starts_on is None or due_on is None:
        return [f"«{title}»: укажите начало и срок"]
    if due_on < starts_on:
        errors.append(f"«{title}»: срок {_d(due_on)} раньше начала {_d(starts_on)}")
    if period_from and period_to and (starts_on < period_from or due_on > period_to):
        errors.append(
            f"«{title}»: даты {_d(starts_on)}–{_d(due_on)} вне периода маршрута {_d(period_from)}–{_d(period_to)}"
        )
    hours = activity.hours or 0
    if hours <= 0:
        errors.append(f"«{title}»: укажите объём в часах")
    elif due_on >= starts_on and hours > hour_capacity(starts_on, due_on):
        errors.append(
            f"«{title}»: {hours} ч. не помещаются в {_d(starts_on)}–{_d(due_on)} "
            f"(не больше {MAX_HOURS_PER_WEEK} ч. в неделю)"
        )
    kind = activity.kind
    if kind == ActivityKind.COURSE and not (getattr(activity, "programme_title", "") or "").strip():
        errors.append(f"«{title}»: для курсов укажите программу ДПП")
    if kind == ActivityKind.INTERNSHIP and not getattr(activity, "provider_id", None):
        errors.append(f"«{title}»: для стажировки укажите организацию (стажировочную площадку)")
    if kind == ActivityKind.MENTORING and not getattr(activity, "mentor_id", None):
        errors.append(f"«{title}»: для наставничества укажите наставника")
    return errors


def unaddressed(deficits: Iterable, activities: Iterable) -> list:
    """The diagnosed deficits no activity addresses."""
    addressed = {activity.deficit_id for activity in activities if activity.deficit_id}
    return [deficit for deficit in deficits if deficit.diagnosed and deficit.pk not in addressed]


def route_errors(
    *,
    period_from,
    period_to,
    goal: str,
    deficits: Sequence,
    activities: Sequence,
    max_months: int = DEFAULT_MAX_PERIOD_MONTHS,
) -> list[str]:
    """Everything that keeps a designed route from being submitted (empty: it may go)."""
    errors = period_errors(period_from, period_to, max_months=max_months)
    if not (goal or "").strip():
        errors.append("Сформулируйте цель ИОМ")
    if not deficits:
        errors.append("В маршруте нет ни одного дефицита")
    if not activities:
        errors.append("В маршруте нет ни одного мероприятия")
    for activity in activities:
        errors += activity_errors(activity, period_from, period_to)
    for deficit in unaddressed(deficits, activities):
        errors.append(f"Дефицит «{deficit.description}» не закрыт ни одним мероприятием")
    if period_from and period_to and period_to >= period_from:
        total = sum(activity.hours or 0 for activity in activities)
        capacity = hour_capacity(period_from, period_to)
        if total > capacity:
            errors.append(
                f"Общий объём {total} ч. не помещается в период маршрута "
                f"(не больше {capacity} ч.: {MAX_HOURS_PER_WEEK} ч. в неделю)"
            )
    return errors


def total_hours(activities: Iterable) -> int:
    return sum(activity.hours or 0 for activity in activities)


def done_errors(*, has_file: bool, link: str, note: str, done_on, starts_on, today: dt.date) -> list[str]:
    """An activity is done with evidence: a file, a link or a note of what was made."""
    errors = []
    if not (has_file or (link or "").strip() or (note or "").strip()):
        errors.append("Приложите подтверждение: файл, ссылку или описание результата")
    if done_on is None:
        errors.append("Укажите дату выполнения")
    elif done_on > today:
        errors.append("Дата выполнения не может быть в будущем")
    elif starts_on and done_on < starts_on:
        errors.append(f"Дата выполнения раньше начала мероприятия ({_d(starts_on)})")
    return errors


def open_activities(activities: Iterable) -> list:
    return [activity for activity in activities if activity.status == "planned"]


def report_waits(activities: Iterable) -> str:
    """Why the self-report cannot be given yet (its task exists from registration, due at the
    period's end), or "" once every activity is marked done or skipped."""
    activities = list(activities)
    left = open_activities(activities)
    if not left:
        return ""
    marked = len(activities) - len(left)
    return (
        "Самоотчёт станет доступен, когда все мероприятия будут отмечены "
        f"(отмечено {marked} из {len(activities)})"
    )


@dataclass(frozen=True)
class Candidate:
    """A possible curator: a user with the role in an organization, their open caseload, and
    whether they match the teacher's subject and municipality."""

    user_id: int
    name: str
    role: str
    organization_id: int
    load: int
    subject_match: bool
    municipality_match: bool


def rank_candidates(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Best first: an РМА member of the teacher's subject and municipality, then of the subject,
    then of the municipality, then anyone; the least loaded first within each, then by name."""
    return sorted(
        candidates,
        key=lambda c: (
            not (c.subject_match and c.municipality_match),
            not c.subject_match,
            not c.municipality_match,
            c.load,
            c.name,
            c.user_id,
        ),
    )


def proposed(candidates: Iterable[Candidate]) -> Candidate | None:
    ranked = rank_candidates(candidates)
    return ranked[0] if ranked else None


def top_themes(themes: Iterable[str], limit: int = 10) -> list[tuple[str, int]]:
    """«ТОП ведущих тематик ИОМ» (003:L1520): themes by how many selected routes share them
    (case and spacing folded), the most frequent first, ties by name."""
    counts: dict[str, tuple[str, int]] = {}
    for theme in themes:
        text = " ".join((theme or "").split())
        if not text:
            continue
        key = text.casefold()
        label, count = counts.get(key, (text, 0))
        counts[key] = (label, count + 1)
    ranked = sorted(counts.values(), key=lambda item: (-item[1], item[0].casefold()))
    return ranked[:limit]
