"""The ИОМ API (/api/v1/iom/): a request, the register and a route scoped like the pages, an
activity marked done with an evidence upload (the kit's checks) through its inbox task."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests import corpus
from workflows.iom.flows import RouteFlow
from workflows.iom.models import ActivityStatus, Route

from .conftest import TODAY, do
from .test_path import design

pytestmark = pytest.mark.django_db


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def registered_route(world):
    response = api(world.teacher).post(
        "/api/v1/iom/requests/",
        {"source": "individual", "persons": [world.person.pk], "topic": "Формирующее оценивание"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["teachers"] == 1
    route = Route.objects.get(person=world.person)
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    design(world, route)
    do(world.methodist, route, RouteFlow.design)
    do(world.teacher, route, RouteFlow.agree, {"decision": "agree"})
    do(world.head, route, RouteFlow.endorse, {"decision": "agree"})
    do(world.methodist, route, RouteFlow.registration)
    return Route.objects.get(pk=route.pk)


def test_request_register_route_and_evidence_upload(world):
    route = registered_route(world)
    listed = api(world.methodist).get("/api/v1/iom/routes/").json()["results"]
    assert [row["number"] for row in listed] == ["1/ИОМ"]
    assert api(world.colleague).get("/api/v1/iom/routes/").json()["results"] == []
    assert api(world.colleague).get(f"/api/v1/iom/routes/{route.pk}/").status_code == 404
    detail = api(world.teacher).get(f"/api/v1/iom/routes/{route.pk}/").json()
    first = detail["activities"][0]["id"]
    url = f"/api/v1/iom/activities/{first}/mark/"
    hostile = SimpleUploadedFile("x.pdf", corpus.pdf_javascript(), content_type="application/pdf")
    refused = api(world.teacher).post(
        url, {"decision": "done", "done_on": TODAY.isoformat(), "evidence": hostile}, format="multipart"
    )
    assert refused.status_code == 400 and "x.pdf" in refused.content.decode()
    assert route.activities.get(pk=first).status == ActivityStatus.PLANNED
    assert api(world.colleague).post(url, {"decision": "skip", "reason": "нет"}, format="multipart").status_code == 404
    good = SimpleUploadedFile("udostoverenie.pdf", corpus.PDF, content_type="application/pdf")
    done = api(world.teacher).post(
        url, {"decision": "done", "done_on": TODAY.isoformat(), "evidence": good}, format="multipart"
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["has_evidence"] is True
    again = api(world.teacher).post(url, {"decision": "skip", "reason": "нет"}, format="multipart")
    assert again.status_code in (404, 409)


def test_the_register_filters_pages_and_exports_what_the_user_sees(world):
    import io

    from openpyxl import load_workbook

    from workflows.core.flowkit import flow_url

    from .conftest import client

    route = registered_route(world)
    url = flow_url(RouteFlow, "routes")
    page = client(world.coordinator).get(url, {"status": "in_progress", "municipality": world.north.pk})
    assert page.status_code == 200 and [r["number"] for r in page.context["rows"]] == [
        "1/ИОМ от " + route.registered_on.strftime("%d.%m.%Y")
    ]
    assert client(world.coordinator).get(url, {"municipality": world.south.pk}).context["rows"] == []
    assert client(world.colleague).get(url).context["rows"] == []
    sheet = load_workbook(
        io.BytesIO(client(world.coordinator).get(flow_url(RouteFlow, "routes_export")).content)
    ).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("№ в реестре", "Зарегистрирован", "Педагог") and rows[1][0] == "1/ИОМ"
    assert rows[1][4] == world.north.name
