"""The main path of the selection of sites in a real browser, as the demo users (load_demo and
load_internships_demo, the walk-through of workflows/internships/README.md): `school_head` applies
to the demo's open call for МАОУ «СОШ № 7» г. Березники with a programme and a supporting file,
`mms_berezniki` endorses it from the inbox, `cnppm` appoints the two experts the system proposes
(`rma_member` works at the applicant: ruled out), `methodist` and `iro` score it from their inboxes
(«не могу оценить» once), `cnppm` closes the intake and sends the commission's decision, `signatory`
approves it from the inbox — the приказ is issued and the school is in the register. (Here, not in
tests/workflows/internships/: one Playwright instance per session, shared through
tests/ui/conftest.py.)"""

import pytest
from django.core.management import call_command
from django.utils import timezone
from viewflow.workflow.models import Task

from documents.models import IssuedDocument
from orgstructure.demo import DEMO_PASSWORD
from orgstructure.models import Membership, Role
from tests import corpus
from workflows.core.calendar import local_date
from workflows.core.demo import demo_region, demo_user
from workflows.core.flowkit import flow_url
from workflows.internships import documents
from workflows.internships.demo import open_title
from workflows.internships.flows import DecisionFlow, ExpertFlow, InternshipsFlow
from workflows.internships.models import Application, ApplicationStatus, Call, DecisionStatus, Site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base_url, username, path="/workflow/inbox/"):
    page.context.clear_cookies()
    page.goto(f"{base_url}{path}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.wait_for_load_state("load")


def _open_inbox_task(page, task, title):
    """The task's row in the inbox (its step title on it), and its form."""
    row = f"#task-table tbody tr[data-task='{task.pk}']"
    assert page.inner_text(f"{row} td:nth-child(2)") == title
    page.click(f"{row} td:first-child a")
    page.wait_for_selector("#task-form")


def _submit_task(page):
    page.click("#task-submit")
    page.wait_for_url(lambda url: "/execute/" not in url)
    page.wait_for_load_state("load")


def _open_task(flow_task, artefact):
    return Task.objects.exclude(status__in=("DONE", "CANCELED")).get(
        flow_task=flow_task, process__artifact_object_id=artefact.pk
    )


@pytest.fixture
def demo():
    call_command("load_regulation_profiles", stdout=open("/dev/null", "w"))  # a flush before may have taken them
    call_command("load_demo", quiet=True)
    call_command("load_internships_demo", quiet=True)
    region = demo_region()
    call = Call.objects.get(title=open_title(local_date(timezone.now(), region.timezone)))
    school = Membership.objects.get(user=demo_user("school_head"), role=Role.SCHOOL_HEAD).organization
    return type("Demo", (), {"call": call, "school": school})


def test_the_demo_users_walk_a_school_from_its_application_to_the_register(page, live_server, demo, tmp_path):
    base, call = live_server.url, demo.call
    assert not Application.objects.filter(call=call, organization=demo.school).exists()

    # school_head applies with one programme and a supporting file
    _login(page, base, "school_head", flow_url(InternshipsFlow, "call", call.pk))
    page.click("#apply")
    page.wait_for_selector("#apply-form")
    assert page.inner_text("#school") == demo.school.name
    page.fill("textarea[name=experience]", "Победитель краевого конкурса «Школа цифровых решений» (демо)")
    page.fill("textarea[name=resources]", "Центр «Точка роста», медиастудия, 5 наставников высшей категории (демо)")
    page.fill("input[name='programmes-0-theme']", "Школьные медиа и медиаграмотность")
    page.fill("input[name='programmes-0-target_group']", "учителя информатики и литературы")
    page.fill("input[name='programmes-0-format']", "групповая")
    page.fill("input[name='programmes-0-hours']", "24")
    evidence = tmp_path / "Опыт работы.pdf"
    evidence.write_bytes(corpus.PDF)
    page.set_input_files("input[name=files]", str(evidence))
    page.click("#apply-submit")
    page.wait_for_selector("#application-status")
    assert page.inner_text("#application-status") == "На согласовании в ММС"
    application = Application.objects.get(call=call, organization=demo.school)
    assert application.files.get().original_name == "Опыт работы.pdf"

    # mms_berezniki endorses it from the inbox
    _login(page, base, "mms_berezniki")
    _open_inbox_task(page, _open_task(InternshipsFlow.endorse, application), "Согласование заявки ММС")
    page.check("input[name=decision][value=endorse]")
    _submit_task(page)
    assert page.inner_text("#application-status") == "Согласована ММС"

    # cnppm appoints the two experts proposed; rma_member (on the applicant's staff) is not offered
    _login(page, base, "cnppm", flow_url(InternshipsFlow, "application", application.pk))
    page.click("#appoint")
    page.wait_for_selector("input[name=experts]")
    experts = {username: demo_user(username).person for username in ("methodist", "iro", "rma_member")}
    for username in ("methodist", "iro"):
        assert page.is_checked(f"input[name=experts][value='{experts[username].pk}']"), username
    assert page.locator(f"input[name=experts][value='{experts['rma_member'].pk}']").count() == 0
    page.click("form:has(input[name=experts]) button[type=submit]")
    page.wait_for_selector("#assignments")
    assert page.inner_text("#application-status") == "На экспертизе"

    # methodist and iro score every criterion from their inboxes (iro: «не могу оценить» once)
    for username, na in (("methodist", None), ("iro", "k4")):
        assignment = application.assignments.get(expert=experts[username])
        _login(page, base, username)
        _open_inbox_task(page, _open_task(ExpertFlow.score, assignment), "Экспертная оценка заявки")
        assert demo.school.name in page.inner_text("#application-summary")  # whose application it is
        for code, score in (("k1", "9"), ("k2", "8"), ("k3", "8"), ("k4", "7"), ("k5", "9")):
            page.select_option(f"select[name=score_{code}]", "na" if code == na else score)
            page.fill(f"textarea[name=comment_{code}]", "подтверждено материалами заявки")
        _submit_task(page)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REVIEWED and application.passed
    assert application.rating is not None and application.rating > 80

    # cnppm sees the ranked list, closes the intake and sends the commission's decision
    _login(page, base, "cnppm", flow_url(InternshipsFlow, "ranking", call.pk))
    assert demo.school.short_name in page.inner_text("main")
    page.goto(f"{base}{flow_url(InternshipsFlow, 'call', call.pk)}")
    page.click("#call-close")
    page.check("input[name=confirm]")
    page.click("form:has(input[name=confirm]) button[type=submit]")
    page.wait_for_selector("#decision-new")
    page.click("#decision-new")
    page.wait_for_selector("#decision-form")
    assert page.is_checked(f"input[name=select_{application.pk}]")
    assert "не включается" in page.inner_text("#unfinished")  # the demo's applications still in progress
    page.fill(
        "textarea[name=commission]",
        "Субботина Елена Сергеевна, координатор ЦНППМПР, председатель комиссии\n"
        "Карпова Ольга Александровна, методист ЦНППМПР\nМедведев Константин Ильич, старший преподаватель ИРО",
    )
    page.click("#decision-submit")
    page.wait_for_selector("#decision", timeout=60_000)  # the protocol (and its PDF, eagerly) is made
    assert "На утверждении в министерстве" in page.inner_text("#decision-status")
    assert page.is_visible("#protocol-download")

    # signatory approves it from the inbox: the приказ is issued, the site enters the register
    decision = Call.objects.get(pk=call.pk).decision
    _login(page, base, "signatory")
    _open_inbox_task(page, _open_task(DecisionFlow.sign, decision), "Утверждение перечня площадок")
    assert page.is_visible("#order-preview")
    page.check("input[name=decision][value=approve]")
    page.click("#task-submit")
    # the приказ is rendered in the request; in tests Celery runs eagerly, so the справки and the
    # PDF conversions (LibreOffice) run at the commit too: give it time
    page.wait_for_selector("#decision", timeout=180_000)
    assert "Утверждено приказом" in page.inner_text("#decision-status")
    order = IssuedDocument.objects.get(kind=documents.SITES_ORDER_KIND, artefact_id=str(decision.pk))
    assert f"Приказ № {order.number}" in page.text_content("#order-download")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
    site = Site.objects.get(application=application)
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SELECTED

    # school_head finds the school in the register and its site page with the report to come
    _login(page, base, "school_head", flow_url(InternshipsFlow, "register"))
    assert demo.school.short_name in page.inner_text("#register")
    page.goto(f"{base}{flow_url(InternshipsFlow, 'site', site.pk)}")
    assert page.inner_text("#site-status").startswith("Действует")
    assert "Школьные медиа и медиаграмотность" in page.inner_text("#site-programmes")
