"""Every human step has a permission and lands in the queue (or inbox) of the right role in the
RIGHT organization: a coordinator of Кунгур neither sees nor opens a task of Березники, a
teacher cannot open a coordinator's task, and foreign objects answer 404 like missing ones."""

import pytest
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_user
from workflows.core.models import TaskDeadline
from workflows.rma import flows, links
from workflows.rma.flows import RmaFlow, RmaListFlow, RmaReviewFlow

from .conftest import required_files

pytestmark = pytest.mark.django_db


def submit(perm, person, actor):
    return flows.application_start(actor=actor, person=person, subjects=[perm.subjects.math], files=required_files())


def queue_ids(client):
    response = client.get("/workflow/queue/")
    assert response.status_code == 200
    return {row.task_id for row in response.context["page"].rows}


def inbox_ids(client):
    return {row.task_id for row in client.get("/workflow/inbox/").context["page"].rows}


def test_every_human_node_has_a_permission():
    for flow_class in (RmaFlow, RmaListFlow, RmaReviewFlow):
        for node in flow_class.instance.nodes():
            if getattr(node, "task_type", "") == "HUMAN":
                assert node._owner_permission, f"{flow_class.__name__}.{node.name} has no .Permission()"
                assert node.name in flow_class.deadlines, f"{flow_class.__name__}.{node.name} has no due date"


@pytest.fixture
def two_coordinators(perm):
    """A second coordinator in Березники: tasks there wait in the queue instead of an inbox."""
    return make_user("rma_coord_2", role=Role.RMA_MUNI_COORDINATOR, organization=perm.orgs.uo_berezniki)


def test_a_berezniki_task_is_in_berezniki_queues_only(perm, client_as, two_coordinators):
    application = submit(perm, perm.persons.eligible, perm.users.school_head)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    assert task.owner is None and task.status == "NEW"
    deadline = TaskDeadline.objects.get(task=task)
    assert (deadline.organization, deadline.role) == (perm.orgs.uo_berezniki, Role.RMA_MUNI_COORDINATOR)
    assert deadline.due_at is not None  # the regulation's (fallback) due date

    assert task.pk in queue_ids(client_as(perm.users.rma_coord))
    assert task.pk in queue_ids(client_as(two_coordinators))
    for outsider in (perm.users.kungur_coord, perm.users.school_head, perm.users.teacher, perm.users.copmkp):
        client = client_as(outsider)
        assert task.pk not in queue_ids(client)
        assert client.get(links.task_url(task)).status_code == 404
        execute = links.task_action_url(task, "execute")
        assert client.get(execute).status_code == 404
        assert client.post(execute, {"decision": "verify"}).status_code == 404
    application.refresh_from_db()
    assert application.status == "eligible"


def test_kungur_tasks_go_to_kungur(perm, client_as):
    submit(perm, perm.persons.kungur_teacher, perm.users.kungur_coord)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    assert task.owner == perm.users.kungur_coord
    assert task.pk in inbox_ids(client_as(perm.users.kungur_coord))
    assert task.pk not in inbox_ids(client_as(perm.users.rma_coord))
    assert client_as(perm.users.rma_coord).get(links.task_url(task)).status_code == 404


def test_taking_a_task_from_the_queue_is_conditional(perm, client_as, two_coordinators):
    submit(perm, perm.persons.eligible, perm.users.school_head)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    assign = links.task_action_url(task, "assign")
    first = client_as(perm.users.rma_coord).post(assign)
    assert first.status_code == 302
    assert task.pk in inbox_ids(client_as(perm.users.rma_coord))
    second = client_as(two_coordinators).post(assign)
    assert second.status_code == 409
    assert "Задача уже взята в работу или обработана" in second.content.decode()
    task.refresh_from_db()
    assert task.owner == perm.users.rma_coord


def test_a_completed_task_answers_already_processed(perm, client_as, two_coordinators):
    submit(perm, perm.persons.eligible, perm.users.school_head)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    execute = links.task_action_url(task, "execute")
    assert client_as(perm.users.rma_coord).post(execute, {"decision": "verify"}).status_code == 302
    late = client_as(two_coordinators).post(execute, {"decision": "verify"})
    assert late.status_code == 409
    assert "Задача уже обработана" in late.content.decode()
    assert client_as(perm.users.kungur_coord).post(execute, {"decision": "verify"}).status_code == 404


def test_application_pages_are_scoped(perm, client_as):
    application = submit(perm, perm.persons.eligible, perm.users.school_head)
    url = links.application_url(application.pk)
    file_url = links.file_url(application.pk, application.files.first().pk)
    for insider in (perm.users.school_head, perm.users.rma_coord):
        client = client_as(insider)
        assert client.get(url).status_code == 200
        assert client.get(file_url).status_code == 200
    # ЦОПМКП and the ministry handle it only from their step on (test_access_applications.py)
    for outsider in (perm.users.kungur_coord, perm.users.teacher, perm.users.copmkp, perm.users.ministry):
        client = client_as(outsider)
        assert client.get(url).status_code == 404
        assert client.get(file_url).status_code == 404
        assert client.get(links.override_url(application.pk)).status_code == 404


def test_viewflow_process_pages_lead_to_the_scoped_application_page(perm, client_as):
    application = submit(perm, perm.persons.eligible, perm.users.school_head)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    detail = links.task_url(task) and RmaFlow.instance.reverse("process_detail", args=[task.process_id])
    assert client_as(perm.users.rma_coord).get(detail)["Location"] == links.application_url(application.pk)
    assert client_as(perm.users.kungur_coord).get(detail).status_code == 404
    listing = client_as(perm.users.kungur_coord).get(RmaFlow.instance.reverse("process_list"))
    assert listing.status_code == 302
