"""workflows.core.fanout: a bulk fan-out writes exactly the rows one-by-one starts write (field by
field, except ids and timestamps), in a constant number of queries, once per artefact."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_region, make_user
from tests.kitprocess.flows import ReportFlow
from tests.kitprocess.models import Report
from workflows.core import fanout
from workflows.core.audit import history
from workflows.core.deadlines import Due
from workflows.core.fanout import FanOutError, fan_out, insert_for_each
from workflows.core.models import AuditEvent, ProcessDeadline, Substitution, TaskAlarm, TaskDeadline

pytestmark = pytest.mark.django_db

TIMESTAMPS = {"created", "started", "finished", "assigned", "created_at", "occurred_at"}
IDS = {"id", "process_id", "task_id", "artifact_object_id", "object_id", "object_repr"}


@pytest.fixture
def world():
    region = make_region(code="66")
    one, two, three = (make_municipality(region, name) for name in ("Березники", "Кунгур", "Чусовой"))
    schools = [
        make_organization(region, municipality=municipality, name=f"{municipality.name}: СОШ № {number}")
        for municipality in (one, two, three)
        for number in (1, 2)
    ]
    mms_one = make_organization(region, kind=OrganizationKind.MMS, municipality=one, name="ЦСОРО Березников")
    mms_two = make_organization(region, kind=OrganizationKind.MMS, municipality=two, name="ММС Кунгура")
    sole = make_user("sole", role=Role.MMS_METHODIST, organization=mms_one)  # gets the tasks
    make_user("queue-a", role=Role.MMS_METHODIST, organization=mms_two)  # two holders: the queue
    make_user("queue-b", role=Role.MMS_METHODIST, organization=mms_two)
    head = make_user("head", role=Role.SCHOOL_HEAD, organization=schools[0])
    # Чусовой has no ММС: its tasks are for nobody in particular (no organization).
    return type("World", (), {"region": region, "schools": schools, "sole": sole, "head": head})


def _one_by_one(world, title):
    return [ReportFlow.start.run(actor=world.head, organization=school, title=title) for school in world.schools]


def _bulk(world, title):
    reports = Report.objects.bulk_create([Report(organization=school, title=title) for school in world.schools])
    return reports, fan_out(ReportFlow, reports)


def _fields(obj, *, skip=()):
    row = {}
    for field in obj._meta.concrete_fields:
        name = field.attname
        if name in IDS or name in skip:
            continue
        value = getattr(obj, name)
        row[name] = (value is not None) if name in TIMESTAMPS else value
    return row


def _rows(reports):
    """Every row the start of each report's process wrote, without ids and timestamps."""
    result = []
    for report in reports:
        process = Process.objects.get(artifact_object_id=report.pk, flow_class=ReportFlow)
        tasks = list(Task.objects.filter(process=process).order_by("flow_task_type"))
        deadlines = TaskDeadline.objects.filter(process_id=process.pk)
        result.append(
            {
                "process": _fields(process),
                "tasks": [
                    {**_fields(task), "previous": sorted(str(p.flow_task) for p in task.previous.all())}
                    for task in tasks
                ],
                "deadlines": [{**_fields(row, skip={"subject"}), "subject_is_report": row.subject == str(report)}
                              for row in deadlines],
                "alarms": [_fields(row) for row in TaskAlarm.objects.filter(task__process=process)],
                "snapshot": sorted(
                    (tuple(sorted(_fields(row, skip={"profile_id"}).items(), key=str)) for row in
                     ProcessDeadline.objects.filter(process=process)),
                    key=str,
                ),
                "substituted": [
                    (e.event, e.from_state, e.to_state, e.comment)
                    for task in tasks for e in history(task)
                ],
            }
        )
    return result


@pytest.mark.parametrize("due", [None, Due(rule="monitoring.collection", role=Role.MMS_METHODIST)],
                         ids=["inline-working-days", "profile-rule"])
def test_a_bulk_fan_out_writes_exactly_the_rows_of_one_by_one_starts(world, due, monkeypatch):
    if due is not None:
        monkeypatch.setitem(ReportFlow.deadlines, "review", due)
    substitute = make_user("substitute")
    today = timezone.localdate()
    Substitution.objects.create(absent=world.sole, substitute=substitute, reason="отпуск",
                                starts_on=today - dt.timedelta(days=2), ends_on=today + dt.timedelta(days=2))

    expected = _rows(_one_by_one(world, "по одному"))
    reports, result = _bulk(world, "массово")
    actual = _rows(reports)

    assert actual == expected
    assert len(result.processes) == len(world.schools) and result.skipped == 0
    # What the comparison covers is what the kit promises, checked once directly:
    tasks = {t.process.artifact_object_id: t for t in result.tasks}
    first, kungur, chusovoy = (tasks[reports[i].pk] for i in (0, 2, 4))
    assert first.owner == substitute and first.status == "ASSIGNED"  # the sole holder is away
    assert kungur.owner is None and kungur.status == "NEW"  # two holders: the ММС's queue
    row = TaskDeadline.objects.get(task=kungur)
    assert row.organization.name == "ММС Кунгура" and row.role == Role.MMS_METHODIST and row.due_at is not None
    assert TaskAlarm.objects.filter(task=kungur).exists()
    assert TaskDeadline.objects.get(task=chusovoy).organization is None


def test_it_costs_the_same_number_of_queries_for_two_schools_and_for_twelve(world):
    region, municipality = world.region, world.schools[0].municipality

    def queries(count):
        schools = [make_organization(region, municipality=municipality) for _ in range(count)]
        reports = Report.objects.bulk_create([Report(organization=s, title="т") for s in schools])
        with CaptureQueriesContext(connection) as captured:
            fan_out(ReportFlow, reports)
        return len(captured)

    queries(1)  # the content type and the production calendar, read once per process
    rules = ProcessDeadline.objects.values("process").annotate(n=Count("id")).values_list("n", flat=True)[0]
    # (twelve: more would split the INSERTs at SQLite's 999 parameters; PostgreSQL has no such
    # limit — bench/monitoring_fanout.py counts them at 1,100 schools)
    # 16 statements, one INSERT … SELECT per rule of the profile, the test's savepoint pair
    assert queries(2) == queries(12) <= 18 + rules


def test_a_re_run_creates_nothing_for_artefacts_that_already_have_a_process(world):
    reports, first = _bulk(world, "массово")
    counts = (Process.objects.count(), Task.objects.count(), TaskDeadline.objects.count(), TaskAlarm.objects.count())
    extra = Report.objects.create(organization=world.schools[1], title="новая")
    again = fan_out(ReportFlow, [*reports, extra])
    assert again.skipped == len(reports) and len(again.processes) == 1
    assert Process.objects.count() == counts[0] + 1 and Task.objects.count() == counts[1] + 2
    assert fan_out(ReportFlow, [*reports, extra]).processes == []


def test_a_failure_midway_leaves_nothing(world, monkeypatch):
    reports = Report.objects.bulk_create([Report(organization=s, title="т") for s in world.schools])
    before = (Process.objects.count(), Task.objects.count(), AuditEvent.objects.count())

    def broken(model, *args, **kwargs):  # the last write of all
        if model is TaskAlarm:
            raise RuntimeError("the alarms table is gone")
        return insert_for_each(model, *args, **kwargs)

    monkeypatch.setattr(fanout, "insert_for_each", broken)
    with pytest.raises(RuntimeError):
        fan_out(ReportFlow, reports)
    assert (Process.objects.count(), Task.objects.count(), AuditEvent.objects.count()) == before
    assert not TaskDeadline.objects.exists()


def test_a_flow_whose_start_does_not_lead_to_a_human_step_is_refused(monkeypatch):
    monkeypatch.setattr(ReportFlow.start, "_next", ReportFlow.end)
    with pytest.raises(FanOutError):
        fan_out(ReportFlow, [Report(pk=1)])
