"""The self-report's task exists from registration (due at the period's end, a tracked deadline),
but the route page and «Мой маршрут» offer its button only once every activity is marked: before,
a plain line says how many are marked (flowkit.task_offers with RouteFlow.step_waits). The step
itself still refuses a report with an activity open."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import corpus
from workflows.core.flowkit import flow_url, task_url
from workflows.core.models import TaskDeadline
from workflows.iom.flows import ActivityFlow, RouteFlow
from workflows.iom.models import Status

from .conftest import TODAY, client, do, open_task

pytestmark = pytest.mark.django_db

WAITING = "Самоотчёт станет доступен, когда все мероприятия будут отмечены"


def _pages(world, route):
    c = client(world.teacher)
    pages = []
    for address in (flow_url(RouteFlow, "route", route.pk), flow_url(RouteFlow, "my")):
        response = c.get(address)
        assert response.status_code == 200
        pages.append(response.content.decode())
    return pages


def test_the_report_button_appears_only_when_every_activity_is_marked(world, registered):
    route = registered
    report = open_task(route, RouteFlow.report)
    assert report.owner == world.teacher
    assert TaskDeadline.objects.get(task=report).due_at is not None  # the deadline is tracked from the start
    report_href = f'href="{task_url(report)}"'

    for page in _pages(world, route):
        assert f"{WAITING} (отмечено 0 из 2)" in page
        assert report_href not in page and "Самоотчёт о выполнении ИОМ</span>" not in page

    # opened from the inbox all the same, the step says why and refuses
    step = client(world.teacher).get(task_url(report), follow=True).content.decode()
    assert f"{WAITING} (отмечено 0 из 2)" in step
    refused = do(world.teacher, route, RouteFlow.report, {"self_report": "Готово"}, expect=200)
    assert "Не отмечены мероприятия" in refused.content.decode()

    first, second = route.activities.all()
    evidence = SimpleUploadedFile("konspekt.pdf", corpus.PDF, content_type="application/pdf")
    do(world.teacher, first, ActivityFlow.carry_out, {"decision": "done", "done_on": TODAY, "evidence": evidence})
    for page in _pages(world, route):
        assert f"{WAITING} (отмечено 1 из 2)" in page
        assert report_href not in page

    do(world.teacher, second, ActivityFlow.carry_out, {"decision": "skip", "reason": "наставник на больничном"})
    for page in _pages(world, route):
        assert WAITING not in page
        assert report_href in page and "Самоотчёт о выполнении ИОМ</span>" in page

    do(world.teacher, route, RouteFlow.report, {"self_report": "Разработан комплект заданий"})
    route.refresh_from_db()
    assert route.status == Status.REPORTED
