"""Start (a school submits) → review (MMS methodist of the school's municipality, 5 working days,
a conclusion file) → end; the register of accepted reports with keyset pages and .xlsx."""

from django import forms
from django.db import transaction
from django.urls import path
from django.views.generic import TemplateView
from viewflow import this
from viewflow.workflow import flow

from common import keyset, spreadsheets
from common.errors import InvalidInput
from common.uploads import UploadRefused, check_upload
from common.uploads.storage import store
from orgstructure import access
from orgstructure.models import Role
from workflows.core.audit import record_event
from workflows.core.deadlines import Due
from workflows.core.flowkit import ArtefactFlow, RoleTask, flow_url, step_atomic
from workflows.core.flowkit.http import ScopedFlowViewset
from workflows.core.state import fire
from workflows.core.step_views import StepView

from .models import Report, ReportEvent, ReportProcess, ReportStatus


@transaction.atomic
def report_submit(*, actor, organization, title) -> Report:
    report = Report.objects.create(organization=organization, title=title)
    record_event(actor=actor, obj=report, event=ReportEvent.SUBMITTED, to_state=report.status)
    return report


@step_atomic
def report_accept(*, actor, report, conclusion) -> Report:
    try:
        checked = check_upload(conclusion, label="Заключение")
    except UploadRefused as exc:
        raise InvalidInput({"conclusion": exc.messages}) from exc
    store(report.conclusion, checked.data)
    return fire(report, "accept", actor=actor, event=ReportEvent.ACCEPTED)


class ReviewForm(forms.Form):
    conclusion = forms.FileField(label="Заключение")


class ReviewView(StepView):
    form_class = ReviewForm
    title = "Проверка отчёта"
    submit_label = "Принять отчёт"

    def perform(self, form, activation):
        return report_accept(actor=self.request.user, report=self.artefact, conclusion=form.cleaned_data["conclusion"])


class ReportFlow(ArtefactFlow, flow.Flow):
    process_class = ReportProcess
    process_title = "Отчёт школы"
    artefact_model = Report
    artefact_related = ("organization__region",)
    deadlines = {"review": Due(working_days=5, role=Role.MMS_METHODIST)}

    start = flow.StartHandle(this.start_report).Next(this.review)
    review = (
        RoleTask(ReviewView.as_view())
        .Annotation(title="Проверка отчёта")
        .Permission("kitprocess.review_report")
        .Assign(this.sole_holder)
        .Next(this.end)
    )
    end = flow.End()

    def start_report(self, activation, *, actor, organization, title):
        activation.process.artifact = report_submit(actor=actor, organization=organization, title=title)
        return activation.process.artifact

    def artefact_organization(self, report):
        return report.organization

    def artefact_url(self, report):
        return flow_url(ReportFlow, "index")


PAGE_ORDER = ("-created_at", "-id")


def accepted_reports(user):
    accepted = Report.objects.filter(status=ReportStatus.ACCEPTED).select_related("organization")
    return access.scope_queryset(user, accepted).order_by(*PAGE_ORDER)


class RegisterView(TemplateView):
    template_name = "kitprocess/register.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        cursor = self.request.GET.get("after", "")
        page = keyset.page(accepted_reports(self.request.user), PAGE_ORDER, cursor=cursor, size=self.page_size)
        return {**super().get_context_data(**kwargs), "title": "Принятые отчёты", "page": page}


def register_export(request):
    rows = ([report.title, report.organization.name, report.created_at] for report in accepted_reports(request.user))
    header = ["Отчёт", "Организация", "Представлен"]
    return spreadsheets.xlsx_response(filename="Принятые отчёты.xlsx", sheet_title="Отчёты", header=header, rows=rows)


class ReportViewset(ScopedFlowViewset):
    @property
    def index_path(self):
        return path("", RegisterView.as_view(), name="index")

    @property
    def export_path(self):
        return path("export.xlsx", register_export, name="export")
