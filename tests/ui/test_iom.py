"""The ИОМ main path in a real browser, each step by its user through the pages: the teacher's
request, the coordinator's assignment (the proposal preselected), the design by the curator on
the design page, the teacher's agreement, the school's endorsement, the registration with its
number, an activity marked done from the teacher's progress page, the self-report and the
confirmed result."""

import datetime as dt

import pytest

from tests.workflows.iom.conftest import open_task, world  # noqa: F401  (world: fixture)
from workflows.core.flowkit import flow_url, task_url
from workflows.iom.flows import RouteFlow
from workflows.iom.models import Route, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-Профрост-1"


def login(page, base, username):
    page.context.clear_cookies()
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/workflow/inbox/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


def settle(page):
    """No request in flight before the test reads the database (on SQLite the live server's
    threads share the test database's connection)."""
    page.wait_for_load_state("networkidle")


def step(page, base, user, artefact, node, fill=None):
    login(page, base, user.username)
    page.goto(base + task_url(open_task(artefact, node)))
    page.wait_for_selector("#task-form")
    if fill:
        fill()
    page.click("#task-submit")
    page.wait_for_load_state("load")
    page.wait_for_selector("#history, #route-status, #progress")
    settle(page)


def test_a_route_from_request_to_confirmed_result_in_the_browser(page, live_server, world):  # noqa: F811
    base = live_server.url
    login(page, base, world.teacher.username)
    page.goto(base + flow_url(RouteFlow, "request_new"))
    page.check(f"input[name=persons][value='{world.person.pk}']")
    page.fill("textarea[name=topic]", "Затруднения с формирующим оцениванием")
    page.click(".pf-form button.mdc-button--raised")
    page.wait_for_selector("#requests")
    settle(page)
    route = Route.objects.get(person=world.person)

    step(page, base, world.coordinator, route, RouteFlow.assign,
         lambda: page.check(f"input[name=curator][value='{world.methodist.pk}']"))
    route.refresh_from_db()
    assert route.status == Status.DESIGN

    login(page, base, world.methodist.username)
    page.goto(base + flow_url(RouteFlow, "design", route.pk))
    start, end = dt.date.today(), dt.date.today() + dt.timedelta(days=120)
    page.fill("#header-form input[name=period_from]", start.isoformat())
    page.fill("#header-form input[name=period_to]", end.isoformat())
    page.fill("#header-form input[name=theme]", "Формирующее оценивание")
    page.fill("#header-form textarea[name=goal]", "Освоить приёмы формирующего оценивания")
    with page.expect_navigation():
        page.click("#header-save")
    page.wait_for_selector("#deficit-form")
    page.fill("#deficit-form input[name=description]", "Формирующее оценивание")
    with page.expect_navigation():
        page.click("#deficit-save")
    page.wait_for_selector("#activity-form")
    page.select_option("#activity-form select[name=deficit]", index=1)
    page.select_option("#activity-form select[name=kind]", "self_study")
    page.fill("#activity-form input[name=title]", "Изучение методических рекомендаций")
    page.fill("#activity-form input[name=hours]", "10")
    page.fill("#activity-form input[name=starts_on]", start.isoformat())
    page.fill("#activity-form input[name=due_on]", (start + dt.timedelta(days=20)).isoformat())
    page.fill("#activity-form input[name=expected_result]", "конспект")
    with page.expect_navigation():
        page.click("#activity-save")
    page.wait_for_selector("#plan")
    assert "Изучение методических рекомендаций" in page.inner_text("#plan")
    settle(page)

    step(page, base, world.methodist, route, RouteFlow.design)
    step(page, base, world.teacher, route, RouteFlow.agree,
         lambda: page.check("input[name=decision][value=agree]"))
    step(page, base, world.head, route, RouteFlow.endorse,
         lambda: page.check("input[name=decision][value=agree]"))
    step(page, base, world.methodist, route, RouteFlow.registration)
    assert page.inner_text("#route-number") == "1/ИОМ"

    activity = route.activities.get()
    login(page, base, world.teacher.username)
    settle(page)
    page.goto(base + flow_url(RouteFlow, "my"))
    page.click(f"a[data-activity-task='{activity.pk}']")
    page.wait_for_selector("#task-form")
    page.check("input[name=decision][value=done]")
    page.fill("input[name=done_on]", dt.date.today().isoformat())
    page.fill("textarea[name=note]", "Конспект рекомендаций в портфолио")
    page.click("#task-submit")
    page.wait_for_selector("#route-status")
    settle(page)
    step(page, base, world.teacher, route, RouteFlow.report,
         lambda: page.fill("textarea[name=self_report]", "Приёмы освоены, применяю на уроках"))
    step(page, base, world.methodist, route, RouteFlow.confirm, lambda: (
        page.check("input[name=decision][value=confirm]"),
        page.fill("textarea[name=result]", "Приёмы формирующего оценивания применяются на уроках"),
    ))
    assert "Завершён, результат подтверждён" in page.inner_text("#route-status")
    assert "Справка о выполнении ИОМ" in page.inner_text("#documents")
