"""Organization.place: the municipality after a school's name only where the name does not say
it already (an official saw «МАОУ «СОШ № 7» г. Березники, Березники» in a справка)."""

import pytest

from orgstructure.models import OrganizationKind
from tests.factories import make_municipality, make_organization, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return make_region("Пермский край", code="59")


@pytest.mark.parametrize(
    ("municipality", "name", "place"),
    [
        ("Березники", "МАОУ «СОШ № 7» г. Березники", ""),
        ("Кунгур", "МБОУ «СОШ № 10» г. Кунгура", ""),  # the genitive of the town's name
        ("Березниковский городской округ", "МАОУ «СОШ № 3»", "Березниковский городской округ"),
        ("Чусовой", "МБОУ «Гимназия № 1»", "Чусовой"),
    ],
)
def test_place_is_named_once(region, municipality, name, place):
    school = make_organization(
        region, kind=OrganizationKind.SCHOOL, municipality=make_municipality(region, municipality), name=name
    )
    assert school.place == place


def test_a_regional_body_has_no_place(region):
    assert make_organization(region, kind=OrganizationKind.MINISTRY, name="Министерство").place == ""
