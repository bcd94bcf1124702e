"""The access matrix over viewflow's stock URLs (issue 11, point 5): for every page of every node
of the РМА flows — start, gateways, end, human steps; index, detail, execute, assign, cancel, undo,
revive, whatever viewflow would serve — and for the process pages, a user outside the
application's scope gets exactly what a missing id gets: the same status (404) and the same body,
on GET and on POST. A user in scope still reaches the pages meant for them."""

# ruff: noqa: F811 — the РМА fixtures are imported from its conftest and requested by name

import re

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver
from viewflow.workflow.models import Process, Task

from orgstructure.models import Role
from tests.factories import make_user
from tests.workflows.rma.conftest import client_as as login  # noqa: F401  (a fixture)
from tests.workflows.rma.conftest import perm as world  # noqa: F401  (a fixture)
from tests.workflows.rma.conftest import required_files
from workflows.core import flowkit
from workflows.rma import flows, services
from workflows.rma.models import Status

pytestmark = pytest.mark.django_db

MISSING = 987654321
STOCK_NODE_PAGES = ("index", "detail", "execute", "assign", "unassign", "cancel", "undo", "revive")
PROCESS_PAGES = ("process_detail", "process_chart", "process_cancel")
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def _names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= _names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def _reverse(reverse, name, args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _body(response, *urls) -> str:
    text = response.content.decode(errors="replace")
    for url in urls:
        text = text.replace(url, "URL")
    return _TOKEN.sub("TOKEN", text)


def _same_as_missing(client, url, missing_url, method):
    send = client.post if method == "post" else client.get
    foreign, missing = send(url), send(missing_url)
    assert missing.status_code in (404, 405), missing_url  # 405: a page that takes no POST at all
    assert foreign.status_code == missing.status_code, f"{method.upper()} {url}: {foreign.status_code}"
    assert _body(foreign, url) == _body(missing, missing_url), url


@pytest.fixture
def processes(world):
    """An eligible application verified by its coordinator (assessment task open), and a refused
    one (its process ended at the gateway): tasks of every node kind the РМА flows use."""
    eligible = flows.application_start(
        actor=world.users.school_head,
        person=world.persons.eligible,
        subjects=[world.subjects.math],
        files=required_files(),
    )
    verify = Task.objects.get(process__artifact_object_id=eligible.pk, flow_task=flows.RmaFlow.verify)
    flowkit.task_complete(
        actor=world.users.rma_coord,
        task_id=verify.pk,
        perform=lambda activation: services.application_verify(actor=world.users.rma_coord, application=eligible),
    )
    refused = flows.application_start(
        actor=world.users.school_head,
        person=world.persons.teacher,
        subjects=[world.subjects.math],
        files=required_files(),
    )
    assert refused.status == Status.REJECTED
    return list(Process.objects.filter(flow_class=flows.RmaFlow).order_by("id"))


def _outsiders(world):
    kungur_teacher = make_user(
        "kungur_teacher", role=Role.TEACHER, organization=world.orgs.school_kungur, person=world.persons.kungur_teacher
    )
    return (world.users.kungur_coord, kungur_teacher)


def test_every_stock_node_page_answers_a_foreign_user_as_a_missing_id(world, login, processes):
    checked = 0
    for user in _outsiders(world):
        client = login(user)
        for task in Task.objects.filter(process__in=processes).order_by("id"):
            node = task.flow_task
            names = _names(node.urls[0]) | set(STOCK_NODE_PAGES)
            for name in sorted(names):
                url = _reverse(node.reverse, name, [task.process_id, task.pk])
                if url is None:
                    continue
                missing_url = _reverse(node.reverse, name, [task.process_id, MISSING])
                for method in ("get", "post"):
                    _same_as_missing(client, url, missing_url, method)
                    checked += 1
    assert checked >= 40  # start, gateway, two human steps and an end, on two pages or more each


def test_process_pages_answer_a_foreign_user_as_a_missing_id(world, login, processes):
    reverse = flows.RmaFlow.instance.reverse
    for user in _outsiders(world):
        client = login(user)
        for process in processes:
            for name in PROCESS_PAGES:
                url = _reverse(reverse, name, [process.pk])
                if url is None:
                    continue
                for method in ("get", "post"):
                    _same_as_missing(client, url, reverse(name, args=[MISSING]), method)


def test_pages_that_would_change_a_task_behind_the_artefacts_back_exist_for_nobody(world, login, processes):
    coordinator = login(world.users.rma_coord)
    for task in Task.objects.filter(process__in=processes).order_by("id"):
        for name in ("cancel", "undo", "revive"):
            assert _reverse(task.flow_task.reverse, name, [task.process_id, task.pk]) is None, (task, name)
        if task.flow_task_type != "HUMAN":
            assert _reverse(task.flow_task.reverse, "execute", [task.process_id, task.pk]) is None
    assert _reverse(flows.RmaFlow.instance.reverse, "process_cancel", [processes[0].pk]) is None
    assert coordinator.get(f"/workflow/flows/rma/{processes[0].pk}/cancel/").status_code == 404


def test_those_in_scope_still_reach_the_system_steps_and_the_process_page(world, login, processes):
    coordinator = login(world.users.rma_coord)
    for task in Task.objects.filter(process=processes[0]).exclude(flow_task_type="HUMAN"):
        url = task.flow_task.reverse("detail", args=[task.process_id, task.pk])
        assert coordinator.get(url).status_code == 200, url
    page = coordinator.get(flows.RmaFlow.instance.reverse("process_detail", args=[processes[0].pk]))
    assert page.status_code == 302 and page["Location"].endswith(f"/applications/{processes[0].artifact_object_id}/")
