"""GET /api/v1/persons/: scope per role, СНИЛС only for those who may act, the values derived
for today, filters, and a query count that does not grow with the page."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orgstructure import access
from orgstructure.access import Action
from orgstructure.models import Person, QualificationCategory
from tests.factories import make_person


def surnames(response):
    assert response.status_code == 200, response.content
    return {row["last_name"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("school_head", {"Самойлова", "Коллегова"}),
        ("mms_methodist", {"Самойлова", "Коллегова", "Соседова"}),
        ("ministry_officer", {"Самойлова", "Коллегова", "Соседова", "Дальнева"}),
        ("teacher", {"Самойлова"}),
        ("nobody", set()),
    ],
)
def test_list_holds_only_persons_in_scope(client_for, world, user, expected):
    client = client_for(getattr(world.users, user))

    assert surnames(client.get("/api/v1/persons/")) == expected


@pytest.mark.parametrize(
    ("user", "sees_snils"),
    [
        ("rma_member", False),  # views the municipality, acts on nobody
        ("cnppm_methodist", False),  # views the region, acts on nobody
        ("school_head", True),
        ("mms_methodist", True),
        ("ministry_officer", True),
    ],
)
def test_snils_only_for_roles_that_act(client_for, world, user, sees_snils):
    client = client_for(getattr(world.users, user))
    person = world.persons.same_muni if user == "rma_member" else world.persons.colleague

    listed = {row["id"]: row for row in client.get("/api/v1/persons/").json()["results"]}
    detail = client.get(f"/api/v1/persons/{person.pk}/").json()

    expected = person.snils if sees_snils else None
    assert listed[person.pk]["snils"] == expected
    assert detail["snils"] == expected


def test_snils_visibility_agrees_with_access_can_for_every_row(client_for, world):
    for user in vars(world.users).values():
        client = client_for(user)
        for row in client.get("/api/v1/persons/").json()["results"]:
            person = Person.objects.get(pk=row["id"])
            assert (row["snils"] is not None) == access.can(user, person, Action.ACT), (user, person)


def test_teacher_sees_own_snils(client_for, world):
    client = client_for(world.users.teacher)

    rows = client.get("/api/v1/persons/").json()["results"]

    assert [row["snils"] for row in rows] == [world.persons.teacher.snils]


def test_superuser_sees_everyone_with_snils(client_for, world, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x")
    client = client_for(admin)

    rows = client.get("/api/v1/persons/").json()["results"]

    assert len(rows) == 5
    assert all(row["snils"] for row in rows)


def test_derived_values_are_for_today(client_for, world):
    today = timezone.localdate(timezone=world.region.tzinfo)
    person = make_person(
        world.orgs.school,
        last_name="Молодова",
        birth_date=today - relativedelta(years=25),
        employed_since=today - relativedelta(years=1),
        specialty_experience_since=today - relativedelta(years=3, months=2),
        category=QualificationCategory.FIRST,
        category_assigned_on=today - relativedelta(years=5),
        category_valid_until=today - dt.timedelta(days=1),
    )
    client = client_for(world.users.school_head)

    body = client.get(f"/api/v1/persons/{person.pk}/").json()

    assert body["is_young_teacher"] is True
    assert body["specialty_experience"] == {"years": 3, "months": 2}
    assert body["category"] == "first"
    assert body["category_in_force"] == "none"  # lapsed yesterday
    assert body["category_in_force_display"] == "Без категории"
    assert body["full_name"] == "Молодова Анна Игоревна"
    assert body["organization"]["name"] == "Школа № 1"
    assert "birth_date" not in body


def test_category_filter_means_the_category_in_force(client_for, world):
    today = timezone.localdate(timezone=world.region.tzinfo)
    make_person(
        world.orgs.school,
        last_name="Истёкшева",
        category=QualificationCategory.HIGHEST,
        category_assigned_on=today - relativedelta(years=5, days=1),
        category_valid_until=today - dt.timedelta(days=1),
    )
    make_person(world.orgs.school, last_name="Бескатегорийная", category=QualificationCategory.NONE)
    client = client_for(world.users.school_head)

    highest = surnames(client.get("/api/v1/persons/", {"category": "highest"}))
    none = surnames(client.get("/api/v1/persons/", {"category": "none"}))

    assert highest == {"Самойлова", "Коллегова"}
    assert none == {"Истёкшева", "Бескатегорийная"}


def test_filters_by_organization_and_surname(client_for, world):
    client = client_for(world.users.mms_methodist)

    by_org = surnames(client.get("/api/v1/persons/", {"organization": world.orgs.school_same_muni.pk}))
    by_surname = surnames(client.get("/api/v1/persons/", {"search": "ллег"}))
    foreign_org = surnames(
        client.get("/api/v1/persons/", {"organization": world.orgs.school_neighbour_muni.pk})
    )

    assert by_org == {"Соседова"}
    assert by_surname == {"Коллегова"}
    assert foreign_org == set()


def test_list_is_alphabetical(client_for, world):
    client = client_for(world.users.ministry_officer)

    rows = client.get("/api/v1/persons/").json()["results"]

    assert [row["last_name"] for row in rows] == ["Дальнева", "Коллегова", "Самойлова", "Соседова"]


def test_query_count_does_not_grow_with_the_page(client_for, world, django_assert_num_queries):
    school = world.orgs.school_neighbour_muni
    client = client_for(world.users.ministry_officer)
    for _ in range(5 - 1):  # Дальнева is already there
        make_person(school)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/api/v1/persons/", {"organization": school.pk})
    assert len(response.json()["results"]) == 5

    for _ in range(45):
        make_person(school)
    with django_assert_num_queries(len(five)):
        response = client.get("/api/v1/persons/", {"organization": school.pk})
    assert len(response.json()["results"]) == 50
    # session, user, memberships, the page of persons (СНИЛС right annotated), their subjects
    assert len(five) == 5
