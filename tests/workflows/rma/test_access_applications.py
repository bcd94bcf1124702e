"""Access matrix of an РМА application and its files (152-ФЗ): only those who handle it see it —
the applicant, whoever filed it, the school head, the municipal РМА coordinator of that
municipality, and each regional body while the application is at its step or in its register; an
РМА member only where a task on it is hers. Everyone else gets 404 like a missing id, on the page,
on a file and in the API. Expectations are written out by hand, cell by cell."""

import pytest
from rest_framework.test import APIClient
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_user
from workflows.rma import flows, links
from workflows.rma.models import RmaApplication, Status

from .conftest import required_files

pytestmark = pytest.mark.django_db

ALL = (
    "applicant",
    "colleague",
    "school_head",
    "rma_coord",
    "kungur_coord",
    "copmkp",
    "cnppm",
    "ministry",
    "signatory",
    "rma_member",
    "muni_authority",
    "methodist",
)
# status → who handles the application (besides them: 404)
EXPECTED = {
    Status.ELIGIBLE: {"applicant", "school_head", "rma_coord"},
    Status.DOCUMENTS_VERIFIED: {"applicant", "school_head", "rma_coord", "copmkp"},
    Status.QUALIFIED: {"applicant", "school_head", "rma_coord", "copmkp", "cnppm"},
    Status.IN_DRAFT_LIST: {"applicant", "school_head", "rma_coord", "copmkp", "cnppm", "ministry", "signatory"},
}


@pytest.fixture
def people(perm):
    region = perm.region
    applicant_user = make_user(
        "applicant", role=Role.TEACHER, organization=perm.orgs.school, person=perm.persons.eligible
    )
    users = {
        "applicant": applicant_user,
        "colleague": perm.users.teacher,
        "rma_member": make_user("member", role=Role.RMA_MEMBER, organization=perm.orgs.school),
        "muni_authority": make_user("uo", role=Role.MUNI_AUTHORITY, organization=perm.orgs.uo_berezniki),
        "methodist": make_user(
            "methodist",
            role=Role.CNPPM_METHODIST,
            organization=make_organization(region, OrganizationKind.CNPPMPR, name="ЦНППМПР, методический отдел"),
        ),
    }
    for name in ("school_head", "rma_coord", "kungur_coord", "copmkp", "cnppm", "ministry", "signatory"):
        users[name] = getattr(perm.users, name)
    return users


@pytest.fixture
def application(perm):
    return flows.application_start(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )


def answers(user, application):
    """(page, file, API detail, listed in the API) for the user."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    stored = application.files.first()
    listing = api.get("/api/v1/rma/applications/").json()["results"]
    return (
        client.get(links.application_url(application.pk)).status_code,
        client.get(links.file_url(application.pk, stored.pk)).status_code,
        api.get(f"/api/v1/rma/applications/{application.pk}/").status_code,
        application.pk in [item["id"] for item in listing],
    )


def missing(user, application):
    """(page, file, API detail) for ids that do not exist."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    return (
        client.get(links.application_url(10**9)).status_code,
        client.get(links.file_url(application.pk, 10**9)).status_code,
        api.get(f"/api/v1/rma/applications/{10**9}/").status_code,
    )


@pytest.mark.parametrize("status", list(EXPECTED))
def test_only_those_who_handle_it_see_the_application_and_its_files(perm, people, application, status):
    RmaApplication.objects.filter(pk=application.pk).update(status=status)
    if status == Status.IN_DRAFT_LIST:
        from workflows.rma.models import RmaList

        rma_list = RmaList.objects.create(region=perm.region)
        RmaApplication.objects.filter(pk=application.pk).update(rma_list=rma_list)
    if status in (Status.QUALIFIED, Status.IN_DRAFT_LIST):
        RmaApplication.objects.filter(pk=application.pk).update(assessed_on=application.check_date)
    application.refresh_from_db()
    seen = {}
    for name in ALL:
        seen[name] = answers(people[name], application)
    for name in ALL:
        if name in EXPECTED[status]:
            assert seen[name] == (200, 200, 200, True), (status, name)
        else:
            # exactly what a missing id answers: 404 — or, for a user the shell lets into no РМА
            # page at all (no role of the flow), its 403, for foreign and missing ids alike
            assert seen[name] == missing(people[name], application) + (False,), (status, name)
            assert seen[name][0] in (403, 404) and seen[name][2] == 404, (status, name)


def test_a_foreign_file_id_answers_like_a_missing_one(perm, people, application, client_as):
    stored = application.files.first()
    outsider = client_as(people["rma_member"])
    foreign = outsider.get(links.file_url(application.pk, stored.pk))
    absent = outsider.get(links.file_url(application.pk, 10**9))
    assert foreign.status_code == absent.status_code and foreign.status_code in (403, 404)
    assert foreign.content == absent.content
    coordinator = client_as(people["kungur_coord"])  # may open РМА pages, not this one
    assert coordinator.get(links.file_url(application.pk, stored.pk)).status_code == 404


def test_a_member_appointed_to_act_sees_it_and_only_it(perm, people, application):
    member = people["rma_member"]
    assert answers(member, application)[0] == 404  # she opens РМА pages, not this one
    task = Task.objects.filter(process__artifact_object_id=application.pk, flow_task_type="HUMAN").first()
    task.owner = member
    task.save(update_fields=["owner"])
    assert answers(member, application) == (200, 200, 200, True)


def test_the_register_stays_readable_to_the_municipality(perm, people):
    from workflows.rma import services

    from .test_batch import draft_list

    rma_list = draft_list(perm, size=2)
    services.list_approve(actor=perm.users.signatory, rma_list=rma_list)
    from django.test import Client

    client = Client()
    client.force_login(people["rma_member"])
    register = client.get(links.register_url())
    assert register.status_code == 200
    in_berezniki = rma_list.applications.filter(person__organization__municipality=perm.berezniki).count()
    assert len(register.context["rows"]) == in_berezniki > 0
