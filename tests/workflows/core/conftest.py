import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from orgstructure.models import OrganizationKind, Role
from tests.factories import make_municipality, make_organization, make_region, make_user


@pytest.fixture
def sverdlovsk(db):
    return make_region(name="Свердловская область (тест)", code="66", timezone="Asia/Yekaterinburg")


@pytest.fixture
def territory(sverdlovsk):
    """A municipality with its methodical service, education authority and a school."""
    municipality = make_municipality(sverdlovsk, name="Нижняя Тура (тест)")
    return {
        "region": sverdlovsk,
        "municipality": municipality,
        "mms": make_organization(sverdlovsk, kind=OrganizationKind.MMS, municipality=municipality, name="ММС"),
        "authority": make_organization(
            sverdlovsk, kind=OrganizationKind.MUNI_AUTHORITY, municipality=municipality, name="Управление"
        ),
        "school": make_organization(sverdlovsk, municipality=municipality),
    }


@pytest.fixture
def methodist(territory):
    user = make_user("methodist", role=Role.MMS_METHODIST, organization=territory["mms"])
    user.email = "methodist@example.test"
    user.save(update_fields=["email"])
    grant_sample_permissions(user)
    return user


def grant_sample_permissions(user):
    user.user_permissions.add(*Permission.objects.filter(codename__in=["can_do_sample", "view_sampleprocess"]))


def complete_task(task, user):
    """Execute a human task as `user` the way the task view does."""
    from django.db import transaction

    with transaction.atomic(), task.activation() as activation:
        if activation.assign.can_proceed():
            activation.assign(user)
        activation.start(None)
        activation.execute()


def bulk_open_tasks(owner, count, *, due_at=None, step="collect", organization=None, role="", subject=""):
    """Many open tasks of the sample flow at once (Process, Task and TaskDeadline rows), for
    list and scan tests where going through the flow engine would only be slow."""
    from django.utils import timezone
    from viewflow.workflow.fields import get_flow_ref, get_task_ref
    from viewflow.workflow.models import Process, Task

    from tests.workflows.core.sampleflow.flows import SampleFlow
    from workflows.core.models import NO_DUE_DATE_SORT_KEY, TaskAlarm, TaskDeadline

    node = getattr(SampleFlow.instance, step)
    now = timezone.now()
    processes = Process.objects.bulk_create([Process(flow_class=SampleFlow) for _ in range(count)])
    tasks = Task.objects.bulk_create(
        [
            Task(process=process, flow_task=node, flow_task_type="HUMAN", status="ASSIGNED" if owner else "NEW",
                 owner=owner, created=now)
            for process in processes
        ]
    )
    due_values = due_at if isinstance(due_at, list) else [due_at] * count
    TaskAlarm.objects.bulk_create(
        [TaskAlarm(task=task, due_at=due, next_at=due) for task, due in zip(tasks, due_values, strict=True) if due]
    )
    return TaskDeadline.objects.bulk_create(
        [
            TaskDeadline(
                task=task, process=task.process, flow_class=get_flow_ref(SampleFlow), flow_task=get_task_ref(node),
                owner=owner, status=task.status, is_open=True, created=now - dt.timedelta(minutes=i),
                due_at=due, sort_due=due or NO_DUE_DATE_SORT_KEY, original_due_at=due,
                timezone="Asia/Yekaterinburg", organization=organization,
                region_id=organization.region_id if organization else None,
                municipality_id=organization.municipality_id if organization else None, role=role,
                subject=subject,
            )
            for i, (task, due) in enumerate(zip(tasks, due_values, strict=True))
        ]
    )


def start_sample(*, assignee=None, region=None, organization=None, started_at=None):
    from tests.workflows.core.sampleflow.flows import SampleFlow

    data = {}
    if assignee is not None:
        data["assignee"] = assignee.pk
    if region is not None:
        data["region_id"] = region.pk
    if organization is not None:
        data["organization_id"] = organization.pk
    return SampleFlow.start.run(_process_data=data, started_at=started_at)


def at(day: str, hour=12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=dt.UTC)
