"""workflows.core.review.conflicts on a small org tree: employment, municipality (configurable),
a registered tie, declared conflicts; the proposal by lowest load."""

import pytest

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user
from workflows.core.review import ConflictPolicy, conflicts_of_interest, propose_experts, register_tie
from workflows.core.review.conflicts import unregister_tie


@pytest.fixture
def tree(db):
    region = make_region(name="Край (тест конфликтов)", code="98")
    north, south = make_municipality(region, name="Северный (тест)"), make_municipality(region, name="Южный (тест)")
    iro = make_organization(region, kind=OrganizationKind.IRO, name="ИРО (тест)")
    applicant = make_organization(region, municipality=north, name="СОШ № 1 (заявитель)")
    neighbour = make_organization(region, municipality=north, name="СОШ № 2 (соседняя)")
    far = make_organization(region, municipality=south, name="СОШ № 3 (другой округ)")
    people = {
        "employee": make_person(applicant, last_name="Внутренняя"),
        "neighbour": make_person(neighbour, last_name="Соседова"),
        "far": make_person(far, last_name="Дальняя"),
        "iro": make_person(iro, last_name="Институтова"),
        "dual_role": make_person(iro, last_name="Совместитель"),
        "muni_role": make_person(iro, last_name="Методистова"),
    }
    # the IRO expert also holds a role in the applicant school; another one in the applicant's ММС
    make_user(person=people["dual_role"], role=Role.SCHOOL_HEAD, organization=applicant)
    mms = make_organization(region, kind=OrganizationKind.MMS, municipality=north, name="ММС Северного (тест)")
    make_user(person=people["muni_role"], role=Role.MMS_METHODIST, organization=mms)
    return {"applicant": applicant, "people": people, "far": far}


def ids(tree, *names):
    return {tree["people"][name].pk for name in names}


def test_employment_municipality_and_roles_are_ruled_out(tree):
    found = conflicts_of_interest(tree["people"].values(), tree["applicant"])
    assert set(found) == ids(tree, "employee", "neighbour", "dual_role", "muni_role")
    assert found[tree["people"]["employee"].pk] == [
        "работает в организации-заявителе",
        "работает в муниципалитете заявителя",
    ]
    assert found[tree["people"]["dual_role"].pk] == [
        "работает в организации-заявителе",
        "работает в муниципалитете заявителя",
    ]
    assert found[tree["people"]["muni_role"].pk] == ["работает в муниципалитете заявителя"]


def test_municipality_rule_can_be_switched_off_per_review(tree):
    found = conflicts_of_interest(
        tree["people"].values(), tree["applicant"], policy=ConflictPolicy(same_municipality=False)
    )
    assert set(found) == ids(tree, "employee", "dual_role")


def test_a_tie_registered_by_a_process_and_declared_conflicts(tree):
    far = tree["people"]["far"]

    def mentors(persons, organization):
        return {far.pk: "наставник педагога организации-заявителя"}

    register_tie("test.mentor", "Наставничество", mentors)
    try:
        found = conflicts_of_interest(
            [far, tree["people"]["iro"]], tree["applicant"], declared={tree["people"]["iro"].pk: "родство"}
        )
        assert found == {
            far.pk: ["наставник педагога организации-заявителя"],
            tree["people"]["iro"].pk: ["заявленный конфликт интересов: родство"],
        }
        only_builtin = conflicts_of_interest([far], tree["applicant"], policy=ConflictPolicy(ties=()))
        assert only_builtin == {}
        with pytest.raises(ValueError, match="другим процессом"):
            register_tie("test.mentor", "Другое", lambda persons, organization: {})
    finally:
        unregister_tie("test.mentor")


def test_proposal_takes_free_experts_with_the_lowest_load(tree, django_assert_max_num_queries):
    people = tree["people"]
    loads = {people["far"].pk: 3, people["iro"].pk: 1}
    with django_assert_max_num_queries(2):
        proposal = propose_experts(people.values(), tree["applicant"], count=2, loads=loads)
    assert [(item.person.pk, item.load) for item in proposal] == [(people["iro"].pk, 1), (people["far"].pk, 3)]
    again = propose_experts(people.values(), tree["applicant"], count=2, loads=loads, exclude=[people["iro"].pk])
    assert [item.person.pk for item in again] == [people["far"].pk]
