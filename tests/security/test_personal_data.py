"""Personal data (issue 11, point 4): СНИЛС, e-mail and birth date of a teacher only for those
who act on the person — one policy (orgstructure/privacy.py) for the HTML card and the API."""

import pytest
from rest_framework.test import APIClient

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user

EMAIL = "samoylova@school1.example.org"


@pytest.fixture
def world(db):
    region = make_region("Свой край", code="91")
    muni = make_municipality(region, "Свой город")
    school = make_organization(region, municipality=muni, name="Школа № 1")
    other_school = make_organization(region, municipality=muni, name="Школа № 2")
    iro = make_organization(region, OrganizationKind.IRO, name="ИРО")
    cnppmpr = make_organization(region, OrganizationKind.CNPPMPR, name="ЦНППМПР")
    teacher = make_person(school, last_name="Самойлова", email=EMAIL)
    users = {
        "rma_member": make_user("rma", role=Role.RMA_MEMBER, organization=other_school),
        "iro": make_user("iro", role=Role.IRO_STAFF, organization=iro),
        "methodist": make_user("cnppm", role=Role.CNPPM_METHODIST, organization=cnppmpr),
        "school_head": make_user("head", role=Role.SCHOOL_HEAD, organization=school),
        "teacher": make_user("teacher", role=Role.TEACHER, organization=school, person=teacher),
    }
    return teacher, users


VIEW_ONLY = ["rma_member", "iro", "methodist"]
HANDLERS = ["school_head", "teacher"]


def _html_card(user, person) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(f"/directory/person/{person.pk}/detail/")
    assert response.status_code == 200
    return response.content.decode()


def _api_card(user, person) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(f"/api/v1/persons/{person.pk}/")
    assert response.status_code == 200
    return response.json()


def _api_list_row(user, person) -> dict:
    api = APIClient()
    api.force_authenticate(user)
    rows = api.get("/api/v1/persons/").json()["results"]
    return next(row for row in rows if row["id"] == person.pk)


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_those_who_only_view_see_no_personal_data_on_the_html_card(world, who):
    teacher, users = world

    page = _html_card(users[who], teacher)

    assert "Самойлова" in page  # they do see the teacher
    assert teacher.snils not in page
    assert EMAIL not in page
    assert "СНИЛС" not in page and "Дата рождения" not in page


@pytest.mark.parametrize("who", VIEW_ONLY)
def test_those_who_only_view_see_no_personal_data_in_the_api(world, who):
    teacher, users = world

    for body in (_api_card(users[who], teacher), _api_list_row(users[who], teacher)):
        assert body["last_name"] == "Самойлова"
        assert body["snils"] is None
        assert body["email"] is None


@pytest.mark.parametrize("who", HANDLERS)
def test_those_who_handle_the_case_see_it_on_the_html_card(world, who):
    teacher, users = world

    page = _html_card(users[who], teacher)

    assert teacher.snils in page
    assert EMAIL in page


@pytest.mark.parametrize("who", HANDLERS)
def test_those_who_handle_the_case_see_it_in_the_api(world, who):
    teacher, users = world

    for body in (_api_card(users[who], teacher), _api_list_row(users[who], teacher)):
        assert body["snils"] == teacher.snils
        assert body["email"] == EMAIL


def test_html_and_api_follow_one_policy_for_every_role(world):
    """Whatever the policy decides for a user, both channels show exactly that."""
    from orgstructure import privacy

    teacher, users = world
    for user in users.values():
        allowed = privacy.sees_personal_data(user, teacher)
        assert (teacher.snils in _html_card(user, teacher)) is allowed
        assert (_api_card(user, teacher)["snils"] is not None) is allowed


def test_the_api_list_asks_the_policy_in_one_query(world, django_assert_max_num_queries):
    teacher, users = world
    for number in range(10):
        make_person(teacher.organization, last_name=f"Коллега{number}")
    api = APIClient()
    api.force_authenticate(users["school_head"])
    api.get("/api/v1/persons/")  # warm the per-process caches

    with django_assert_max_num_queries(6):
        rows = api.get("/api/v1/persons/").json()["results"]
    assert len(rows) == 11 and all(row["snils"] for row in rows)
