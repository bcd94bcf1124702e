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
