"""The ИОМ main path in a real browser as the demo users of `make run` (load_demo, the catalogue,
the ИОМ demo and the diagnostics demo, password orgstructure.demo.DEMO_PASSWORD), through the pages
alone — each user starts on the process's page and follows links and buttons: the teacher
(Ларионова Д.А., whose fresh diagnosis found two deficits) asks for support, the ЦНППМПР
coordinator assigns the methodist, the methodist designs the route (a catalogue programme for one
deficit, self-study for the other, then changes the self-study line), the teacher agrees, the
school head endorses, the methodist registers it with its number, the teacher marks both
activities (one with a certificate file) and reports, the methodist confirms the result — the
справка and the ИОМ with its marks are on the route's page."""

import datetime as dt
import io

import docx
import pytest
from django.core.management import call_command

from orgstructure.demo import DEMO_PASSWORD, USER_PERSONS_BY_KEY
from orgstructure.models import Person
from tests import corpus
from workflows.core.demo import demo_user
from workflows.core.flowkit import flow_url
from workflows.iom import services
from workflows.iom.flows import RouteFlow
from workflows.iom.models import ActivityStatus, Route, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    for command in ("load_demo", "load_programmes_demo", "load_iom_demo", "load_diagnostics_demo"):
        call_command(command, quiet=True)
    return Person.objects.select_related("organization__region").get(snils=USER_PERSONS_BY_KEY["teacher"].snils)


def settle(page):
    """No request in flight before the test reads the database (on SQLite the live server's
    threads share the test database's connection)."""
    page.wait_for_load_state("networkidle")


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/workflow/inbox/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")
    to_index(page, base)


def to_index(page, base):
    page.goto(base + flow_url(RouteFlow, "index"))  # «Процессы» → «Индивидуальный образовательный маршрут»


def click(page, selector):
    with page.expect_navigation():
        page.click(selector)
    page.wait_for_load_state("load")


def open_route(page, route):
    """From the process's page through the «Реестр ИОМ» to the route."""
    click(page, "#routes")
    click(page, f"#routes tr[data-route='{route.pk}'] a")
    page.wait_for_selector("#route-status")


def do_task(page, title, fill=None):
    """The route page's button for the user's task → the task's form → submit."""
    click(page, f"a[data-task]:has-text('{title}')")
    page.wait_for_selector("#task-form")
    if fill:
        fill()
    click(page, "#task-submit")
    page.wait_for_selector("#route-status, #progress")
    settle(page)


def test_the_demo_users_take_a_route_from_request_to_confirmed_result(page, live_server, demo):
    base, person = live_server.url, demo
    today = services.today_in(person.organization.region)
    methodist = demo_user("methodist")

    # the teacher asks for support
    login(page, base, "teacher")
    click(page, "#request-new")
    page.check(f"input[name=persons][value='{person.pk}']")
    page.fill("textarea[name=topic]", "Затруднения с формирующим оцениванием и цифровыми ресурсами")
    click(page, ".pf-form button.mdc-button--raised")
    assert "принят" in page.inner_text("body")
    page.wait_for_selector("#requests")
    settle(page)
    route = Route.objects.get(person=person)
    assert route.status == Status.REQUESTED

    # the coordinator assigns the methodist
    login(page, base, "cnppm")
    open_route(page, route)
    do_task(page, "Назначение куратора", lambda: page.check(f"input[name=curator][value='{methodist.pk}']"))
    route.refresh_from_db()
    assert route.status == Status.DESIGN and route.curator == methodist
    deficits = list(route.deficits.all())
    assert len(deficits) == 2 and all(d.diagnosed for d in deficits)  # from the demo diagnosis

    # the methodist designs it: the period, a catalogue programme and self-study, then a change
    login(page, base, "methodist")
    open_route(page, route)
    click(page, "#design")
    start, end = today, today + dt.timedelta(days=150)
    page.fill("#header-form input[name=period_from]", start.isoformat())
    page.fill("#header-form input[name=period_to]", end.isoformat())
    page.fill("#header-form input[name=theme]", "Формирующее оценивание")
    page.fill("#header-form textarea[name=goal]", "Освоить приёмы формирующего оценивания и цифровые ресурсы")
    click(page, "#header-save")
    assert "Цель и период сохранены" in page.inner_text("body")
    proposals = page.inner_text("#proposals")
    assert all(d.description in proposals for d in deficits)  # the catalogue proposes per deficit
    page.select_option("#activity-form select[name=deficit]", str(deficits[0].pk))
    page.select_option("#activity-form select[name=kind]", "course")
    page.select_option("#activity-form select[name=programme]", index=1)
    page.fill("#activity-form input[name=hours]", "18")
    page.fill("#activity-form input[name=starts_on]", start.isoformat())
    page.fill("#activity-form input[name=due_on]", (start + dt.timedelta(days=40)).isoformat())
    page.fill("#activity-form input[name=expected_result]", "удостоверение о ПК")
    click(page, "#activity-save")
    assert "Мероприятие добавлено" in page.inner_text("body")
    page.select_option("#activity-form select[name=deficit]", str(deficits[1].pk))
    page.select_option("#activity-form select[name=kind]", "self_study")
    page.fill("#activity-form input[name=title]", "Изучение цифровых образовательных ресурсов")
    page.fill("#activity-form input[name=provider_text]", "ЦНППМПР")
    page.fill("#activity-form input[name=hours]", "8")
    page.fill("#activity-form input[name=starts_on]", start.isoformat())
    page.fill("#activity-form input[name=due_on]", (start + dt.timedelta(days=20)).isoformat())
    page.fill("#activity-form input[name=expected_result]", "конспект")
    click(page, "#activity-save")
    settle(page)
    self_study = route.activities.get(kind="self_study")
    click(page, f"a[data-edit-activity='{self_study.pk}']")
    assert page.input_value("#activity-edit-form input[name=title]") == "Изучение цифровых образовательных ресурсов"
    page.fill("#activity-edit-form input[name=hours]", "12")
    page.fill("#activity-edit-form input[name=expected_result]", "подборка цифровых ресурсов для уроков")
    click(page, "#activity-update")
    assert "Мероприятие изменено" in page.inner_text("body")
    assert "подборка цифровых ресурсов для уроков" in page.inner_text("#plan")
    assert page.query_selector("#check-errors") is None  # every diagnosed deficit is addressed
    settle(page)
    self_study.refresh_from_db()
    assert self_study.hours == 12
    click(page, "text=К маршруту")
    do_task(page, "Разработка ИОМ")
    route.refresh_from_db()
    assert route.status == Status.AGREEMENT

    # the teacher agrees, from «Мой маршрут»
    login(page, base, "teacher")
    click(page, "#my")
    click(page, "a.mdc-button:has-text('Согласование ИОМ педагогом')")
    page.check("input[name=decision][value=agree]")
    click(page, "#task-submit")
    settle(page)
    route.refresh_from_db()
    assert route.status == Status.ENDORSEMENT

    # the school head endorses
    login(page, base, "school_head")
    open_route(page, route)
    do_task(page, "Согласование ИОМ образовательной", lambda: page.check("input[name=decision][value=agree]"))
    route.refresh_from_db()
    assert route.status == Status.REGISTRATION

    # the methodist registers it: the number from the «Реестр ИОМ»
    login(page, base, "methodist")
    open_route(page, route)
    do_task(page, "Регистрация ИОМ")
    route.refresh_from_db()
    assert route.status == Status.IN_PROGRESS and route.number
    assert page.inner_text("#route-number") == route.number

    # the teacher marks both activities from «Мой маршрут» and reports
    login(page, base, "teacher")
    click(page, "#my")
    course = route.activities.get(kind="course")
    click(page, f"a[data-activity-task='{course.pk}']")
    page.check("input[name=decision][value=done]")
    page.fill("input[name=done_on]", today.isoformat())
    page.set_input_files("input[name=evidence]", files=[
        {"name": "udostoverenie.pdf", "mimeType": "application/pdf", "buffer": corpus.PDF}
    ])
    page.fill("textarea[name=note]", "удостоверение о повышении квалификации")
    click(page, "#task-submit")
    settle(page)
    to_index(page, base)
    click(page, "#my")
    click(page, f"a[data-activity-task='{self_study.pk}']")
    page.check("input[name=decision][value=done]")
    page.fill("input[name=done_on]", today.isoformat())
    page.fill("textarea[name=note]", "подборка ресурсов размещена на сайте школы")
    click(page, "#task-submit")
    settle(page)
    assert set(route.activities.values_list("status", flat=True)) == {ActivityStatus.DONE}
    to_index(page, base)
    click(page, "#my")
    assert "2 из 2 мероприятий (100 %)" in page.inner_text("#progress")
    click(page, "a.mdc-button:has-text('Самоотчёт о выполнении ИОМ')")
    page.fill("textarea[name=self_report]", "Курсы пройдены, приёмы формирующего оценивания применяю на уроках")
    click(page, "#task-submit")
    settle(page)
    route.refresh_from_db()
    assert route.status == Status.REPORTED

    # the methodist confirms the result: the справка, and the ИОМ with its marks
    login(page, base, "methodist")
    open_route(page, route)
    do_task(page, "Подтверждение результата", lambda: (
        page.check("input[name=decision][value=confirm]"),
        page.fill("textarea[name=result]", "Приёмы формирующего оценивания применяются на уроках"),
    ))
    route.refresh_from_db()
    assert route.status == Status.COMPLETED
    assert "Завершён, результат подтверждён" in page.inner_text("#route-status")
    documents = page.inner_text("#documents")
    assert "Справка о выполнении ИОМ" in documents and f"№ {route.number}" in documents
    copy = page.request.get(base + page.get_attribute("#route-copy", "href"))
    assert copy.ok
    text = "\n".join(cell.text for table in docx.Document(io.BytesIO(copy.body())).tables
                     for row in table.rows for cell in row.cells)
    assert "файл «udostoverenie.pdf»" in text and f"выполнено {today:%d.%m.%Y}" in text
