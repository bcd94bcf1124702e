"""The ИОМ demo of `make run` (load_iom_demo after load_demo and the catalogue): a route in every
state, each waiting in the inbox of the demo user whose step is next, the demo `teacher` left free
for the walk-through (README), and a second run changes nothing."""

import pytest
from django.core.management import call_command

from orgstructure.demo import USER_PERSONS_BY_KEY
from workflows.core.demo import demo_user
from workflows.iom.flows import ActivityFlow, RouteFlow
from workflows.iom.models import ActivityStatus, Route, Status

from .conftest import open_task

pytestmark = pytest.mark.django_db

NEXT_STEP = {
    Status.REQUESTED: (RouteFlow.assign, "cnppm"),
    Status.DESIGN: (RouteFlow.design, "methodist"),
    Status.AGREEMENT: (RouteFlow.agree, None),  # the route's own teacher
    Status.ENDORSEMENT: (RouteFlow.endorse, "school_head"),
    Status.REGISTRATION: (RouteFlow.registration, "methodist"),
    Status.REPORTED: (RouteFlow.confirm, "methodist"),
}


def test_the_demo_holds_a_route_in_every_state_each_with_its_next_step(db):
    for command in ("load_demo", "load_programmes_demo", "load_iom_demo"):
        call_command(command, quiet=True)
    routes = {route.status: route for route in Route.objects.select_related("person")}
    assert set(routes) == set(Status.values) and Route.objects.count() == len(Status.values)
    assert not Route.objects.filter(person__snils=USER_PERSONS_BY_KEY["teacher"].snils).exists()

    for status, (node, username) in NEXT_STEP.items():
        route = routes[status]
        owner = demo_user(username) if username else route.person.user
        assert open_task(route, node).owner == owner, status
    in_progress = routes[Status.IN_PROGRESS]
    done, planned = in_progress.activities.order_by("status")
    assert (done.status, planned.status) == (ActivityStatus.DONE, ActivityStatus.PLANNED)
    assert open_task(planned, ActivityFlow.carry_out).owner == in_progress.person.user
    completed = routes[Status.COMPLETED]
    assert completed.number and completed.round_table and completed.result

    call_command("load_iom_demo", quiet=True)
    assert Route.objects.count() == len(Status.values)


def test_the_demo_requests_keep_their_abbreviations(db):
    """A demo request's topic lower-cases the theme's first letter only: «Затруднения: работа с
    детьми с овз» stood in the «Реестр запросов» (seen walking the demo as cnppm)."""
    from workflows.iom.models import IomRequest

    for command in ("load_demo", "load_programmes_demo", "load_iom_demo"):
        call_command(command, quiet=True)
    topics = set(IomRequest.objects.values_list("topic", flat=True))
    assert "Затруднения: работа с детьми с ОВЗ" in topics, topics
