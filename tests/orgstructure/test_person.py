"""Derived facts about a teacher: the young-teacher rule of 003:L576 («находящиеся на
педагогических должностях в первые три года работы в образовательной организации, в возрасте
до 35 лет»), experience on a date, the category in force on a date."""

import datetime as dt

import pytest
from django.db import IntegrityError

from orgstructure.models import QualificationCategory
from tests.factories import make_organization, make_person, make_region


@pytest.fixture
def school(db):
    return make_organization(make_region())


def test_young_teacher_boundaries(school):
    on = dt.date(2026, 11, 24)
    person = make_person(school, birth_date=dt.date(1991, 11, 25), employed_since=dt.date(2023, 11, 25))
    assert person.is_young_teacher(on)  # 34 years, 2 years 11 months at the school
    person.birth_date = dt.date(1991, 11, 24)  # 35 today
    assert not person.is_young_teacher(on)
    person.birth_date = dt.date(1995, 1, 1)
    person.employed_since = dt.date(2023, 11, 24)  # exactly three years at the school
    assert not person.is_young_teacher(on)


def test_specialty_experience_on_any_date(school):
    person = make_person(school, specialty_experience_since=dt.date(2021, 11, 24))
    exactly_five = person.specialty_experience_on(dt.date(2026, 11, 24))
    assert (exactly_five.years, exactly_five.months, exactly_five.days) == (5, 0, 0)
    day_before = person.specialty_experience_on(dt.date(2026, 11, 23))
    assert (day_before.years, day_before.months) == (4, 11)
    assert person.specialty_experience_on(dt.date(2020, 1, 1)).years == 0


def test_lapsed_category_counts_as_none(school):
    person = make_person(
        school,
        category=QualificationCategory.HIGHEST,
        category_assigned_on=dt.date(2021, 11, 23),
        category_valid_until=dt.date(2026, 11, 23),
    )
    assert person.category_on(dt.date(2026, 11, 23)) == QualificationCategory.HIGHEST
    assert person.category_on(dt.date(2026, 11, 24)) == QualificationCategory.NONE


def test_category_requires_dates(school):
    with pytest.raises(IntegrityError):
        make_person(school, category=QualificationCategory.FIRST, category_assigned_on=None,
                    category_valid_until=None)
