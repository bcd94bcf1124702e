"""The drill's invariant checker (scripts/drill/invariants.py, issue 11) on a small dataset: silent on
a consistent one, and naming each invariant when it is broken once — so the check the drill relies
on after its outages cannot rot into one that passes everything."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from documents.issuing import document_issue
from documents.kinds import get_spec
from documents.models import NumberingRegister
from orgstructure.models import OrganizationKind, Role
from scripts.drill.invariants import check
from tests import corpus
from tests.documents.kinds import DocumentKind
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user
from tests.kitprocess.flows import ReportFlow
from tests.kitprocess.models import Report
from workflows.core.flowkit import task_action_url
from workflows.core.models import Digest, TaskAlarm, TaskDeadline
from workflows.core.notifications import deliver_outbox, scan_due_notifications

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two reports of the kit's sample process (one accepted through its step page, one open), two
    numbered справки, an overdue task's notices delivered."""
    region = make_region(timezone="Asia/Yekaterinburg")
    municipality = make_municipality(region, "Березники")
    school = make_organization(region, municipality=municipality, name="МАОУ «СОШ № 3»")
    mms = make_organization(region, kind=OrganizationKind.MMS, municipality=municipality, name="ЦСОРО")
    ministry = make_organization(region, kind=OrganizationKind.MINISTRY, name="Министерство")
    ministry.head_name, ministry.head_position = "Сидорова Нина Петровна", "Министр"
    ministry.save()
    methodist = make_user("methodist", role=Role.MMS_METHODIST, organization=mms)
    methodist.email = "methodist@example.test"
    methodist.save(update_fields=["email"])
    head = make_user("head", role=Role.SCHOOL_HEAD, organization=school)
    accepted = ReportFlow.start.run(actor=head, organization=school, title="Отчёт 1")
    task = Task.objects.get(process__artifact_object_id=accepted.pk, flow_task=ReportFlow.review)
    client = Client()
    client.force_login(methodist)
    upload = SimpleUploadedFile("z.pdf", corpus.PDF, content_type="application/pdf")
    assert client.post(task_action_url(task, "execute"), {"conclusion": upload}).status_code == 302
    pending = ReportFlow.start.run(actor=head, organization=school, title="Отчёт 2")
    documents = [
        document_issue(kind=DocumentKind.RMA_CERTIFICATE, issuing_organization=ministry, artefact=person,
                       context=get_spec(DocumentKind.RMA_CERTIFICATE).sample(ministry), signatory=None,
                       issued_on=dt.date(2024, 8, 30), actor=None, person=person)
        for person in (make_person(school), make_person(school))
    ]
    open_task = Task.objects.get(process__artifact_object_id=pending.pk, flow_task=ReportFlow.review)
    later = TaskDeadline.objects.get(task=open_task).due_at + dt.timedelta(days=20)
    scan_due_notifications(now=later)
    deliver_outbox(now=later)
    return type("W", (), {"accepted": accepted, "pending": pending, "task": task, "open_task": open_task,
                          "documents": documents, "methodist": methodist})


def test_a_consistent_dataset_has_no_violation(world):
    report = check()

    assert report["violations"] == {}
    counts = report["counts"]
    assert counts["artefacts with events"] == 2 and counts["finished tasks of audited processes"] >= 1
    assert counts["issued documents"] == 2 and counts["numbered documents"] == 2
    assert counts["outbox rows delivered"] >= 1 and counts["letters"] >= 1


def _break_status(w):
    Report.objects.filter(pk=w.accepted.pk).update(status="submitted")  # a transition without its event


def _break_task_event(w):
    """A step completed without its state change (the audit trail itself refuses DELETE): the open
    task marked done, its deadline row and alarm closed with it, and no event written."""
    Task.objects.filter(pk=w.open_task.pk).update(status="DONE", finished=timezone.now())
    TaskDeadline.objects.filter(task=w.open_task).update(is_open=False)
    TaskAlarm.objects.filter(task=w.open_task).delete()


def _break_process(w):
    Process.objects.filter(pk=w.open_task.process_id).update(status="DONE")


def _break_deadline(w):
    TaskDeadline.objects.filter(task=w.open_task).update(is_open=False)


def _break_docx(w):
    path = Path(settings.MEDIA_ROOT) / w.documents[0].file.name
    path.write_bytes(path.read_bytes() + b"\0")


def _break_number(w):
    register = NumberingRegister.objects.get()
    NumberingRegister.objects.filter(pk=register.pk).update(next_number=register.next_number + 1)


def _break_digest(w):
    Digest.objects.create(user=w.methodist, day=timezone.localdate())


@pytest.mark.parametrize(
    ("breaker", "name", "words"),
    [
        (_break_status, "artefact status = last audit event", "last event → 'accepted'"),
        (_break_task_event, "finished task has its audit event", "with no event on kitprocess.report"),
        (_break_process, "open tasks and processes agree", "on process"),
        (_break_deadline, "open tasks and processes agree", "says closed while the task is"),
        (_break_docx, "issued files match their SHA-256", ".docx"),
        (_break_number, "numbering registers gap-free", "next number 4 after the last issued 2"),
        (_break_digest, "outbox unique by key", "has no notification"),
    ],
    ids=["status", "task-event", "process", "deadline", "docx", "number", "digest"],
)
def test_each_invariant_broken_once_is_named(world, breaker, name, words):
    breaker(world)

    violations = check()["violations"]

    assert list(violations) == [name]
    assert any(words in example for example in violations[name]), violations[name]
