"""Formal criteria for admission to the regional methodical asset (РМА) — pure functions.

003:L953: «формирование регионального методического актива (далее – РМА) из педагогических
работников высшей квалификационной категории, имеющих высшее педагогическое образование и стаж
работы по специальности не менее 5 лет».

Each criterion looks at a person on a check date and either passes or yields a `Refusal`: a
stable reason code (for registries, the API and statistics) and a Russian explanation that names
the facts used, so a refused teacher sees exactly why.

Higher non-pedagogical education plus professional retraining in a pedagogical field: the seed
says «высшее педагогическое образование» and does not mention retraining. Under the federal law on
education (ст. 46 ФЗ-273) and the professional standard «Педагог», retraining in the field of the
position gives the right to teach, so many regions accept it. The choice belongs to the region:
`RmaCriteria.accept_pedagogical_retraining` (off by default: the seed's wording read literally).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from documents.grammar import date_numeric, quantity
from orgstructure.models import QualificationCategory

YEARS = ("год", "года", "лет")
MONTHS = ("месяц", "месяца", "месяцев")
DAYS = ("день", "дня", "дней")


@dataclass(frozen=True)
class RmaCriteria:
    """A region's reading of 003:L953."""

    min_specialty_years: int = 5
    accept_pedagogical_retraining: bool = False


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def format_duration(duration: relativedelta) -> str:
    """«4 года 11 месяцев», «5 лет», «0 месяцев»."""
    parts = []
    if duration.years:
        parts.append(quantity(duration.years, YEARS))
    if duration.months:
        parts.append(quantity(duration.months, MONTHS))
    if not parts:
        parts.append(quantity(duration.days, DAYS) if duration.days else quantity(0, MONTHS))
    return " ".join(parts)


def check_category(person, on_date: dt.date, criteria: RmaCriteria) -> Refusal | None:
    """Высшая категория in force on the check date (valid through its last day)."""
    on = date_numeric(on_date)
    if person.category == QualificationCategory.HIGHEST:
        if person.category_valid_until is not None and person.category_valid_until < on_date:
            return Refusal(
                "category_expired",
                f"высшая квалификационная категория действовала до {date_numeric(person.category_valid_until)}, "
                f"на {on} она истекла; требуется действующая высшая категория",
            )
        return None
    label = QualificationCategory(person.category).label.lower()
    if person.category == QualificationCategory.NONE:
        fact = "квалификационной категории нет"
    elif person.category == QualificationCategory.CONFORMITY:
        fact = "аттестован на соответствие занимаемой должности"
    else:
        fact = f"квалификационная категория «{label}»"
    return Refusal("category_not_highest", f"на {on} {fact}; требуется высшая квалификационная категория")


def check_education(person, on_date: dt.date, criteria: RmaCriteria) -> Refusal | None:
    """Higher pedagogical education (or, where the region allows, higher + pedagogical retraining)."""
    if not person.has_higher_education:
        return Refusal(
            "education_not_higher",
            f"уровень образования: {person.get_education_level_display().lower()}; "
            "требуется высшее педагогическое образование",
        )
    if person.education_is_pedagogical:
        return None
    if person.has_pedagogical_retraining and criteria.accept_pedagogical_retraining:
        return None
    if person.has_pedagogical_retraining:
        return Refusal(
            "education_not_pedagogical",
            "высшее образование непедагогическое, есть профессиональная переподготовка по педагогическому "
            "профилю; в регионе переподготовка не засчитывается, требуется высшее педагогическое образование",
        )
    return Refusal(
        "education_not_pedagogical",
        "высшее образование непедагогическое, переподготовки по педагогическому профилю нет; "
        "требуется высшее педагогическое образование",
    )


def check_experience(person, on_date: dt.date, criteria: RmaCriteria) -> Refusal | None:
    """At least N full years of experience in the specialty on the check date."""
    experience = person.specialty_experience_on(on_date)
    if experience.years >= criteria.min_specialty_years:
        return None
    return Refusal(
        "experience_too_short",
        f"стаж по специальности {format_duration(experience)} на {date_numeric(on_date)}, "
        f"требуется не менее {quantity(criteria.min_specialty_years, YEARS)}",
    )


CRITERIA = (check_category, check_education, check_experience)


def formal_check(person, on_date: dt.date, criteria: RmaCriteria | None = None) -> list[Refusal]:
    """Every failed criterion, in the order of 003:L953; an empty list means eligible."""
    criteria = criteria or RmaCriteria()
    return [refusal for check in CRITERIA if (refusal := check(person, on_date, criteria)) is not None]
