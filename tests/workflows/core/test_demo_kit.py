"""The demo kit on the sample flow: do the open task as a user through the kit's completion
service, age a task so that it is overdue in the inbox's terms, run a step once by its marker, and
a clear message when the demo users are missing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from tests.workflows.core.conftest import start_sample
from tests.workflows.core.sampleflow.flows import SampleFlow
from workflows.core import demo
from workflows.core.calendar import WorkCalendar, local_date
from workflows.core.flowkit import TaskUnavailable
from workflows.core.models import TaskDeadline

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(territory, methodist):
    """A sample process whose artefact is the territory's school (as a process's artefact is its
    application or list)."""
    school = territory["school"]
    process = start_sample(assignee=methodist, region=territory["region"], organization=territory["mms"])
    Process.objects.filter(pk=process.pk).update(
        artifact_content_type=ContentType.objects.get_for_model(school), artifact_object_id=school.pk
    )
    return school


def test_complete_open_task_does_the_step_through_the_kit_service(started, methodist):
    task = demo.open_task(SampleFlow, started)
    assert task.flow_task == SampleFlow.collect
    performed = demo.complete_open_task(
        actor=methodist, artefact=started, flow_class=SampleFlow, perform=lambda activation: "сделано"
    )
    assert performed == "сделано"
    assert Task.objects.get(pk=task.pk).status == "DONE"
    assert demo.open_task(SampleFlow, started).flow_task == SampleFlow.review  # the next step is open


def test_complete_open_task_refuses_a_user_who_may_not_do_it(started, territory):
    from tests.factories import make_user

    stranger = make_user()
    with pytest.raises(TaskUnavailable):
        demo.complete_open_task(actor=stranger, artefact=started, flow_class=SampleFlow, perform=lambda a: None)
    assert demo.open_task(SampleFlow, started).status == "ASSIGNED"


def test_age_task_moves_arrival_and_due_date_back(started, territory):
    task = demo.open_task(SampleFlow, started)
    tz = territory["region"].timezone
    demo.age_task(task, arrived_days_ago=15, overdue_working_days=3, tz=tz)
    deadline = TaskDeadline.objects.get(task=task)
    today = local_date(timezone.now(), tz)
    assert local_date(deadline.due_at, tz) == WorkCalendar.load().add_working_days(today, -3)
    assert deadline.due_at < timezone.now()
    assert (timezone.now() - Task.objects.get(pk=task.pk).created).days == 15
    assert (timezone.now() - deadline.created).days == 15


def test_once_runs_a_step_only_when_its_marker_says_it_is_not_done(territory):
    from orgstructure.models import Organization

    report = demo.DemoReport(title="тест", what="тестовые данные")
    marker = dict(name="Демо-министерство (тест)")

    def make():
        Organization.objects.create(region=territory["region"], kind="ministry", **marker)

    assert report.once("министерство", done=lambda: Organization.objects.filter(**marker).exists(), make=make)
    assert not report.once("министерство", done=lambda: Organization.objects.filter(**marker).exists(), make=make)
    assert Organization.objects.filter(**marker).count() == 1
    assert (report.created, report.existing) == (["министерство"], ["министерство"])

    def broken():
        Organization.objects.create(region=territory["region"], kind="ministry", name="Вторая (тест)")
        raise RuntimeError("шаг сломался")

    with pytest.raises(RuntimeError):
        report.once("вторая", done=False, make=broken)
    assert not Organization.objects.filter(name="Вторая (тест)").exists()  # the step rolled back whole

    empty = demo.DemoReport(title="тест", what="тестовые данные", existing=["министерство"])
    assert "Ничего не изменено: тестовые данные уже загружены." in empty.summary()


def test_missing_demo_data_says_what_to_run_first():
    with pytest.raises(demo.DemoNotLoaded, match="Нет демо-пользователя «rma_coord»: сначала выполните manage.py"):
        demo.demo_users("rma_coord")
    with pytest.raises(demo.DemoNotLoaded, match="Демо-регион не загружен"):
        demo.demo_region()
