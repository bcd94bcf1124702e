"""Small builders for test data. Invented names only."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from orgstructure.models import (
    EducationLevel,
    Membership,
    Municipality,
    Organization,
    OrganizationKind,
    Person,
    QualificationCategory,
    Region,
    Sex,
)

_seq = itertools.count(1)


def snils_with_checksum(number: int) -> str:
    """A syntactically valid СНИЛС (checksum per the Pension Fund's rule) from a 9-digit number."""
    digits = f"{number:09d}"
    total = sum(int(d) * (9 - i) for i, d in enumerate(digits))
    if total < 100:
        check = total
    elif total in (100, 101):
        check = 0
    else:
        check = total % 101
        if check == 100:
            check = 0
    return f"{digits[0:3]}-{digits[3:6]}-{digits[6:9]} {check:02d}"


REGION_TIMEZONE = "Asia/Yekaterinburg"


def region_today(timezone: str = REGION_TIMEZONE) -> dt.date:
    """Today in a test region (UTC+5 by default): from 19:00 UTC it is already tomorrow there, and
    the services date what they do by the region's calendar day, not the server's."""
    return dt.datetime.now(ZoneInfo(timezone)).date()


def make_region(name="Тестовый край", code=None, timezone=REGION_TIMEZONE):
    return Region.objects.create(name=name, code=code or str(next(_seq)), timezone=timezone)


def make_municipality(region, name=None):
    return Municipality.objects.create(region=region, name=name or f"Город N{next(_seq)}")


MUNICIPAL_KINDS = {
    OrganizationKind.SCHOOL,
    OrganizationKind.KINDERGARTEN,
    OrganizationKind.MMS,
    OrganizationKind.MUNI_AUTHORITY,
}


def make_organization(region, kind=OrganizationKind.SCHOOL, municipality=None, name=None):
    """A school (by default); municipal kinds get a fresh municipality when none is given."""
    if municipality is None and kind in MUNICIPAL_KINDS:
        municipality = make_municipality(region)
    return Organization.objects.create(
        region=region,
        municipality=municipality,
        kind=kind,
        name=name or f"МБОУ СОШ № {next(_seq)}",
    )


def make_person(organization, **overrides):
    n = next(_seq)
    fields = dict(
        organization=organization,
        snils=snils_with_checksum(100_000_000 + n),
        last_name="Тестова",
        first_name="Анна",
        middle_name="Игоревна",
        sex=Sex.FEMALE,
        birth_date=dt.date(1985, 3, 14),
        position="учитель математики",
        employed_since=dt.date(2015, 9, 1),
        category=QualificationCategory.HIGHEST,
        category_assigned_on=dt.date(2022, 12, 20),
        category_valid_until=dt.date(2027, 12, 19),
        education_level=EducationLevel.HIGHER,
        education_is_pedagogical=True,
        specialty_experience_since=dt.date(2008, 9, 1),
    )
    fields.update(overrides)
    return Person.objects.create(**fields)


def make_user(username=None, *, role=None, organization=None, person=None, password="pass-Профрост-1"):
    user = get_user_model().objects.create_user(username=username or f"user{next(_seq)}", password=password)
    if role is not None:
        Membership.objects.create(user=user, role=role, organization=organization)
    if person is not None:
        person.user = user
        person.save(update_fields=["user"])
    return user
