"""The catalogue's invariants are in the database: a register number only for a programme in ФР
ДПП, a group ends on or after its start, one programme per provider, title and hours."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from orgstructure.models import OrganizationKind
from programmes.models import CompetencyArea, Programme, ProgrammeArea, ProgrammeGroup
from tests.factories import make_organization, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider():
    return make_organization(make_region(), kind=OrganizationKind.IRO, name="ГАУ ДПО «ИРО»")


def test_areas_come_in_the_order_of_the_seed(provider):
    programme = Programme.objects.create(title="Функциональная грамотность", provider=provider, hours=18)
    ProgrammeArea.objects.create(programme=programme, area=CompetencyArea.IT)
    ProgrammeArea.objects.create(programme=programme, area=CompetencyArea.SUBJECT)

    assert programme.area_codes == ["subject", "it"]
    assert CompetencyArea.labels == [
        "Предметные компетенции",
        "Методические компетенции",
        "Психолого-педагогические компетенции",
        "Коммуникативные компетенции",
        "ИТ-компетенции",
    ]


def test_a_register_number_needs_the_register_flag(provider):
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(title="П", provider=provider, hours=36, federal_register_number="12345")
    Programme.objects.create(
        title="П", provider=provider, hours=36, in_federal_register=True, federal_register_number="12345"
    )


def test_one_programme_per_provider_title_and_hours(provider):
    Programme.objects.create(title="П", provider=provider, hours=36)
    Programme.objects.create(title="П", provider=provider, hours=72)
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(title="П", provider=provider, hours=36)


def test_a_group_cannot_end_before_it_starts(provider):
    programme = Programme.objects.create(title="П", provider=provider, hours=36)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeGroup.objects.create(programme=programme, starts_on=dt.date(2025, 3, 2), ends_on=dt.date(2025, 3, 1))
