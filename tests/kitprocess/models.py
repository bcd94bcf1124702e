"""A school's report (the artefact): submitted → accepted by the municipality's methodist."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from orgstructure import access
from orgstructure.models import Organization, Role
from workflows.core.state import register_events


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Представлен"
    ACCEPTED = "accepted", "Принят"


@register_events
class ReportEvent(models.TextChoices):
    SUBMITTED = "kitprocess.submitted", "Отчёт представлен"
    ACCEPTED = "kitprocess.accepted", "Отчёт принят"


def can_accept(report, user) -> bool:
    return access.reaches(user, (Role.MMS_METHODIST,), organization=report.organization)


class Report(ConcurrentTransitionMixin, models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, verbose_name="организация")
    title = models.CharField("название", max_length=200)
    status = FSMField("статус", max_length=16, choices=ReportStatus.choices, default="submitted", protected=True)
    conclusion = models.FileField("заключение", upload_to="kitprocess/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATHS = {
        "region": "organization__region_id",
        "municipality": "organization__municipality_id",
        "organization": "organization_id",
    }

    def __str__(self):
        return f"Отчёт № {self.pk}: {self.title}"

    @transition(field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.ACCEPTED, permission=can_accept)
    def accept(self):
        """The municipality's methodist accepts the report with a conclusion."""


class ReportProcess(Process):
    class Meta:
        proxy = True
        permissions = [("review_report", "Может принимать отчёты школ")]
