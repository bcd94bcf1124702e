"""`load_rma_demo` on top of `load_demo`: idempotent; the refused edge cases show their reasons;
and the walk-through of workflows/rma/README.md works through the UI alone, each step from the
inbox of its own demo user, signing in with the demo password."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from viewflow.workflow.models import Process

from common.uploads import samples
from documents.models import IssuedDocument
from orgstructure.demo import DEMO_PASSWORD, EDGE_CASES_BY_KEY, USER_PERSONS_BY_KEY, load_demo
from orgstructure.models import Person
from workflows.core.models import Notification, TaskDeadline
from workflows.core.tasks import deliver_notifications, scan_deadlines
from workflows.rma import links
from workflows.rma.demo import load_rma_demo
from workflows.rma.models import RmaApplication, RmaList, Status

pytestmark = pytest.mark.django_db


def sign_in(username):
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def inbox_links(client):
    page = client.get("/workflow/inbox/").content.decode()
    return re.findall(r'href="(/workflow/flows/rma[a-z]*/\d+/[a-z_]+/\d+/)"', page)


def take_step(username, data, *, expect_step, artefact):
    """Open the user's inbox task about `artefact` (the application or its list) and submit it."""
    client = sign_in(username)
    process_ids = {
        str(pk) for pk in Process.objects.filter(artifact_object_id=artefact.pk).values_list("pk", flat=True)
    }
    candidates = [
        link for link in inbox_links(client) if f"/{expect_step}/" in link and link.split("/")[4] in process_ids
    ]
    assert len(candidates) == 1, f"{username}: no «{expect_step}» task in the inbox"
    form_url = client.get(candidates[0])["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client


def test_demo_loads_once_and_walks_from_nomination_to_the_signed_order(django_capture_on_commit_callbacks):
    load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        report = load_rma_demo()
    # every РМА rule but the Perm profile's «Февраль-март» for the list, which migration 0003 installs
    assert len(report.created) == 6 and report.rules_created == 8
    again = load_rma_demo()
    assert again.created == [] and len(again.existing) == 6 and again.rules_created == 0

    # The refused edge cases, each with its reason.
    reasons = {
        application.person.full_name: [r["code"] for r in application.refusals]
        for application in RmaApplication.objects.filter(status=Status.REJECTED).select_related("person")
    }
    assert "category_expired" in reasons["Кондратьева Людмила Петровна"]
    assert "experience_too_short" in reasons["Михеев Артём Олегович"]
    assert "education_not_pedagogical" in reasons["Жданов Роман Игоревич"]
    page = (
        sign_in("school_head")
        .get(links.application_url(RmaApplication.objects.get(person__last_name="Михеев").pk))
        .content.decode()
    )
    assert "стаж по специальности 4 года 11 месяцев на" in page
    assert IssuedDocument.objects.filter(kind="rma_refusal").count() == 3

    # The member admitted by the earlier list, with a справка; a candidate waits for rma_coord.
    member = RmaApplication.objects.get(person__snils=USER_PERSONS_BY_KEY["rma_member"].snils)
    assert member.status == Status.ADMITTED and member.rma_list.order_number == "1/ОД"
    assert IssuedDocument.objects.filter(kind="rma_certificate", person=member.person).exists()
    assert RmaApplication.objects.filter(status=Status.ELIGIBLE, submitted_by__username="rma_coord").count() == 2

    # One of rma_coord's document checks is overdue: the inbox shows it under «Просроченные», and
    # the deadline scan (beat) sends the notice by e-mail and in the app.
    overdue = TaskDeadline.objects.get(owner__username="rma_coord", is_open=True, due_at__lt=timezone.now())
    assert "verify" in overdue.flow_task
    overdue_inbox = sign_in("rma_coord").get("/workflow/inbox/?filter=overdue").content.decode()
    assert f"/verify/{overdue.task_id}/" in overdue_inbox
    mail.outbox.clear()
    scan_deadlines()
    deliver_notifications()
    notice = [m for m in mail.outbox if m.to == ["rma_coord@demo.example.org"]]
    assert len(notice) == 1 and "Уведомление о нарушении срока" in notice[0].subject
    assert Notification.objects.filter(user__username="rma_coord", read_at__isnull=True).exists()
    # The escalation to ЦНППМПР leads somewhere its coordinator may open: the application is not
    # theirs to see at this step (152-ФЗ), so the notice leads to the overdue report.
    escalations = Notification.objects.filter(user__username="cnppm", kind="escalation")
    assert escalations.exists()
    for escalation in escalations:
        assert sign_in("cnppm").get(escalation.url, follow=True).status_code == 200, escalation.url

    # The walk-through (README): school_head nominates Голубев М.Ю. in the UI …
    golubev = Person.objects.get(snils=EDGE_CASES_BY_KEY["turns_35_not_young"].snils)
    head = sign_in("school_head")
    form = head.get(links.submit_url())
    assert form.status_code == 200 and "Голубев Максим Юрьевич" in form.content.decode()
    files = {kind: _pdf(f"{kind}.pdf") for kind in ("attestation_order", "diploma", "employment_record")}
    response = head.post(
        links.submit_url(), {"person": golubev.pk, "subjects": [s.pk for s in golubev.subjects.all()], **files}
    )
    assert response.status_code == 302
    application = RmaApplication.objects.get(person=golubev)
    assert application.status == Status.ELIGIBLE

    # … and each next step is in the inbox of its own demo user.
    take_step(
        "rma_coord",
        {"decision": "verify", "comment": "Документы в порядке"},
        expect_step="verify",
        artefact=application,
    )
    take_step(
        "copmkp",
        {"subject_score": "91", "methodical_score": "84", "assessed_on": "2026-11-20", "reference": "ведомость № 2"},
        expect_step="assess",
        artefact=application,
    )
    take_step("cnppm", {"comment": ""}, expect_step="include", artefact=application)
    application.refresh_from_db()
    assert application.status == Status.IN_DRAFT_LIST
    rma_list = application.rma_list
    take_step("ministry", {"academic_year": "2026/2027", "basis": ""}, expect_step="prepare", artefact=rma_list)
    with django_capture_on_commit_callbacks(execute=True):
        take_step(
            "signatory", {"decision": "approve", "comment": "", "confirm": "on"}, expect_step="sign", artefact=rma_list
        )
    application.refresh_from_db()
    assert application.status == Status.ADMITTED
    assert application.rma_list.order_number == "2/ОД"
    assert RmaList.objects.filter(status="approved").count() == 2
    register = sign_in("rma_coord").get(links.register_url()).content.decode()
    assert "Голубев Максим Юрьевич" in register and "Щербакова Марина Владимировна" in register


def _pdf(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, samples.pdf("demo"), content_type="application/pdf")


def test_the_command_explains_what_is_missing():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_rma_demo", "--quiet")
