"""Start → collect (assigned, deadline from the regional profile) → review (queue, 3 working
days after it arrives) → end. Process data: assignee (user id), region_id, organization_id."""

from django.contrib.auth import get_user_model
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.flow.views import UpdateProcessView

from orgstructure.models import Organization, Region, Role
from workflows.core.deadlines import Due

from .models import SampleProcess


class SampleFlow(flow.Flow):
    process_class = SampleProcess
    process_title = "Тестовый процесс"

    deadlines = {
        "collect": Due(rule="monitoring.collection", role=Role.MMS_METHODIST),
        "review": Due(working_days=3, reminder_days=1, escalation_after_days=2, role=Role.MUNI_AUTHORITY),
    }

    start = flow.StartHandle(this.start_process).Next(this.collect)
    collect = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .Annotation(title="Сбор данных")
        .Assign(this.assignee)
        .Permission("sampleflow.can_do_sample")
        .Next(this.review)
    )
    review = (
        flow.View(UpdateProcessView.as_view(fields=[]))
        .Annotation(title="Проверка")
        .Permission("sampleflow.can_do_sample")
        .Next(this.end)
    )
    end = flow.End()

    def start_process(self, activation, started_at=None):
        """Tests pass `started_at` to start a cycle on a chosen date."""
        if started_at is not None:
            activation.process.created = started_at
        return activation.process

    def assignee(self, activation):
        user_id = activation.process.data.get("assignee")
        return get_user_model().objects.get(pk=user_id) if user_id else None

    def deadline_region(self, process, task):
        region_id = process.data.get("region_id")
        return Region.objects.get(pk=region_id) if region_id else None

    def deadline_organization(self, task):
        organization_id = task.process.data.get("organization_id")
        return Organization.objects.select_related("region").get(pk=organization_id) if organization_id else None
