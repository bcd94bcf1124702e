"""`load_monitoring_demo` on top of `load_demo`: the demo cycle of Пермский край from opening to
the effectiveness analysis, with schools late, returned and accepted and a closed previous period
for the comparisons; idempotent; the pages the demo users open answer."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from documents.models import IssuedDocument
from orgstructure.demo import DEMO_PASSWORD, load_demo
from workflows.core.calendar import local_date
from workflows.core.flowkit import flow_url
from workflows.core.models import TaskDeadline
from workflows.monitoring.analysis_demo import CURRENT_TITLE, PREVIOUS_TITLE, load_monitoring_demo
from workflows.monitoring.analysis_models import AnalysisReport, DraftStatus, Measure, MeasureStatus
from workflows.monitoring.flows import MonitoringFlow
from workflows.monitoring.measures_flows import MeasureFlow
from workflows.monitoring.models import Campaign, CampaignStatus, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db


def _documents(artefact):
    return set(IssuedDocument.objects.filter(artefact_type=ContentType.objects.get_for_model(type(artefact)),
                                             artefact_id=str(artefact.pk)).values_list("kind", flat=True))


def test_the_demo_cycle_and_its_pages():
    load_demo()
    first = load_monitoring_demo()
    assert len(first.created) == 4
    previous = Campaign.objects.get(title=PREVIOUS_TITLE)
    current = Campaign.objects.get(title=CURRENT_TITLE)
    assert previous.status == CampaignStatus.CLOSED and current.status == CampaignStatus.COLLECTING
    statuses = list(Submission.objects.filter(campaign=current).values_list("status", flat=True))
    assert statuses.count(SubmissionStatus.RETURNED) == 1  # the school_head's СОШ № 7, waiting in her inbox
    assert statuses.count(SubmissionStatus.SUBMITTED) == 2
    assert statuses.count(SubmissionStatus.NOT_STARTED) == 4
    assert statuses.count(SubmissionStatus.ACCEPTED) == len(statuses) - 7
    now = timezone.now()
    late = TaskDeadline.objects.filter(flow_class__endswith="MonitoringFlow", is_open=True, due_at__lt=now,
                                       flow_task__endswith=".fill")
    assert late.count() == 4
    report = AnalysisReport.objects.get(campaign=current)
    assert report.status == DraftStatus.ISSUED and _documents(report) == {"monitoring_report"}
    assert str(report) == f"Аналитическая справка: {current} (Пермский край)"  # was «(территория кампании)»
    assert current.letters.filter(status=DraftStatus.ISSUED).count() == 1
    measures = Measure.objects.filter(campaign=previous)
    assert measures.count() == 3 and measures.filter(status=MeasureStatus.DONE).count() == 1
    overdue = TaskDeadline.objects.filter(flow_class__endswith="MeasureFlow", is_open=True, due_at__lt=now)
    assert overdue.count() == 1
    # each open measure's task is due on the measure's own date (the step page prints both)
    for deadline in TaskDeadline.objects.filter(flow_class__endswith="MeasureFlow", is_open=True):
        measure = Measure.objects.get(pk=deadline.process.artifact_object_id)
        assert local_date(deadline.due_at, previous.region.timezone) == measure.due, measure.title
    assert _documents(previous) == {"monitoring_decisions_order", "monitoring_effectiveness"}
    following = Campaign.objects.filter(region=current.region, status=CampaignStatus.DRAFT,
                                        period_start__gt=current.period_end).get()
    assert following.goals.exists()

    again = load_monitoring_demo()
    assert not again.created and len(again.existing) == 4

    client = Client()
    assert client.login(username="cnppm", password=DEMO_PASSWORD)
    for name, pk in (("index", None), ("analysis", current.pk), ("management", current.pk),
                     ("management", previous.pk), ("report", report.pk)):
        url = flow_url(MeasureFlow, name, pk) if pk else flow_url(MeasureFlow, name)
        assert client.get(url).status_code == 200, url
    head = Client()
    assert head.login(username="school_head", password=DEMO_PASSWORD)
    inbox = head.get("/workflow/inbox/").content.decode()
    assert "Доработка данных мониторинга" in inbox or MonitoringFlow.revise.name in inbox
    assert head.get(flow_url(MeasureFlow, "analysis", current.pk)).status_code == 404
