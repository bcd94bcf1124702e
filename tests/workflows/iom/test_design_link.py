"""The link to «Разработка маршрута» is offered only to those who may open the page — the teacher
and the curator while the route is designed. The school head and the coordinator saw it on a
route in design and got «Страница не найдена» (seen walking the demo as school_head and cnppm);
the route page offers the button once, not a link beside it."""

import pytest

from workflows.core.flowkit import flow_url
from workflows.iom.flows import RouteFlow

from .conftest import client, do, open_task, task_action_url
from .test_path import request_route

pytestmark = pytest.mark.django_db


def test_only_the_teacher_and_the_curator_are_offered_the_design_page(world):
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    design_url = flow_url(RouteFlow, "design", route.pk)
    route_url = flow_url(RouteFlow, "route", route.pk)

    for user in (world.head, world.coordinator):
        page = client(user).get(route_url)
        assert page.status_code == 200, user
        assert design_url not in page.content.decode(), user
        assert client(user).get(design_url).status_code == 404

    for user in (world.methodist, world.teacher):
        page = client(user).get(route_url).content.decode()
        assert page.count(f'href="{design_url}"') == 1, user  # the «Разработка маршрута» button
        assert client(user).get(design_url).status_code == 200

    task_page = client(world.methodist).get(task_action_url(open_task(route, RouteFlow.design), "execute"))
    assert 'id="design-link"' in task_page.content.decode()

