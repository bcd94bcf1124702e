"""The «Реестр ИОМ» page (issue 13, speed): its rows are read as values in a constant number of
queries however many it shows, the municipality filter goes through the municipality's schools,
and the pages follow each other by keyset without a repeat or a gap."""

import datetime as dt
from urllib.parse import parse_qs

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_person
from workflows.core.flowkit import flow_url
from workflows.iom.flows import RouteFlow
from workflows.iom.models import IomRequest, RequestSource, Route, Status

from .conftest import TODAY, client

pytestmark = pytest.mark.django_db


def _routes(world, school, count, *, status=Status.IN_PROGRESS, curator=None, last_name="Педагогова"):
    persons = [
        make_person(school, last_name=f"{last_name}{n}", first_name="Анна", middle_name="") for n in range(count)
    ]
    request = IomRequest.objects.create(
        region=world.region,
        municipality=school.municipality,
        organization=school,
        source=RequestSource.INSTITUTIONAL,
        topic="Формирующее оценивание",
        requested_by=world.head,
    )
    return Route.objects.bulk_create(
        [
            Route(
                request=request,
                person=person,
                status=status,
                curator=curator,
                period_from=TODAY,
                period_to=TODAY + dt.timedelta(days=90),
                theme="Формирующее оценивание",
            )
            for person in persons
        ]
    )


def _page(user, **params):
    url = flow_url(RouteFlow, "routes")
    with CaptureQueriesContext(connection) as queries:
        response = client(user).get(url, params)
    assert response.status_code == 200
    return response, len(queries)


def test_a_full_page_costs_the_queries_of_a_page_of_one_row(world):
    _routes(world, world.school, 1, curator=world.methodist)
    _, one = _page(world.coordinator)
    _routes(world, world.other_school, 60, curator=world.methodist)
    _routes(world, world.far_school, 5, status=Status.REQUESTED)
    response, full = _page(world.coordinator)
    assert len(response.context["rows"]) == 50
    assert full == one


def test_a_row_shows_the_teacher_the_school_the_period_the_status_and_the_curator(world):
    world.school.short_name = "СОШ № 5"
    world.school.save()
    (route,) = _routes(world, world.school, 1, curator=world.methodist, last_name="Ларина")
    Route.objects.filter(pk=route.pk).update(number="7/ИОМ", registered_on=TODAY, round_table=True)
    (waiting,) = _routes(world, world.far_school, 1, status=Status.REQUESTED, last_name="Дальняя")
    rows = {row["pk"]: row for row in _page(world.coordinator)[0].context["rows"]}
    row = rows[str(route.pk)]
    assert row["number"] == f"7/ИОМ от {TODAY:%d.%m.%Y}"
    assert row["person"] == "Ларина0 Анна"
    assert row["organization"] == "СОШ № 5"
    assert row["period"] == f"{TODAY:%d.%m.%Y} – {TODAY + dt.timedelta(days=90):%d.%m.%Y}"
    assert row["status"] == f"{Status.IN_PROGRESS.label}; круглый стол"
    assert row["curator"] == "Ольга Карпова"
    assert row["url"].endswith(f"/{route.pk}/")
    other = rows[str(waiting.pk)]
    assert (other["number"], other["curator"], other["organization"]) == ("—", "не назначен", world.far_school.name)


def test_the_municipality_filter_pages_through_its_schools_only(world):
    north = _routes(world, world.school, 30) + _routes(world, world.other_school, 30)
    _routes(world, world.far_school, 20)
    _routes(world, world.school, 5, status=Status.DESIGN)
    first, _ = _page(world.coordinator, status=Status.IN_PROGRESS, municipality=world.north.pk)
    assert len(first.context["rows"]) == 50
    after = parse_qs(first.context["next_url"].lstrip("?"))["after"][0]
    second, _ = _page(world.coordinator, status=Status.IN_PROGRESS, municipality=world.north.pk, after=after)
    shown = [int(row["pk"]) for row in first.context["rows"] + second.context["rows"]]
    assert shown == sorted((route.pk for route in north), reverse=True)
    assert second.context["next_url"] == ""
    html = first.content.decode()
    assert f'<option value="{world.north.pk}" selected>' in html
    assert f'<option value="{world.south.pk}">' in html
    assert '<option value="in_progress" selected>' in html


def test_the_register_shows_a_curator_their_routes_and_no_one_else_the_teachers(world):
    mine = _routes(world, world.far_school, 2, curator=world.methodist)
    _routes(world, world.school, 2)
    rows = _page(world.methodist)[0].context["rows"]
    assert sorted(int(row["pk"]) for row in rows) == sorted(route.pk for route in mine)
    assert _page(world.colleague)[0].context["rows"] == []
    assert _page(world.muni_coord, municipality=world.north.pk)[0].context["rows"] == []  # not a municipal request


def test_the_search_by_number_is_a_prefix(world):
    first, second, unnumbered = _routes(world, world.school, 3)
    Route.objects.filter(pk=first.pk).update(number="17/ИОМ", registered_on=TODAY)
    Route.objects.filter(pk=second.pk).update(number="170/ИОМ", registered_on=TODAY)

    def found(number):
        response, _ = _page(world.coordinator, number=number)
        return {int(row["pk"]) for row in response.context["rows"]}

    assert found("17/ИОМ") == {first.pk}
    assert found(" 17") == {first.pk, second.pk}
    assert found("99999/") == set()
    assert unnumbered.pk not in found("1")
    # typed in lower case: found on SQLite too, whose LIKE and UPPER fold ASCII letters only (the
    # search is upper-cased in Python; register numbers are stored as issued, in capitals)
    assert found("17/иом") == {first.pk}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="operator classes are PostgreSQL's")
def test_the_search_by_number_can_use_its_index(world):
    """number__istartswith compiles to UPPER(number::text) LIKE UPPER('P%'): the expression index
    with text_pattern_ops (iom_route_number_prefix) serves it under any collation — a default
    btree would only under C. With sequential scans off the plan shows whether it can."""
    from django.db import transaction

    _routes(world, world.school, 3)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = Route.objects.filter(number__istartswith="17/иом").order_by().explain()
    assert "iom_route_number_prefix" in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'iom_route_number_prefix'")
        assert "text_pattern_ops" in cursor.fetchone()[0]
