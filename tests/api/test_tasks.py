"""GET /api/v1/tasks/: my open tasks, and with ?queue=1 the ones I may take. Tasks are created
as rows of the test-only flow (tests/api/testflow, see the `review_flow` fixture); a row whose
flow is gone from the code is shown without title, brief or page."""

import pytest
from django.contrib.auth.models import Permission
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS


@pytest.fixture
def make_task(review_flow):
    def _make_task(*, owner=None, status=STATUS.ASSIGNED, permission=None):
        process = Process.objects.create(flow_class=review_flow)
        return Task.objects.create(
            process=process,
            flow_task=review_flow.review,
            owner=owner,
            status=status,
            owner_permission=permission,
        )

    return _make_task


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_lists_only_my_open_tasks(client_for, world, make_task):
    me, colleague = world.users.school_head, world.users.mms_methodist
    assigned = make_task(owner=me)
    started = make_task(owner=me, status=STATUS.STARTED)
    make_task(owner=me, status=STATUS.DONE)
    make_task(owner=colleague)
    make_task(status=STATUS.NEW)  # in the queue, not mine yet

    response = client_for(me).get("/api/v1/tasks/")

    assert ids(response) == [started.pk, assigned.pk]  # newest first


def test_task_fields(client_for, world, make_task):
    task = make_task(owner=world.users.school_head)

    row = client_for(world.users.school_head).get("/api/v1/tasks/").json()["results"][0]

    assert row["id"] == task.pk
    assert row["title"] == "Проверить заявление"
    assert row["process_id"] == task.process_id
    assert row["brief"] == f"Заявление № {task.process_id}"
    assert row["status"] == "ASSIGNED"
    assert row["created"]
    assert row["url"] == f"http://testserver/testflows/review/{task.process_id}/review/{task.pk}/"


def test_queue_adds_the_tasks_i_may_take(client_for, world, make_task):
    me, other = world.users.school_head, world.users.mms_methodist
    me.user_permissions.add(Permission.objects.get(codename="view_person"))
    mine = make_task(owner=me)
    for_my_permission = make_task(status=STATUS.NEW, permission="orgstructure.view_person")
    for_anyone = make_task(status=STATUS.NEW)  # viewflow: no permission set → anyone may take it
    make_task(status=STATUS.NEW, permission="orgstructure.change_person")
    others = make_task(owner=other)

    my_queue = ids(client_for(me).get("/api/v1/tasks/", {"queue": 1}))
    other_queue = ids(client_for(other).get("/api/v1/tasks/", {"queue": "true"}))

    assert my_queue == [for_anyone.pk, for_my_permission.pk, mine.pk]
    assert other_queue == [others.pk, for_anyone.pk]


def test_task_of_a_flow_gone_from_the_code_has_no_title_or_page(client_for, world, make_task):
    task = make_task(owner=world.users.school_head)
    Process.objects.filter(pk=task.process_id).update(flow_class="api/flows.RemovedFlow")
    Task.objects.filter(pk=task.pk).update(flow_task="api/flows.RemovedFlow.review")

    row = client_for(world.users.school_head).get("/api/v1/tasks/").json()["results"][0]

    assert row["id"] == task.pk
    assert row["title"] is None
    assert row["brief"] is None
    assert row["url"] is None
    assert row["process_id"] == task.process_id


def test_bad_queue_value_is_a_validation_error(client_for, world):
    response = client_for(world.users.school_head).get("/api/v1/tasks/", {"queue": "maybe"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["queue"]
