"""The workflow shell in a real browser: the login page, role-aware start page, the inbox."""

import pytest

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_person, make_region, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pass-Профрост-1"


def _login(page, base_url, username):
    page.goto(f"{base_url}/workflow/inbox/")
    assert "/accounts/login/" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    # Turbo submits the form with fetch and then visits the redirect: wait for the page it lands on.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


def test_anonymous_sees_only_the_login_page(page, live_server):
    page.goto(f"{live_server.url}/directory/person/")
    assert "/accounts/login/" in page.url
    assert "Профрост" in page.content()
    assert page.title() == "Вход — Профрост"


def test_teacher_logs_in_and_opens_inbox(page, live_server):
    region = make_region("Пермский край", code="59")
    school = make_organization(region, name="МАОУ «СОШ № 77»")
    person = make_person(school, last_name="Лаврентьева")
    make_user("teacher_ui", role=Role.TEACHER, organization=school, person=person)

    _login(page, live_server.url, "teacher_ui")
    assert page.url.endswith("/workflow/inbox/")
    assert "Входящие" in page.content()

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    roles = page.inner_text("#roles")
    assert "Педагогический работник" in roles and "СОШ № 77" in roles
    summary = page.inner_text("#inbox-summary")
    assert "задач во входящих" in summary and "просрочено" in summary

    # at 390 px the figures stand two to a row (one under another they took a phone screen each
    # four, the collection control page's nine more than one), inside the screen
    page.set_viewport_size({"width": 390, "height": 844})
    boxes = [tile.bounding_box() for tile in page.query_selector_all("#inbox-summary .pf-tile")]
    assert len(boxes) == 4
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[2]["y"] == boxes[3]["y"] > boxes[0]["y"]
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= 390 for box in boxes)


def test_wrong_password_shows_russian_error(page, live_server):
    region = make_region()
    make_user("head_ui", role=Role.SCHOOL_HEAD, organization=make_organization(region))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "head_ui")
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector("text=правильные имя пользователя и пароль")
    assert "/accounts/login/" in page.url


def test_ministry_officer_sees_region_directory(page, live_server):
    region = make_region("Пермский край", code="59")
    ministry = make_organization(region, OrganizationKind.MINISTRY, name="Министерство образования")
    make_person(make_organization(region, name="МБОУ «Гимназия № 5»"), last_name="Зимина")
    make_user("officer_ui", role=Role.MINISTRY_OFFICER, organization=ministry)
    _login(page, live_server.url, "officer_ui")
    page.goto(f"{live_server.url}/directory/person/")
    page.wait_for_load_state("networkidle")
    assert "Зимина" in page.content()
