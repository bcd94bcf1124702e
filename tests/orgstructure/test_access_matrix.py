"""The access matrix: every role × (self / own school / own municipality / foreign municipality /
foreign region) × (view / act), for people and for organizations. The expectations are written
out here by hand from DOMAIN.md §1.5, not derived from access.ROLE_SCOPES, so a change of scope
in access.py that leaks (or hides) a cell fails a test."""

import pytest
from django.http import Http404

from orgstructure import access
from orgstructure.access import Action
from orgstructure.models import Membership, OrganizationKind, Person, Role
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user

SELF, OWN_SCHOOL, OWN_MUNI, FOREIGN_MUNI, FOREIGN_REGION = (
    "self",
    "own_school",
    "own_muni",
    "foreign_muni",
    "foreign_region",
)
REGION = {SELF, OWN_SCHOOL, OWN_MUNI, FOREIGN_MUNI}
MUNI = {SELF, OWN_SCHOOL, OWN_MUNI}
SCHOOL = {SELF, OWN_SCHOOL}
ONLY_SELF = {SELF}
NONE = set()

# role → (membership organization key, persons it may view, persons it may act on)
EXPECTED = {
    Role.MINISTRY_OFFICER: ("ministry", REGION, REGION),
    Role.MINISTRY_SIGNATORY: ("ministry", REGION, REGION),
    Role.CNPPM_COORDINATOR: ("cnppmpr", REGION, REGION),
    Role.CNPPM_METHODIST: ("cnppmpr", REGION, NONE),
    Role.IRO_STAFF: ("iro", REGION, NONE),
    Role.COPMKP_ASSESSOR: ("copmkp", REGION, NONE),
    Role.PD_ADMIN: ("cnppmpr", REGION, REGION),
    Role.RMA_MEMBER: ("own_school", MUNI, NONE),
    Role.RMA_MUNI_COORDINATOR: ("uo", MUNI, MUNI),
    Role.MUNI_AUTHORITY: ("uo", MUNI, MUNI),
    Role.MMS_METHODIST: ("mms", MUNI, MUNI),
    Role.SCHOOL_HEAD: ("own_school", SCHOOL, SCHOOL),
    Role.TEACHER: ("own_school", ONLY_SELF, ONLY_SELF),
}

# Organizations a role may see: schools keyed like people (self = the user's own school).
EXPECTED_ORG_VIEW = {
    Role.SCHOOL_HEAD: {OWN_SCHOOL},
    Role.TEACHER: {OWN_SCHOOL},
}


def test_every_role_is_in_the_matrix():
    assert set(EXPECTED) == set(Role.values)


@pytest.fixture
def world(db):
    region = make_region("Свой край", code="91")
    other_region = make_region("Чужая область", code="92", timezone="Europe/Moscow")
    own_muni = make_municipality(region, "Свой город")
    foreign_muni = make_municipality(region, "Соседний город")
    far_muni = make_municipality(other_region, "Далёкий город")
    orgs = {
        "ministry": make_organization(region, OrganizationKind.MINISTRY, name="Министерство"),
        "cnppmpr": make_organization(region, OrganizationKind.CNPPMPR, name="ЦНППМПР"),
        "iro": make_organization(region, OrganizationKind.IRO, name="ИРО"),
        "copmkp": make_organization(region, OrganizationKind.COPMKP, name="ЦОПМКП"),
        "uo": make_organization(region, OrganizationKind.MUNI_AUTHORITY, own_muni, "Управление образования"),
        "mms": make_organization(region, OrganizationKind.MMS, own_muni, "ММС"),
        OWN_SCHOOL: make_organization(region, municipality=own_muni, name="Школа № 1"),
        OWN_MUNI: make_organization(region, municipality=own_muni, name="Школа № 2"),
        FOREIGN_MUNI: make_organization(region, municipality=foreign_muni, name="Школа № 3"),
        FOREIGN_REGION: make_organization(other_region, municipality=far_muni, name="Школа № 4"),
    }
    persons = {
        SELF: make_person(orgs[OWN_SCHOOL], last_name="Самойлова"),
        OWN_SCHOOL: make_person(orgs[OWN_SCHOOL], last_name="Коллегова"),
        OWN_MUNI: make_person(orgs[OWN_MUNI], last_name="Соседова"),
        FOREIGN_MUNI: make_person(orgs[FOREIGN_MUNI], last_name="Дальнева"),
        FOREIGN_REGION: make_person(orgs[FOREIGN_REGION], last_name="Чужакова"),
    }
    return orgs, persons


def _actor(world, role):
    orgs, persons = world
    org_key = EXPECTED[role][0]
    user = make_user(f"u_{role}", role=role, organization=orgs[org_key], person=persons[SELF])
    return user


@pytest.mark.parametrize("action", [Action.VIEW, Action.ACT])
@pytest.mark.parametrize("role", list(EXPECTED))
def test_person_matrix(world, role, action):
    orgs, persons = world
    user = _actor(world, role)
    expected = EXPECTED[role][1] if action == Action.VIEW else EXPECTED[role][2]

    listed = set(access.scope_queryset(user, Person.objects.all(), action).values_list("pk", flat=True))
    for key, person in persons.items():
        allowed = key in expected
        assert (person.pk in listed) == allowed, f"{role} {action} {key}: list"
        assert access.can(user, person, action) == allowed, f"{role} {action} {key}: can"
        if allowed:
            assert access.get_for_user_or_404(user, Person, action, pk=person.pk) == person
        else:
            with pytest.raises(Http404):
                access.get_for_user_or_404(user, Person, action, pk=person.pk)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_person_detail_page_answers_404_for_foreign_like_missing(world, client, role):
    orgs, persons = world
    user = _actor(world, role)
    client.force_login(user)
    missing = client.get("/directory/person/999999/detail/")
    assert missing.status_code == 404
    for key, person in persons.items():
        response = client.get(f"/directory/person/{person.pk}/detail/")
        if key in EXPECTED[role][1]:
            assert response.status_code == 200, f"{role} should see {key}"
            assert person.last_name in response.content.decode()
        else:
            assert response.status_code == 404, f"{role} must not see {key}"
            assert response.content == missing.content


@pytest.mark.parametrize("role", list(EXPECTED))
def test_person_list_page_shows_only_scope(world, client, role):
    orgs, persons = world
    client.force_login(_actor(world, role))
    body = client.get("/directory/person/").content.decode()
    for key, person in persons.items():
        assert (person.last_name in body) == (key in EXPECTED[role][1]), f"{role} list {key}"


@pytest.mark.parametrize("role", list(EXPECTED))
def test_school_visibility(world, role):
    orgs, persons = world
    user = _actor(world, role)
    person_scope = EXPECTED[role][1]
    expected = EXPECTED_ORG_VIEW.get(role, person_scope - {SELF})
    for key in (OWN_SCHOOL, OWN_MUNI, FOREIGN_MUNI, FOREIGN_REGION):
        assert access.can(user, orgs[key], Action.VIEW) == (key in expected), f"{role} sees school {key}"


def test_user_without_membership_sees_nothing(world):
    user = make_user("nobody")
    assert not access.visible_persons(user).exists()
    assert not access.visible_organizations(user).exists()


def test_inactive_membership_grants_nothing(world):
    orgs, _ = world
    user = make_user("former", role=Role.MINISTRY_OFFICER, organization=orgs["ministry"])
    Membership.objects.filter(user=user).update(is_active=False)
    assert not access.visible_persons(user).exists()


def test_memberships_add_up(world):
    orgs, persons = world
    user = make_user("two_hats", role=Role.SCHOOL_HEAD, organization=orgs[OWN_SCHOOL])
    Membership.objects.create(user=user, role=Role.SCHOOL_HEAD, organization=orgs[FOREIGN_MUNI])
    visible = set(access.visible_persons(user))
    assert visible == {persons[SELF], persons[OWN_SCHOOL], persons[FOREIGN_MUNI]}


def test_superuser_sees_everything(world):
    _, persons = world
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", password="x")
    assert set(access.visible_persons(root)) == set(persons.values())


def test_anonymous_sees_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not access.visible_persons(AnonymousUser()).exists()


def test_garbage_id_is_404_not_500(world):
    orgs, _ = world
    user = make_user("x", role=Role.MINISTRY_OFFICER, organization=orgs["ministry"])
    with pytest.raises(Http404):
        access.get_for_user_or_404(user, Person, pk="not-a-number")
