"""The rules of the selection of sites (pure functions, no database).

The seeds give no scoring scheme for the selection of стажировочных (менторских) и инновационных
площадок [gap — inferred]. 003:L939 says the sites are chosen among organizations «имеющих
успешный педагогический и управленческий опыт», and the перечень (DOC-2) lists for each site its
theme, target group, format and hours — so the default criteria below score the experience, the
programmes offered, the resources to run them, the results already shown to others, and the fit
with the call's themes. Each is scored 0–10; weights 3/3/2/1/1; a site passes with 60 of 100;
three experts are appointed, two sheets complete the review, and a spread of more than 25 points
between experts is shown to the coordinator. Every call can change all of it when it is opened.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from workflows.core.review import Criterion, Scheme

DEFAULT_CRITERIA: tuple[dict, ...] = (
    {"code": "k1", "title": "Успешный педагогический и управленческий опыт", "weight": 3, "max_score": 10},
    {"code": "k2", "title": "Качество и актуальность программ стажировки", "weight": 3, "max_score": 10},
    {"code": "k3", "title": "Кадровые и материально-технические ресурсы", "weight": 2, "max_score": 10},
    {
        "code": "k4",
        "title": "Опыт трансляции практик педагогам других организаций",
        "weight": 1,
        "max_score": 10,
    },
    {"code": "k5", "title": "Соответствие тематике отбора", "weight": 1, "max_score": 10},
)
DEFAULT_PASS_THRESHOLD = Decimal(60)
DEFAULT_EXPERTS_PER_APPLICATION = 3
DEFAULT_EXPERTS_NEEDED = 2
DEFAULT_SPREAD_LIMIT = Decimal(25)
DEFAULT_STATUS_YEARS = 3


def scheme_of(criteria: Iterable[Mapping], *, pass_threshold, experts_needed: int, spread_limit) -> Scheme:
    """The review scheme of a call (ValueError with a Russian message when it makes no sense)."""
    return Scheme(
        criteria=tuple(
            Criterion(
                str(item["code"]), str(item["title"]), weight=str(item["weight"]), max_score=int(item["max_score"])
            )
            for item in criteria
        ),
        pass_threshold=str(pass_threshold),
        experts_needed=experts_needed,
        spread_limit=str(spread_limit),
    )


def call_period_errors(
    *, applications_due: dt.date, status_from: dt.date, status_to: dt.date, today: dt.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if applications_due < today:
        errors["applications_due"] = ["Срок приёма заявок уже прошёл"]
    if status_to <= status_from:
        errors["status_to"] = ["Окончание срока статуса должно быть позже его начала"]
    if status_from < applications_due:
        errors["status_from"] = ["Статус начинается не раньше окончания приёма заявок"]
    return errors


def accepts_applications(is_open: bool, applications_due: dt.date, today: dt.date) -> bool:
    """Applications are taken while the call is open, up to and including its due date."""
    return is_open and today <= applications_due


def parse_criteria(text: str) -> list[dict]:
    """Criteria typed one per line: «название; вес; максимальный балл»; their codes are k1, k2… in
    that order (the page shows no code). ValueError in Russian."""
    criteria = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not all(parts):
            raise ValueError(f"Строка {number}: нужно «название; вес; максимальный балл»")
        title, weight, max_score = parts
        code = f"k{len(criteria) + 1}"
        try:
            weight_value = Decimal(weight.replace(",", "."))
            max_value = int(max_score)
        except (ArithmeticError, ValueError) as exc:
            raise ValueError(f"Строка {number}: вес — число, максимальный балл — целое число") from exc
        criteria.append({"code": code, "title": title, "weight": str(weight_value), "max_score": max_value})
    if not criteria:
        raise ValueError("Нужен хотя бы один критерий")
    return criteria


def criteria_text(criteria: Iterable[Mapping]) -> str:
    return "\n".join(f"{c['title']}; {c['weight']}; {c['max_score']}" for c in criteria)


# --- the decision on the ranked list -------------------------------------------------------

DEFAULT_REGULATION = "Положением о региональных инновационных и стажировочных площадках"
_NAME_WORD = re.compile(r"^[А-ЯЁа-яё]+(?:-[А-ЯЁа-яё]+)*$")


def not_passed_reason(pass_threshold) -> str:
    value = Decimal(pass_threshold).normalize()
    return f"не набран проходной балл ({value:f} из 100)".replace(".", ",")


def commission_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def chair_name(line: str) -> str:
    """The chair's name on the first line of the commission: «Фамилия Имя Отчество, должность»."""
    return re.split(r"\s*[,—–]\s*", line.strip(), maxsplit=1)[0].strip()


def decision_errors(
    *,
    choices: Mapping[int, tuple[bool, str]],
    passed: Mapping[int, bool],
    commission: str,
    protocol_date: dt.date,
    report_due: dt.date,
    status_from: dt.date,
    status_to: dt.date,
    today: dt.date,
) -> dict[str, list[str]]:
    """The commission's decision makes sense: every reviewed application decided, a reason for each
    one not selected, none selected below the pass mark, at least one site; a named chair; the
    meeting not in the future; the first report due within the term of the status."""
    errors: dict[str, list[str]] = {}
    for pk, (selected, reason) in choices.items():
        if selected and not passed.get(pk):
            errors[f"select_{pk}"] = ["Заявка не набрала проходной балл: включить её в перечень нельзя"]
        if not selected and not (reason or "").strip():
            errors[f"reason_{pk}"] = ["Укажите, почему организация не включена в перечень"]
    if not any(selected for selected, _ in choices.values()):
        errors["__all__"] = ["В перечень не включена ни одна организация: приказ утверждать нечего"]
    lines = commission_lines(commission)
    if not lines:
        errors["commission"] = ["Укажите состав комиссии: председатель — первой строкой"]
    else:
        words = chair_name(lines[0]).split()
        if len(words) < 2 or not all(_NAME_WORD.match(word) for word in words):
            errors["commission"] = [
                "Первая строка — председатель: фамилия, имя и отчество полностью, затем через запятую должность"
            ]
    if protocol_date > today:
        errors["protocol_date"] = ["Дата заседания комиссии не может быть в будущем"]
    if not status_from < report_due <= status_to:
        errors["report_due"] = [
            f"Срок отчёта — в пределах срока статуса: после {status_from:%d.%m.%Y} и не позже {status_to:%d.%m.%Y}"
        ]
    return errors


def default_report_due(status_from: dt.date) -> dt.date:
    """The first annual report [gap — inferred]: by 30 June of the first school year of the status
    (the «отчет о деятельности площадки» of DOC-2, point 3, without a date in the seeds)."""
    year = status_from.year + (1 if status_from.month >= 7 else 0)
    return dt.date(year, 6, 30)


# --- the register ---------------------------------------------------------------------------


def next_report_due(previous: dt.date, status_to: dt.date) -> dt.date | None:
    """The next annual report a year after the previous one (28 February for a 29th), or None when
    that falls after the end of the status."""
    following = _years_later(previous, 1)
    return following if following <= status_to else None


def has_expired(status_to: dt.date, on_date: dt.date) -> bool:
    """The status holds through its last day («статус по 31.08.2029» includes the 31st)."""
    return on_date > status_to


# --- changes of a site's status by приказ ----------------------------------------------------

# which change a site's status admits: renewal and probation of a site in good standing, the
# lifting of probation, revocation of either (an expired or revoked site is selected again in a call)
CHANGES_BY_STATUS: dict[str, tuple[str, ...]] = {
    "active": ("renew", "probation", "revoke"),
    "probation": ("lift", "revoke"),
}
MAX_RENEWAL_YEARS = DEFAULT_STATUS_YEARS  # [inferred] a renewal is at most one more term of status
MIN_CHANGE_REASON = 10


def status_change_errors(
    *,
    kind: str,
    site_status: str,
    status_to: dt.date,
    reason: str,
    new_status_to: dt.date | None,
    probation_until: dt.date | None,
    today: dt.date,
) -> dict[str, list[str]]:
    """A proposed change of a site's status makes sense on `today` (checked when it is proposed
    and again when the приказ is signed): admitted by the site's status, with a reason; a renewal
    to a later end within one more term; a probation ending after today and within the term."""
    errors: dict[str, list[str]] = {}
    if kind not in CHANGES_BY_STATUS.get(site_status, ()):
        errors["kind"] = ["Такое изменение для площадки в этом состоянии невозможно"]
        return errors
    if len((reason or "").strip()) < MIN_CHANGE_REASON:
        errors["reason"] = [
            f"Укажите основание (не короче {MIN_CHANGE_REASON} символов): итоги отчёта, проверки, обращение площадки"
        ]
    if kind == "renew":
        latest = _years_later(status_to, MAX_RENEWAL_YEARS)
        if new_status_to is None:
            errors["new_status_to"] = ["Укажите новый срок статуса"]
        elif not status_to < new_status_to <= latest:
            errors["new_status_to"] = [
                f"Новый срок — позже {status_to:%d.%m.%Y} и не позже {latest:%d.%m.%Y} "
                f"(продление не больше чем на {MAX_RENEWAL_YEARS} года)"
            ]
    if kind == "probation":
        if probation_until is None:
            errors["probation_until"] = ["Укажите, до какого дня площадка устраняет замечания"]
        elif not today < probation_until <= status_to:
            errors["probation_until"] = [
                f"Испытательный срок — позже сегодняшнего дня и не позже окончания статуса ({status_to:%d.%m.%Y})"
            ]
    return errors


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
