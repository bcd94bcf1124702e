"""The main path of the selection of sites in a real browser (issue 14): the school applies with a
programme, the ММС endorses it from the inbox, the coordinator appoints the proposed experts, both
experts score from their inboxes, the coordinator closes the intake and sends the commission's
decision, the minister approves it from the inbox — and the call shows the приказ and the
register the new site. (Here, not in tests/workflows/internships/: one Playwright instance per
session, shared through tests/ui/conftest.py.)"""

import pytest

from documents.models import IssuedDocument
from orgstructure.models import OrganizationKind, Role
from tests.factories import make_organization, make_person, make_user
from tests.workflows.internships.test_application import open_call, world  # noqa: F401  (the fixture)
from workflows.core.flowkit import flow_url
from workflows.internships import documents
from workflows.internships.flows import InternshipsFlow
from workflows.internships.models import Application, ApplicationStatus, DecisionStatus, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Профрост-1"  # tests.factories.make_user


def _login(page, base_url, username, path="/workflow/inbox/"):
    page.context.clear_cookies()
    page.goto(f"{base_url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


def _open_inbox_task(page, title):
    page.click(f"#task-table tbody tr:has(td:text-is('{title}')) td:first-child a")
    page.wait_for_selector("#task-form")


def _submit_task(page):
    page.click("#task-submit")
    page.wait_for_url(lambda url: "/execute/" not in url)
    page.wait_for_load_state("load")
    page.wait_for_selector("#history, #call, #site")


@pytest.fixture
def people(world):  # noqa: F811
    region = world.region
    iro = make_organization(region, kind=OrganizationKind.IRO, name="ИРО (браузер)")
    cnppm = world.coordinator.memberships.get().organization
    cnppm.head_name, cnppm.head_position = "Субботина Елена Сергеевна", "руководитель центра"
    cnppm.save()
    ministry = make_organization(region, kind=OrganizationKind.MINISTRY, name="Министерство образования (браузер)")
    ministry.head_name, ministry.head_position = "Тарасов Андрей Викторович", "министр"
    ministry.save()
    experts = []
    for username, role, organization, last_name in (
        ("expert_iro", Role.IRO_STAFF, iro, "Медведева"),
        ("expert_cnppm", Role.CNPPM_METHODIST, cnppm, "Карпова"),
    ):
        person = make_person(organization, last_name=last_name)
        make_user(username, role=role, organization=organization, person=person)
        experts.append(person)
    minister = make_user("minister", role=Role.MINISTRY_SIGNATORY, organization=ministry)
    call = open_call(world)
    call.experts_per_application = 2
    call.save(update_fields=["experts_per_application"])
    return type("People", (), {"experts": experts, "minister": minister, "call": call})


def test_a_school_applies_and_the_minister_approves_the_list(page, live_server, world, people):  # noqa: F811
    base = live_server.url
    call = people.call

    # the school head applies with one programme
    _login(page, base, "head", flow_url(InternshipsFlow, "call", call.pk))
    page.click("#apply")
    page.wait_for_selector("#apply-form")
    page.fill("textarea[name=experience]", "Победитель конкурса инновационных проектов")
    page.fill("textarea[name=resources]", "Центр «Точка роста», медиастудия")
    page.fill("input[name=curator]", "Иванова Анна Петровна, заместитель директора")
    page.fill("input[name='programmes-0-theme']", "Медиаобразование")
    page.fill("input[name='programmes-0-target_group']", "учителя информатики")
    page.fill("input[name='programmes-0-format']", "групповая")
    page.fill("input[name='programmes-0-hours']", "36")
    page.click("#apply-submit")
    page.wait_for_selector("#application-status")
    assert page.inner_text("#application-status") == "На согласовании в ММС"
    application = Application.objects.get()

    # the ММС of the school's municipality endorses it from the inbox
    _login(page, base, "methodist")
    _open_inbox_task(page, "Согласование заявки ММС")
    page.check("input[name=decision][value=endorse]")
    _submit_task(page)
    assert page.inner_text("#application-status") == "Согласована ММС"

    # the coordinator appoints the two proposed experts
    _login(page, base, "coord", flow_url(InternshipsFlow, "application", application.pk))
    page.click("#appoint")
    page.wait_for_selector("input[name=experts]")
    for person in people.experts:
        assert page.is_checked(f"input[name=experts][value='{person.pk}']")
    page.click("form:has(input[name=experts]) button[type=submit]")
    page.wait_for_selector("#assignments")
    assert page.inner_text("#application-status") == "На экспертизе"

    # each expert scores every criterion from the inbox («не могу оценить» once)
    for username, na in (("expert_iro", "k4"), ("expert_cnppm", None)):
        _login(page, base, username)
        _open_inbox_task(page, "Экспертная оценка заявки")
        for code, score in (("k1", "8"), ("k2", "7"), ("k3", "7"), ("k4", "6"), ("k5", "9")):
            page.select_option(f"select[name=score_{code}]", "na" if code == na else score)
            page.fill(f"textarea[name=comment_{code}]", "по материалам заявки")
        page.click("#task-submit")
        page.wait_for_url(lambda url: "/execute/" not in url)
        page.wait_for_load_state("load")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEWED and application.passed

    # the coordinator closes the intake and sends the commission's decision
    _login(page, base, "coord", flow_url(InternshipsFlow, "call", call.pk))
    page.click("#call-close")
    page.check("input[name=confirm]")
    page.click("form:has(input[name=confirm]) button[type=submit]")
    page.wait_for_selector("#decision-new")
    page.click("#decision-new")
    page.wait_for_selector("#decision-form")
    assert page.is_checked(f"input[name=select_{application.pk}]")
    page.fill(
        "textarea[name=commission]",
        "Субботина Елена Сергеевна, координатор ЦНППМПР, председатель\nКарпова Анна Игоревна",
    )
    page.click("#decision-submit")
    page.wait_for_selector("#decision", timeout=60_000)  # the protocol (and its PDF, eagerly) is made
    assert "На утверждении в министерстве" in page.inner_text("#decision-status")
    assert page.is_visible("#protocol-download")

    # the minister approves it from the inbox: the приказ is issued, the site enters the register
    _login(page, base, "minister")
    _open_inbox_task(page, "Утверждение перечня площадок")
    assert page.is_visible("#order-preview")
    page.check("input[name=decision][value=approve]")
    page.click("#task-submit")
    # the приказ is rendered in the request; in tests Celery runs eagerly, so the справка and the
    # PDF conversions (LibreOffice) of the documents run at the commit too: give it time
    page.wait_for_selector("#decision", timeout=120_000)
    assert "Утверждено приказом" in page.inner_text("#decision-status")
    order = IssuedDocument.objects.get(kind=documents.SITES_ORDER_KIND)
    assert f"Приказ № {order.number}" in page.text_content("#order-download")
    site = Site.objects.get()
    assert site.application_id == application.pk
    assert application.__class__.objects.get(pk=application.pk).status == ApplicationStatus.SELECTED
    assert site.application.call.decision.status == DecisionStatus.APPROVED

    _login(page, base, "head", flow_url(InternshipsFlow, "register"))
    assert world.school.name.split(" (")[0] in page.inner_text("#register")
