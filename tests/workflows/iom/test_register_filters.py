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
