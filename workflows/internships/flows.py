"""Application → endorsement by the methodist of the school's municipal methodical service (ММС)
→ returned with a reason: revision by the school and endorsement again; endorsed: end (the expert
review comes next, issue 14). No business rule here: services and rules hold them."""

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow

from orgstructure.models import OrganizationKind, Role
from orgstructure.selectors import regional_body
from workflows.core.flowkit import ArtefactFlow, RoleTask, Route, assignee, flow_url, has_process, set_task_due_date

from . import decision_services, register_services, services
from .deadline_rules import due
from .models import (
    Application,
    ApplicationProcess,
    ApplicationStatus,
    Decision,
    DecisionProcess,
    DecisionStatus,
    ExpertAssignment,
    ExpertProcess,
    SiteReport,
    SiteReportProcess,
    StatusChange,
    StatusChangeProcess,
)
from .task_views import (
    DecisionReviseView,
    DecisionSignView,
    EndorseView,
    ReportView,
    ReviseView,
    ScoreView,
    StatusChangeSignView,
)


class InternshipsFlow(ArtefactFlow, flow.Flow):
    process_class = ApplicationProcess
    process_title = "Заявка на статус площадки"
    artefact_model = Application
    artefact_related = ("organization__region", "call")
    deadlines = {
        "endorse": due("internships.endorsement", Role.MMS_METHODIST),
        "revise": due("internships.revision", Role.SCHOOL_HEAD),
    }

    start = flow.StartHandle(this.start_application).Next(this.endorse)
    endorse = (
        RoleTask(EndorseView.as_view())
        .Annotation(title="Согласование заявки ММС")
        .Permission("internships.endorse_application")
        .Assign(this.sole_holder)
        .Next(this.after_endorse)
    )
    after_endorse = Route(this.is_returned).Annotation(title="Возврат?").Then(this.revise).Else(this.end)
    revise = (
        RoleTask(ReviseView.as_view())
        .Annotation(title="Доработка заявки")
        .Permission("internships.revise_application")
        .Assign(this.sole_holder)
        .Next(this.endorse)
    )
    end = flow.End()

    def start_application(self, activation, **kwargs):
        activation.process.artifact = services.application_submit(**kwargs)
        return activation.process.artifact

    def is_returned(self, activation):
        return self.artefact_status(activation) == ApplicationStatus.RETURNED

    def artefact_organization(self, application):
        return application.organization

    def artefact_url(self, application):
        return flow_url(InternshipsFlow, "application", application.pk)


def apply(**kwargs) -> Application:
    """The school's application, with its process started in the same transaction."""
    return InternshipsFlow.start.run(**kwargs)


class ExpertFlow(ArtefactFlow, flow.Flow):
    """One expert's inbox task on one application: start → score → end. The due date, reminders
    and the escalation to the coordinator come from the deadline rule internships.expert_scoring;
    the coordinator replaces a late expert (review_services.expert_replace withdraws the task)."""

    process_class = ExpertProcess
    process_title = "Экспертиза заявки на статус площадки"
    artefact_model = ExpertAssignment
    artefact_related = ("application__organization__region", "application__call", "expert")
    deadlines = {"score": due("internships.expert_scoring")}

    start = flow.StartHandle(this.start_review).Next(this.score)
    score = (
        RoleTask(ScoreView.as_view())
        .Annotation(title="Экспертная оценка заявки")
        .Permission("internships.score_application")
        .Assign(this.expert_user)
        .Next(this.end)
    )
    end = flow.End()

    def start_review(self, activation, *, assignment):
        activation.process.artifact = assignment
        return assignment

    def expert_user(self, activation):
        return assignee(self.artefact_of(activation.process).expert.user_id)

    def artefact_organization(self, assignment):
        return assignment.application.organization

    def artefact_subject(self, assignment):
        return f"Экспертиза: {assignment.application}"

    def artefact_url(self, assignment):
        return flow_url(InternshipsFlow, "index")

    def has_view_permission(self, user, obj=None):
        """The expert sees their own task (they may work far from the applicant: that is the point)."""
        if obj is not None and obj.artifact_object_id is not None and getattr(user, "is_authenticated", False):
            assignment = self.artefact_of(obj)
            if assignment is not None and assignment.expert.user_id == user.pk:
                return True
        return super().has_view_permission(user, obj)


class DecisionFlow(ArtefactFlow, flow.Flow):
    """Утверждение перечня площадок

    Решение экспертной комиссии по отбору: министр утверждает перечень приказом или
    возвращает решение координатору ЦНППМПР с замечаниями; доработанное решение — снова на подпись.
    """

    process_class = DecisionProcess
    process_title = "Утверждение перечня площадок"
    artefact_model = Decision
    artefact_related = ("call__region", "call__organizer")
    deadlines = {
        "sign": due("internships.decision_approval", Role.MINISTRY_SIGNATORY),
        "revise": due("internships.decision_revision", Role.CNPPM_COORDINATOR),
    }

    start = flow.StartHandle(this.start_decision).Next(this.sign)
    sign = (
        RoleTask(DecisionSignView.as_view(start_report=lambda report: start_report(report)))
        .Annotation(title="Утверждение перечня площадок")
        .Permission("internships.sign_decision")
        .Assign(this.sole_holder)
        .Next(this.after_sign)
    )
    after_sign = Route(this.is_approved).Annotation(title="Утверждено?").Then(this.end).Else(this.revise)
    revise = (
        RoleTask(DecisionReviseView.as_view())
        .Annotation(title="Доработка решения комиссии")
        .Permission("internships.revise_decision")
        .Assign(this.sole_holder)
        .Next(this.sign)
    )
    end = flow.End()

    def start_decision(self, activation, *, decision):
        activation.process.artifact = decision
        return decision

    def is_approved(self, activation):
        return self.artefact_status(activation) == DecisionStatus.APPROVED

    def artefact_organization(self, decision):
        return regional_body(decision.call.region_id, OrganizationKind.MINISTRY) or decision.call.organizer

    def artefact_region(self, decision):
        return decision.call.region

    def artefact_subject(self, decision) -> str:
        return f"Перечень площадок: {decision.call}"

    def artefact_url(self, decision) -> str:
        return flow_url(InternshipsFlow, "call", decision.call_id)


def propose(**kwargs) -> Decision:
    """The coordinator's decision; a new one starts its approval by the ministry in the same
    transaction (a revised one goes on in its open process: the revise step)."""
    with transaction.atomic():
        decision, created = decision_services.decision_propose(**kwargs)
        if created and not has_process(DecisionFlow, decision):
            DecisionFlow.start.run(decision=decision)
        return decision


class SiteReportFlow(ArtefactFlow, flow.Flow):
    """Отчёт стажировочной площадки

    Годовой отчёт площадки: задача руководителю организации со сроком, установленным приказом;
    просрочка видна координатору ЦНППМПР.
    """

    process_class = SiteReportProcess
    process_title = "Отчёт стажировочной площадки"
    artefact_model = SiteReport
    artefact_related = ("site__organization__region",)
    deadlines = {"submit": due("internships.site_report", Role.SCHOOL_HEAD)}

    start = flow.StartHandle(this.start_report).Next(this.submit)
    submit = (
        RoleTask(ReportView.as_view())
        .Annotation(title="Годовой отчёт площадки")
        .Permission("internships.submit_site_report")
        .Assign(this.sole_holder)
        .onCreate(this.report_due_date)
        .Next(this.end)
    )
    end = flow.End()

    def start_report(self, activation, *, report):
        activation.process.artifact = report
        return report

    def report_due_date(self, activation):
        set_task_due_date(activation.task, self.artefact_of(activation.process).due_on)

    def artefact_organization(self, report):
        return report.site.organization

    def artefact_subject(self, report) -> str:
        return str(report)

    def artefact_url(self, report) -> str:
        return flow_url(InternshipsFlow, "site", report.site_id)


def start_report(report) -> None:
    """A site's annual report in its head's inbox (called inside the caller's transaction)."""
    SiteReportFlow.start.run(report=report)


class SiteStatusFlow(ArtefactFlow, flow.Flow):
    """Изменение статуса площадки

    Продление статуса, испытательный срок, его снятие или досрочное прекращение статуса: по
    представлению координатора ЦНППМПР (или специалиста министерства) министр подписывает приказ
    или отклоняет изменение с замечаниями.
    """

    process_class = StatusChangeProcess
    process_title = "Изменение статуса площадки"
    artefact_model = StatusChange
    artefact_related = ("site__organization__region", "site__region")
    deadlines = {"sign": due("internships.site_status_approval", Role.MINISTRY_SIGNATORY)}

    start = flow.StartHandle(this.start_change).Next(this.sign)
    sign = (
        RoleTask(StatusChangeSignView.as_view(start_report=lambda report: start_report(report)))
        .Annotation(title="Приказ об изменении статуса площадки")
        .Permission("internships.sign_status_change")
        .Assign(this.sole_holder)
        .Next(this.end)
    )
    end = flow.End()

    def start_change(self, activation, **kwargs):
        activation.process.artifact = register_services.status_change_propose(**kwargs)
        return activation.process.artifact

    def artefact_organization(self, change):
        return regional_body(change.site.region_id, OrganizationKind.MINISTRY) or change.site.organization

    def artefact_region(self, change):
        return change.site.region

    def artefact_subject(self, change) -> str:
        return str(change)

    def artefact_url(self, change) -> str:
        return flow_url(InternshipsFlow, "site", change.site_id)


def propose_status_change(**kwargs) -> StatusChange:
    """The keeper's proposal, with the minister's task started in the same transaction."""
    return SiteStatusFlow.start.run(**kwargs)
