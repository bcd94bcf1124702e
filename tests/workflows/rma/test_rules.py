"""The РМА formal criteria of 003:L953 at their boundaries: «из педагогических работников высшей
квалификационной категории, имеющих высшее педагогическое образование и стаж работы по
специальности не менее 5 лет»."""

import datetime as dt

from dateutil.relativedelta import relativedelta

from orgstructure.models import EducationLevel, Person, QualificationCategory
from workflows.rma.rules import RmaCriteria, formal_check, format_duration

CHECK = dt.date(2026, 11, 22)


def teacher(**overrides) -> Person:
    """An unsaved person who meets every criterion on CHECK unless overridden."""
    fields = dict(
        last_name="Орлова",
        first_name="Вера",
        middle_name="Павловна",
        category=QualificationCategory.HIGHEST,
        category_assigned_on=dt.date(2022, 12, 20),
        category_valid_until=dt.date(2027, 12, 19),
        education_level=EducationLevel.HIGHER,
        education_is_pedagogical=True,
        has_pedagogical_retraining=False,
        specialty_experience_since=dt.date(2010, 9, 1),
    )
    fields.update(overrides)
    return Person(**fields)


def codes(person, criteria=None, on=CHECK):
    return [refusal.code for refusal in formal_check(person, on, criteria)]


def test_eligible_teacher_passes():
    assert formal_check(teacher(), CHECK) == []


def test_exactly_five_years_on_the_day_passes_and_a_day_less_fails():
    assert codes(teacher(specialty_experience_since=dt.date(2021, 11, 22))) == []
    refusals = formal_check(teacher(specialty_experience_since=dt.date(2021, 11, 23)), CHECK)
    assert [r.code for r in refusals] == ["experience_too_short"]
    assert refusals[0].message == ("стаж по специальности 4 года 11 месяцев на 22.11.2026, требуется не менее 5 лет")


def test_four_years_eleven_months_is_refused_with_the_facts():
    person = teacher(specialty_experience_since=CHECK - relativedelta(years=4, months=11))
    (refusal,) = formal_check(person, CHECK)
    assert refusal.message == "стаж по специальности 4 года 11 месяцев на 22.11.2026, требуется не менее 5 лет"


def test_category_valid_through_its_last_day_and_expired_the_day_after():
    assert codes(teacher(category_valid_until=CHECK)) == []
    (refusal,) = formal_check(teacher(category_valid_until=CHECK - dt.timedelta(days=1)), CHECK)
    assert refusal.code == "category_expired"
    assert "действовала до 21.11.2026" in refusal.message and "на 22.11.2026 она истекла" in refusal.message


def test_first_category_and_no_category_are_refused():
    first = teacher(category=QualificationCategory.FIRST)
    assert codes(first) == ["category_not_highest"]
    assert "«первая»" in formal_check(first, CHECK)[0].message
    none = teacher(category=QualificationCategory.NONE, category_assigned_on=None, category_valid_until=None)
    assert "категории нет" in formal_check(none, CHECK)[0].message


def test_secondary_vocational_education_is_refused():
    person = teacher(education_level=EducationLevel.SECONDARY_VOCATIONAL)
    (refusal,) = formal_check(person, CHECK)
    assert refusal.code == "education_not_higher"
    assert "среднее профессиональное" in refusal.message


def test_higher_non_pedagogical_education_is_refused():
    (refusal,) = formal_check(teacher(education_is_pedagogical=False), CHECK)
    assert refusal.code == "education_not_pedagogical"
    assert "переподготовки по педагогическому профилю нет" in refusal.message


def test_retraining_counts_only_where_the_region_accepts_it():
    person = teacher(education_is_pedagogical=False, has_pedagogical_retraining=True)
    assert codes(person) == ["education_not_pedagogical"]
    assert "в регионе переподготовка не засчитывается" in formal_check(person, CHECK)[0].message
    assert codes(person, RmaCriteria(accept_pedagogical_retraining=True)) == []


def test_all_failures_are_reported_in_order():
    person = teacher(
        category=QualificationCategory.FIRST,
        education_is_pedagogical=False,
        specialty_experience_since=dt.date(2024, 1, 1),
    )
    assert codes(person) == ["category_not_highest", "education_not_pedagogical", "experience_too_short"]


def test_minimum_years_is_configurable():
    person = teacher(specialty_experience_since=dt.date(2020, 1, 1))
    assert codes(person) == []
    assert codes(person, RmaCriteria(min_specialty_years=7)) == ["experience_too_short"]


def test_format_duration():
    assert format_duration(relativedelta(years=5)) == "5 лет"
    assert format_duration(relativedelta(years=1, months=1)) == "1 год 1 месяц"
    assert format_duration(relativedelta(years=21, months=2)) == "21 год 2 месяца"
    assert format_duration(relativedelta(days=12)) == "12 дней"
