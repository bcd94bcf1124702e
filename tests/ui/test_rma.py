"""The РМА key step in a real browser: the municipal coordinator finds the nomination in the inbox,
opens it, returns it for corrections with a due date, and the application page shows the new
status and the history. (Here, not in tests/workflows/rma/: one Playwright instance per session,
shared through tests/ui/conftest.py.)"""

import datetime as dt

import pytest

from tests.workflows.rma.conftest import PASSWORD, perm, required_files, today  # noqa: F401  (perm: fixture)
from workflows.rma import flows, links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url, username):
    page.goto(f"{base_url}/workflow/inbox/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Turbo submits the form with fetch and then visits the redirect: wait for the page it lands on.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


def test_coordinator_returns_a_nomination_from_the_inbox(page, live_server, perm):  # noqa: F811
    application = flows.application_start(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )
    _login(page, live_server.url, "rma_coord")
    assert page.url.endswith("/workflow/inbox/")
    page.click("#task-table tbody tr a")
    page.wait_for_url("**/verify/*/execute/")
    page.wait_for_selector("#task-form")
    assert "Проверка документов кандидата в РМА" in page.content()
    assert page.inner_text("#person-name") == perm.persons.eligible.full_name

    page.check("input[name=decision][value=return]")
    page.fill("textarea[name=comment]", "Приложите копию диплома с вкладышем")
    due = today(perm.region) + dt.timedelta(days=10)
    page.fill("input[name=due_date]", due.isoformat())
    page.click("#task-submit")
    page.wait_for_url(f"**{links.application_url(application.pk)}")
    page.wait_for_selector("#history")

    assert page.inner_text("#application-status") == "Возвращена на доработку"
    history = page.inner_text("#history")
    assert "Возвращена на доработку" in history and "Приложите копию диплома с вкладышем" in history
    assert page.get_attribute("#history tbody tr:last-child", "data-event") == "rma.returned"
