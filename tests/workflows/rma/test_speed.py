"""What completing a step costs (issue 4 «Speed»): the queries of a coordinator's verification,
pinned so that they do not creep back, and the shortcuts that keep them few still doing their
job — the gateway's single row, the calendar kept per process, the substitution checked once."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from workflows.core import flowkit
from workflows.core.calendar import WorkCalendar
from workflows.core.deadline_defaults import install_deadline_defaults
from workflows.core.models import AuditEvent, CalendarOverride, Substitution, TaskAlarm, TaskDeadline
from workflows.rma import flows, services
from workflows.rma.flows import RmaFlow

from .conftest import required_files

pytestmark = pytest.mark.django_db

# Claim, the application under lock, the actor's memberships, its update and audit event, the task
# done, its due-date row closed, the gateway, the next task with its assignee, due date and alarm,
# and the transaction's own two statements (27 before issue 4). SQLite closes the due-date row
# in two statements, PostgreSQL in one.
VERIFY_QUERIES = 19


def submitted(perm):
    install_deadline_defaults()  # the steps' rules in the regulation profile, as a region has them
    flows.application_start(
        actor=perm.users.school_head,
        person=perm.persons.eligible,
        subjects=[perm.subjects.math],
        files=required_files(),
    )
    return Task.objects.select_related("process").get(flow_task=RmaFlow.verify)


def test_a_verification_costs_few_queries_and_does_everything(perm):
    task = submitted(perm)
    coordinator = perm.users.rma_coord
    application = RmaFlow.instance.artefact_of(task.process)
    with CaptureQueriesContext(connection) as queries:
        flowkit.task_complete(
            actor=coordinator,
            task_id=task.pk,
            task=task,
            perform=lambda activation: services.application_verify(actor=coordinator, application=application),
        )
    assert len(queries) <= VERIFY_QUERIES + (0 if connection.vendor == "sqlite" else -1), "\n".join(
        q["sql"][:100] for q in queries.captured_queries
    )
    assert Task.objects.get(pk=task.pk).status == "DONE"
    gateway = Task.objects.get(flow_task=RmaFlow.after_verify)
    assert gateway.status == "DONE" and gateway.finished is not None
    assess = Task.objects.get(flow_task=RmaFlow.assess)
    assert TaskDeadline.objects.get(task=assess).due_at is not None
    assert not TaskDeadline.objects.get(task=task).is_open
    assert not TaskAlarm.objects.filter(task_id=task.pk).exists()
    assert AuditEvent.objects.filter(event="rma.verified").count() == 1


def test_a_substitution_is_still_honoured_when_the_assignee_is_read_with_the_hint(perm):
    today = dt.date.today()
    Substitution.objects.create(
        absent=perm.users.school_head,
        substitute=perm.users.teacher,
        starts_on=today - dt.timedelta(days=2),
        ends_on=today + dt.timedelta(days=2),
        reason="отпуск",
    )
    task = submitted(perm)
    coordinator = perm.users.rma_coord
    application = RmaFlow.instance.artefact_of(task.process)
    flowkit.task_complete(
        actor=coordinator,
        task_id=task.pk,
        task=task,
        perform=lambda activation: services.application_return(
            actor=coordinator, application=application, comment="Нужна копия диплома"
        ),
    )
    correct = Task.objects.get(flow_task=RmaFlow.correct)
    assert correct.owner == perm.users.teacher


def test_a_calendar_override_is_seen_at_once():
    day = dt.date(2031, 3, 3)  # a Monday
    assert WorkCalendar.load().is_working_day(day)
    override = CalendarOverride.objects.create(date=day, is_working=False, reason="тест")
    assert not WorkCalendar.load().is_working_day(day)
    override.delete()
    assert WorkCalendar.load().is_working_day(day)
