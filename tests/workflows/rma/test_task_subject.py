"""«Кого/что касается» in the shared inbox, queue and overdue report: every РМА step names the
applicant and their school (or the list), written on the due-date row when the task is created
from what the flow already holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from orgstructure.models import Role
from tests.factories import make_user
from workflows.core.models import TaskDeadline
from workflows.rma import flows
from workflows.rma.flows import RmaFlow, RmaListFlow, RmaReviewFlow
from workflows.rma.models import RmaList

from .conftest import required_files

pytestmark = pytest.mark.django_db

APPLICANT = "Воронцова Ирина Павловна, МАОУ «СОШ № 7» г. Березники"


def submit(perm):
    return flows.application_start(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )


def numbered(application) -> str:
    """The application's own number before whom it concerns (one number everywhere)."""
    return f"Заявка № {application.pk}: {APPLICANT}"


def row_html(body: str, task_id: int) -> str:
    return body.split(f'data-task="{task_id}"')[1].split("</tr>")[0]


def test_the_inbox_shows_the_applicant_of_an_application_task(perm, client_as):
    application = submit(perm)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    assert task.owner == perm.users.rma_coord
    assert TaskDeadline.objects.get(task=task).subject == numbered(application)
    body = client_as(perm.users.rma_coord).get("/workflow/inbox/").content.decode()
    assert "Кого/что касается" in body
    row = row_html(body, task.pk)
    assert numbered(application) in row
    assert f"№{task.process_id}<" not in row  # the process's number is not shown as the application's


def test_the_queue_shows_the_applicant_too(perm, client_as):
    second = make_user("rma_coord_2", role=Role.RMA_MUNI_COORDINATOR, organization=perm.orgs.uo_berezniki)
    submit(perm)
    task = Task.objects.get(flow_task=RmaFlow.verify)
    assert task.owner is None
    body = client_as(second).get("/workflow/queue/").content.decode()
    assert APPLICANT in row_html(body, task.pk)


def test_the_subject_is_read_from_the_application_the_step_holds(perm):
    application = submit(perm)
    task = Task.objects.select_related("process").get(flow_task=RmaFlow.verify)
    RmaFlow.instance.artefact_of(task.process)  # as deadline_organization reads it first
    with CaptureQueriesContext(connection) as queries:
        assert RmaFlow.instance.deadline_subject(task) == numbered(application)
    assert len(queries) == 0


def test_a_list_step_names_the_list(perm):
    rma_list = RmaList.objects.create(region=perm.region, academic_year="2026/2027")
    RmaListFlow.start.run(rma_list=rma_list)
    task = Task.objects.get(flow_task=RmaListFlow.prepare)
    assert TaskDeadline.objects.get(task=task).subject == f"Список РМА № {rma_list.pk} на 2026/2027 учебный год"


def test_a_membership_review_names_the_member(perm):
    application = submit(perm)
    flows.membership_review_start(application=application)
    task = Task.objects.get(flow_task=RmaReviewFlow.review)
    assert TaskDeadline.objects.get(task=task).subject == numbered(application)
