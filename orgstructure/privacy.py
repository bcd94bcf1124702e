"""Who sees a teacher's personal data (152-ФЗ) — one policy for the HTML pages and the API.

Seeing a person in a list is not enough: the СНИЛС, contacts and birth date (and, as processes
add them, the person's files) are shown only to those who *act* on the person — who handle
their case: the person themselves, the head of their school, the municipal services of their
municipality, the regional bodies that decide (access.py's ACT scope). Roles that may only view
(an РМА member, ИРО, a ЦНППМ methodist, a ЦОПМКП assessor) see the name, position and
qualification, never the personal data.

Lists ask once per query (`annotate_personal_data`: the ACT scope as a boolean column); a single
object may be asked directly (`sees_personal_data`).
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, QuerySet, Value

from . import access
from .access import Action
from .models import Person

# The Person fields that are personal data beyond what identifies the teacher in a list.
PERSONAL_FIELDS = ("snils", "email", "birth_date")

ANNOTATION = "sees_personal_data"


def annotate_personal_data(queryset: QuerySet, user) -> QuerySet:
    """Marks each person with `sees_personal_data` in the same query (no query per row)."""
    condition = access.scope_condition(user, Person, Action.ACT)
    column = Value(True) if condition is None else ExpressionWrapper(condition, output_field=BooleanField())
    return queryset.annotate(**{ANNOTATION: column})


def sees_personal_data(user, person: Person) -> bool:
    annotated = getattr(person, ANNOTATION, None)
    if annotated is not None:
        return bool(annotated)
    return access.can(user, person, Action.ACT)


def personal_value(user, person: Person, field: str):
    """The field's value, or None where the user may not see it."""
    if field not in PERSONAL_FIELDS:
        raise ValueError(f"{field} is not a personal-data field")
    return getattr(person, field) if sees_personal_data(user, person) else None
