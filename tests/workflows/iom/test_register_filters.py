"""The «Реестр ИОМ» offers «мои как куратора» only to those who can be a curator — a ЦНППМПР
methodist, an РМА member; the school head, the coordinators and the municipal authority were
offered a filter that could only empty the list (seen walking the demo as uo_berezniki,
rma_coord, cnppm)."""

import pytest

from workflows.core.flowkit import flow_url
from workflows.iom.flows import RouteFlow

from .conftest import client

pytestmark = pytest.mark.django_db

CURATOR_FILTER = 'name="curator" value="me"'


def test_the_curator_filter_is_offered_to_curators_only(world):
    register = flow_url(RouteFlow, "routes")
    for user in (world.methodist, world.member):
        assert CURATOR_FILTER in client(user).get(register).content.decode(), user
    for user in (world.teacher, world.head, world.coordinator, world.muni_coord, world.authority):
        page = client(user).get(register)
        assert page.status_code == 200
        assert CURATOR_FILTER not in page.content.decode(), user


def test_an_empty_register_says_whose_routes_it_holds(world):
    """«Маршрутов нет.» stood in the municipal authority's and the municipal РМА coordinator's
    register while their «Реестр запросов» listed the requests of their schools (the routes of
    individual requests are not theirs to see): the empty register now says who sees a route, and
    an empty filter result says it is the filter."""
    from .test_path import request_route

    request_route(world)
    register = flow_url(RouteFlow, "routes")
    for user in (world.authority, world.muni_coord):
        page = client(user).get(register).content.decode()
        assert "Маршрут педагога с его дефицитами видят только те, кто работает с ним" in page, user
    filtered = client(world.coordinator).get(register, {"status": "completed"}).content.decode()
    assert "По этому отбору маршрутов нет." in filtered
