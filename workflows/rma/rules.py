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
from decimal import Decimal

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
    check_category: bool = True
    check_education: bool = True
    check_experience: bool = True


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


CRITERIA = (
    ("check_category", check_category),
    ("check_education", check_education),
    ("check_experience", check_experience),
)


def formal_check(person, on_date: dt.date, criteria: RmaCriteria | None = None) -> list[Refusal]:
    """Every failed criterion the region checks, in the order of 003:L953; an empty list means
    eligible (a region with every criterion off admits by the assessment alone)."""
    criteria = criteria or RmaCriteria()
    return [
        refusal
        for switch, check in CRITERIA
        if getattr(criteria, switch) and (refusal := check(person, on_date, criteria)) is not None
    ]


# --- what the person has, criterion by criterion (the справка о соответствии критериям) -------------


@dataclass(frozen=True)
class CriterionFact:
    """One criterion of 003:L953 the region checks, as the справка states it: what is required,
    what the person has on the date, and whether that meets it (the same check functions as the
    formal check decide — nothing here judges on its own)."""

    code: str
    title: str
    required: str
    actual: str
    met: bool


def _category_fact(person, on_date: dt.date) -> str:
    label = QualificationCategory(person.category).label.lower()
    if person.category == QualificationCategory.NONE:
        return "квалификационной категории нет"
    if person.category == QualificationCategory.CONFORMITY:
        return "аттестован на соответствие занимаемой должности"
    text = f"{label} квалификационная категория"
    if person.category_assigned_on:
        text += f", установлена {date_numeric(person.category_assigned_on)}"
    if person.category_valid_until:
        lapsed = person.category_valid_until < on_date
        text += f", {'действовала' if lapsed else 'действует'} до {date_numeric(person.category_valid_until)}"
        if not lapsed:
            text += " включительно"
    return text


def _education_fact(person) -> str:
    level = person.get_education_level_display()
    if not person.has_higher_education:
        return level
    profile = "педагогическое" if person.education_is_pedagogical else "непедагогическое"
    text = f"{level}, {profile}"
    if not person.education_is_pedagogical:
        retraining = "есть" if person.has_pedagogical_retraining else "нет"
        text += f"; профессиональная переподготовка по педагогическому профилю: {retraining}"
    return text


def criteria_facts(person, on_date: dt.date, criteria: RmaCriteria) -> list[CriterionFact]:
    """Each criterion the region checks (in the order of 003:L953), with the person's facts on
    `on_date`; a criterion switched off in the region is left out, none is added."""
    facts = []
    if criteria.check_category:
        facts.append(
            CriterionFact(
                "category",
                "Квалификационная категория",
                "высшая квалификационная категория",
                _category_fact(person, on_date),
                check_category(person, on_date, criteria) is None,
            )
        )
    if criteria.check_education:
        required = "высшее педагогическое образование"
        if criteria.accept_pedagogical_retraining:
            required += " (или высшее с профессиональной переподготовкой по педагогическому профилю)"
        facts.append(
            CriterionFact(
                "education",
                "Образование",
                required,
                _education_fact(person),
                check_education(person, on_date, criteria) is None,
            )
        )
    if criteria.check_experience:
        facts.append(
            CriterionFact(
                "experience",
                "Стаж работы по специальности",
                f"не менее {quantity(criteria.min_specialty_years, YEARS)}",
                format_duration(person.specialty_experience_on(on_date)),
                check_experience(person, on_date, criteria) is None,
            )
        )
    return facts


def checks_any(criteria: RmaCriteria) -> bool:
    return criteria.check_category or criteria.check_education or criteria.check_experience


def passed_formal_check(application) -> bool:
    """The application's last formal check found every criterion met (an application admitted
    despite the criteria did not pass it; one under review or held back has refusals again)."""
    return (
        application.status not in ("submitted", "rejected")
        and not application.refusals
        and not (application.override_reason or "").strip()
    )


# --- the competency assessment (003:L516, L763, L801; 000:L292-294) --------------------------------


@dataclass(frozen=True)
class PassMarks:
    """A region's pass marks, in percent, for the subject and the methodical competencies. The
    seeds give none, so there is no default: None means the region has not set it."""

    subject: Decimal | None
    methodical: Decimal | None

    @property
    def missing(self) -> list[str]:
        return [
            label
            for label, value in (
                ("предметные компетенции", self.subject),
                ("методические компетенции", self.methodical),
            )
            if value is None
        ]


def pass_marks_missing_message(marks: PassMarks, region_name: str) -> str:
    """«…не задан проходной балл…»: for the assessor (step page, form error) and the coordinator
    (application page) alike."""
    what = " и ".join(marks.missing)
    return (
        f"В настройках РМА региона «{region_name}» не задан проходной балл ({what}): в источниках регламента "
        "его нет, регион устанавливает его сам. Пока он не задан, результаты оценки внести нельзя — "
        "координатор ЦНППМПР или администратор задаёт его в разделе «Администрирование → Настройки РМА регионов»"
    )


def percent(value) -> str:
    """Decimal("72.50") → «72,5 %»."""
    number = Decimal(str(value)).quantize(Decimal("0.01")).normalize()
    text = f"{number:f}".replace(".", ",")
    return f"{text} %"


def assessment_check(subject_score, methodical_score, marks: PassMarks) -> list[Refusal]:
    """Every score below its pass mark, with the facts; an empty list means passed."""
    refusals = []
    if Decimal(str(subject_score)) < marks.subject:
        refusals.append(
            Refusal(
                "subject_score_low",
                f"предметные компетенции: {percent(subject_score)} при проходном балле {percent(marks.subject)}",
            )
        )
    if Decimal(str(methodical_score)) < marks.methodical:
        refusals.append(
            Refusal(
                "methodical_score_low",
                f"методические компетенции: {percent(methodical_score)} при проходном балле "
                f"{percent(marks.methodical)}",
            )
        )
    return refusals


def academic_year(on_date: dt.date) -> str:
    """The school year a date falls in: 1 September – 31 August («2026/2027»)."""
    start = on_date.year if on_date.month >= 9 else on_date.year - 1
    return f"{start}/{start + 1}"


# --- transition conditions (django_fsm): read the artefact, never write ---------------------------
# The services compute the facts (refusals of the formal check, the pass marks in force) and store
# them on the application before firing a transition; the conditions only read them, so the FSM
# refuses a transition the regulation does not allow even when a caller skips the service.


def has_refusals(application) -> bool:
    return bool(application.refusals)


def has_no_refusals(application) -> bool:
    return not application.refusals


def has_override_reason(application) -> bool:
    return bool((application.override_reason or "").strip())


def has_return_comment(application) -> bool:
    return bool((application.return_comment or "").strip())


def has_exclusion_reason(application) -> bool:
    return bool((application.excluded_reason or "").strip())


def _scores_given(application) -> bool:
    return None not in (
        application.subject_score,
        application.methodical_score,
        application.subject_pass_mark,
        application.methodical_pass_mark,
    )


def _assessment_refusals(application) -> list[Refusal]:
    marks = PassMarks(subject=application.subject_pass_mark, methodical=application.methodical_pass_mark)
    return assessment_check(application.subject_score, application.methodical_score, marks)


def assessment_passed(application) -> bool:
    return _scores_given(application) and not _assessment_refusals(application)


def assessment_failed(application) -> bool:
    return _scores_given(application) and bool(_assessment_refusals(application))


def has_training_certificate(application) -> bool:
    return application.files.filter(kind="methodical_training", is_current=True).exists()


def list_is_approved(application) -> bool:
    return application.rma_list_id is not None and application.rma_list.status == "approved"


def has_removal_reason(application) -> bool:
    return bool((application.removal_reason or "").strip())


def list_not_approved(application) -> bool:
    return application.rma_list_id is not None and application.rma_list.status != "approved"


def list_has_members(rma_list) -> bool:
    """Candidates still on the draft (those held back or removed no longer count)."""
    return rma_list.applications.filter(status="in_draft_list").exists()
