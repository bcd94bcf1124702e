"""DOC-3 of a route in implementation or completed carries the «Отметка о выполнении» of each
activity — done with its date and evidence (the note, the file's name, the link), skipped with its
reason — in a current copy under the route's number (docx opened with python-docx); the document
issued at registration stays in the archive as approved. The «Лист согласования» dates are the
region's days, not UTC's."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import IssuedDocument
from tests import corpus
from tests.documents.conftest import docx_tables, docx_text
from workflows.core.flowkit import flow_url
from workflows.iom import documents as iom_documents
from workflows.iom import selectors
from workflows.iom.documents import IOM_KIND
from workflows.iom.flows import ActivityFlow, RouteFlow
from workflows.iom.models import Approval, Status

from .conftest import TODAY, client, do
from .test_path import request_route

pytestmark = pytest.mark.django_db


def _plan(data: bytes) -> list[list[str]]:
    return next(table for table in docx_tables(data) if "Отметка о выполнении" in " ".join(table[0]))


def _copy(user, route):
    response = client(user).get(flow_url(RouteFlow, "route_document", route.pk))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_copy_carries_each_activitys_mark_and_evidence_under_the_routes_number(world, registered):
    route = registered
    page = client(world.teacher).get(flow_url(RouteFlow, "route", route.pk)).content.decode()
    assert 'id="route-copy"' in page

    before = _plan(_copy(world.teacher, route))
    assert [row[-1] for row in before[1:]] == ["", ""]  # nothing marked yet

    first, second = route.activities.all()
    evidence = SimpleUploadedFile("konspekt.pdf", corpus.PDF, content_type="application/pdf")
    do(world.teacher, first, ActivityFlow.carry_out, {
        "decision": "done", "done_on": TODAY, "evidence": evidence, "link": "https://school.example.org/konspekt",
        "note": "конспект в портфолио",
    })
    data = _copy(world.teacher, route)
    marks = [row[-1] for row in _plan(data)[1:]]
    assert marks[0] == (
        f"выполнено {TODAY:%d.%m.%Y}; подтверждение: конспект в портфолио; файл «konspekt.pdf»; "
        "ссылка: https://school.example.org/konspekt"
    )
    assert marks[1] == ""  # still planned: no mark

    do(world.teacher, second, ActivityFlow.carry_out, {"decision": "skip", "reason": "наставник на больничном"})
    do(world.teacher, route, RouteFlow.report, {"self_report": "Разработан комплект заданий"})
    do(world.methodist, route, RouteFlow.confirm, {"decision": "confirm", "result": "Комплект применяется в ШМО"})
    route.refresh_from_db()
    assert route.status == Status.COMPLETED
    data = _copy(world.head, route)  # the school sees it too
    marks = [row[-1] for row in _plan(data)[1:]]
    assert marks[1] == "не выполнено: наставник на больничном"
    text = docx_text(data)
    assert "№ 1/ИОМ" in text and "____" not in text.split("ЛИСТ СОГЛАСОВАНИЯ")[0]

    # the registered document is not replaced: one DOC-3 in force, its marks as at registration
    issued = IssuedDocument.objects.get(kind=IOM_KIND)
    assert issued.superseded_at is None and issued.number == "1/ИОМ"
    assert all(not item.get("done_on") for item in issued.data["items"])


def test_no_copy_before_registration_and_none_for_a_stranger(world):
    route = request_route(world).get()
    response = client(world.teacher).get(flow_url(RouteFlow, "route_document", route.pk), follow=True)
    assert "ещё не зарегистрирован" in response.content.decode()
    assert client(world.colleague).get(flow_url(RouteFlow, "route_document", route.pk)).status_code == 404


def test_the_approval_dates_are_the_regions_days(world, registered):
    # 20:30 UTC on 10 March is already 11 March in Yekaterinburg time (UTC+5)
    late = dt.datetime(2026, 3, 10, 20, 30, tzinfo=dt.UTC)
    Approval.objects.filter(route=registered).update(decided_at=late)
    route = selectors.route_for(world.teacher, registered.pk)
    dates = {row["date"] for row in iom_documents.route_context(route)["approvals"]}
    assert dates == {dt.date(2026, 3, 11)}
    page = client(world.teacher).get(flow_url(RouteFlow, "route", route.pk)).content.decode()
    assert "11.03.2026" in page and "10.03.2026" not in page
