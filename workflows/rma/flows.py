"""The РМА processes: who acts, in what order, with what deadline. No business rule lives here:
each step calls a service (services.py), and the routing reads the status the service set.

* `RmaFlow` — one application: submission (the formal check runs in the service) → document
  verification by the municipal РМА coordinator (may return to the applicant, with a due date)
  → competency assessment by ЦОПМКП → inclusion in the region's draft list by ЦНППМПР.
* `RmaListFlow` — one draft list (batch): the ministry officer prepares the приказ, the
  signatory approves it (or returns it); approval admits every candidate on it at once.
* `RmaReviewFlow` — one member whose category lapsed: the coordinator confirms or excludes.

Entry points for views, the API and Celery jobs are the functions at the end
(`application_start`, `application_override_start`, `membership_review_start`): each starts a
process and runs the service that creates or changes the artefact, in one transaction.

Every human node has a `.Permission(...)` (roles.py gives it to the role's holders), a due date
from the regional regulation profile (`deadlines`; the rule codes are in deadline_rules.py) and an
organization (`deadline_organization`), so its task lands in the queue of the role in the right
organization only — or, when one official holds the role there, straight in their inbox. Its
`deadline_subject` names what the task is about (the applicant and their school, the list), for
the inboxes and the overdue report; it reads the artefact the step already holds (no query).
"""

from __future__ import annotations

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow

from common.uploads.storage import removed_on_rollback
from orgstructure.models import OrganizationKind, Role
from orgstructure.selectors import regional_body
from workflows.core.flowkit import ArtefactFlow, RoleTask, Route, assignee, flow_url, has_process, set_task_due_date

from . import services, task_views
from .deadline_rules import rma_due
from .models import (
    ListStatus,
    RmaApplication,
    RmaApplicationProcess,
    RmaDocumentProcess,
    RmaList,
    RmaListProcess,
    RmaReviewProcess,
    Status,
)


class _ApplicationFlow(ArtefactFlow):
    """The flows about one application: its steps are done where their roles act for the
    applicant's school; the inbox names the applicant and the school."""

    artefact_model = RmaApplication
    artefact_related = ("person__organization__region", "person__organization__municipality")

    def artefact_organization(self, application):
        return application.person.organization

    def artefact_subject(self, application) -> str:
        """«Заявка № 12: Кузнецов Николай Владимирович, МАОУ «СОШ № 24» г. Березники» — the
        application's own number, the one its page, documents and notices use (never the
        process's)."""
        person = application.person
        return f"Заявка № {application.pk}: {person.full_name}, {person.organization}"

    def artefact_url(self, application) -> str:
        return flow_url(RmaFlow, "application", application.pk)


class RmaFlow(_ApplicationFlow, flow.Flow):
    """Заявка в РМА

    Заявление педагога или выдвижение кандидата в региональный методический актив: формальная
    проверка критериев, проверка документов, оценка компетенций, включение в проект списка.
    """

    process_class = RmaApplicationProcess
    process_title = "Заявка в РМА"

    deadlines = {
        "verify": rma_due("rma.verification", Role.RMA_MUNI_COORDINATOR),
        "correct": rma_due("rma.correction"),
        "assess": rma_due("rma.assessment", Role.COPMKP_ASSESSOR),
        "include": rma_due("rma.inclusion", Role.CNPPM_COORDINATOR),
        "training": rma_due("rma.training"),
    }

    start = flow.StartHandle(this.start_application).Next(this.formal_check)
    start_override = flow.StartHandle(this.start_after_override).Next(this.verify)

    formal_check = (
        Route(this.is_eligible).Annotation(title="Формальная проверка критериев").Then(this.verify).Else(this.end)
    )
    verify = (
        RoleTask(task_views.VerifyView.as_view())
        .Annotation(title="Проверка документов")
        .Permission("rma.verify_documents")
        .Assign(this.sole_holder)
        .Next(this.after_verify)
    )
    after_verify = Route(this.is_returned).Annotation(title="Возврат?").Then(this.correct).Else(this.assess)
    correct = (
        RoleTask(task_views.CorrectView.as_view())
        .Annotation(title="Доработка заявки")
        .Permission("rma.submit_application")
        .Assign(this.applicant)
        .onCreate(this.correction_due_date)
        .Next(this.formal_check)
    )
    assess = (
        RoleTask(task_views.AssessView.as_view())
        .Annotation(title="Оценка компетенций")
        .Permission("rma.assess_competencies")
        .Assign(this.sole_holder)
        .Next(this.after_assess)
    )
    after_assess = (
        Route(this.is_qualified).Annotation(title="Оценка пройдена?").Then(this.include).Else(this.needs_training)
    )
    needs_training = (
        Route(this.is_training_required).Annotation(title="Требуется ПК?").Then(this.training).Else(this.end)
    )
    training = (
        RoleTask(task_views.TrainingView.as_view())
        .Annotation(title="Удостоверение о повышении квалификации")
        .Permission("rma.submit_application")
        .Assign(this.applicant)
        .Next(this.include)
    )
    include = (
        RoleTask(task_views.IncludeView.as_view())
        .Annotation(title="Включение в проект списка")
        .Permission("rma.include_in_list")
        .Assign(this.sole_holder)
        .Next(this.open_list_approval)
    )
    open_list_approval = flow.Function(this.start_list_approval).Annotation(title="Утверждение списка").Next(this.end)
    end = flow.End()

    # --- starts ----------------------------------------------------------------------------------

    def start_application(self, activation, *, actor, person, subjects, files, on_date=None):
        application = services.application_submit(
            actor=actor, person=person, subjects=subjects, files=files, on_date=on_date
        )
        activation.process.artifact = application
        return application

    def start_after_override(self, activation, *, actor, application, reason):
        application = services.application_override(actor=actor, application=application, reason=reason)
        activation.process.artifact = application
        return application

    # --- routing (reads the status the services set) ----------------------------------------------

    def is_eligible(self, activation):
        return self.artefact_status(activation) == Status.ELIGIBLE

    def is_returned(self, activation):
        return self.artefact_status(activation) == Status.RETURNED

    def is_qualified(self, activation):
        return self.artefact_status(activation) == Status.QUALIFIED

    def is_training_required(self, activation):
        return self.artefact_status(activation) == Status.TRAINING_REQUIRED

    def applicant(self, activation):
        return assignee(self.artefact_of(activation.process).submitted_by_id)

    def correction_due_date(self, activation):
        set_task_due_date(activation.task, self.artefact_of(activation.process).correction_due)

    def start_list_approval(self, activation):
        """The first candidate of a new draft list opens the list's approval by the ministry."""
        rma_list = self.artefact_of(activation.process).rma_list
        if not has_process(RmaListFlow, rma_list):
            RmaListFlow.start.run(rma_list=rma_list)


class RmaListFlow(ArtefactFlow, flow.Flow):
    """Утверждение списка РМА

    Проект списка регионального методического актива: министерство готовит приказ, подписант
    утверждает список — все кандидаты становятся членами РМА одним приказом.
    """

    process_class = RmaListProcess
    process_title = "Утверждение списка РМА"
    artefact_model = RmaList
    artefact_related = ("region",)

    deadlines = {
        "prepare": rma_due("rma.list_preparation", Role.MINISTRY_OFFICER),
        "sign": rma_due("rma.list_approval", Role.MINISTRY_SIGNATORY),
    }

    start = flow.StartHandle(this.start_list).Next(this.prepare)
    prepare = (
        RoleTask(task_views.PrepareView.as_view())
        .Annotation(title="Подготовка приказа")
        .Permission("rma.prepare_list")
        .Assign(this.sole_holder)
        .Next(this.sign)
    )
    sign = (
        RoleTask(task_views.SignView.as_view())
        .Annotation(title="Утверждение списка")
        .Permission("rma.approve_list")
        .Assign(this.sole_holder)
        .Next(this.after_sign)
    )
    after_sign = Route(this.is_approved).Annotation(title="Утверждён?").Then(this.end).Else(this.prepare)
    end = flow.End()

    def start_list(self, activation, *, rma_list):
        activation.process.artifact = rma_list
        return rma_list

    def is_approved(self, activation):
        return self.artefact_status(activation) == ListStatus.APPROVED

    def artefact_organization(self, rma_list):
        return regional_body(rma_list.region_id, OrganizationKind.MINISTRY)

    def artefact_region(self, rma_list):
        return rma_list.region

    def artefact_subject(self, rma_list) -> str:
        """«Список РМА № 7 на 2026/2027 учебный год» (the number of candidates is left out: a draft
        list still takes new ones while its task is open)."""
        year = f" на {rma_list.academic_year} учебный год" if rma_list.academic_year else ""
        return f"Список РМА № {rma_list.pk}{year}"

    def artefact_url(self, rma_list) -> str:
        return flow_url(RmaListFlow, "list", rma_list.pk)


class RmaReviewFlow(_ApplicationFlow, flow.Flow):
    """Перепроверка членства в РМА

    Истекла высшая квалификационная категория члена РМА: муниципальный координатор подтверждает
    членство (категория продлена) или исключает педагога из РМА.
    """

    process_class = RmaReviewProcess
    process_title = "Перепроверка членства в РМА"

    deadlines = {"review": rma_due("rma.membership_review", Role.RMA_MUNI_COORDINATOR)}

    start = flow.StartHandle(this.start_review).Next(this.review)
    review = (
        RoleTask(task_views.ReviewView.as_view())
        .Annotation(title="Перепроверка членства")
        .Permission("rma.review_membership")
        .Assign(this.sole_holder)
        .Next(this.end)
    )
    end = flow.End()

    def start_review(self, activation, *, application):
        activation.process.artifact = application
        return application


class RmaDocumentFlow(_ApplicationFlow, flow.Flow):
    """Повторный выпуск справки РМА

    Справка по заявке в РМА не выпущена после всех попыток: координатор ЦНППМПР выпускает её
    повторно (или отмечает, что она выдана иначе).
    """

    process_class = RmaDocumentProcess
    process_title = "Повторный выпуск справки РМА"

    deadlines = {"reissue": rma_due("rma.document_retry", Role.CNPPM_COORDINATOR)}

    start = flow.StartHandle(this.start_retry).Next(this.reissue)
    reissue = (
        RoleTask(task_views.ReissueView.as_view())
        .Annotation(title="Справка не выпущена: выпустить повторно")
        .Permission("rma.include_in_list")
        .Assign(this.sole_holder)
        .Next(this.end)
    )
    end = flow.End()

    def start_retry(self, activation, *, application, kind, reason, statement_id=None):
        activation.process.artifact = application
        activation.process.data = {"kind": kind, "reason": reason}
        if statement_id is not None:  # a справка о соответствии критериям: which request
            activation.process.data["statement_id"] = statement_id
        return application


# --- entry points ------------------------------------------------------------------------------------


def application_start(*, actor, person, subjects, files, on_date=None) -> RmaApplication:
    """Submit an application (or a nomination) and start its process. A refused application's
    process ends at the formal check; an eligible one waits for document verification. If
    anything fails, the stored files go with the rolled-back rows."""
    with removed_on_rollback(), transaction.atomic():
        return RmaFlow.start.run(actor=actor, person=person, subjects=subjects, files=files, on_date=on_date)


@transaction.atomic
def application_override_start(*, actor, application, reason) -> RmaApplication:
    """Admit a refused candidate to document verification despite the formal check (a new process
    of the application starts at verification)."""
    return RmaFlow.start_override.run(actor=actor, application=application, reason=reason)


@transaction.atomic
def membership_review_start(*, application) -> RmaApplication:
    """Open the coordinator's re-check of a flagged member (once per flag)."""
    return RmaReviewFlow.start.run(application=application)


@transaction.atomic
def document_retry_start(*, application, kind: str, reason: str, statement_id=None) -> RmaApplication:
    """A справка about the application failed after its retries: a task for the region's
    ЦНППМПР coordinator (once per failure)."""
    return RmaDocumentFlow.start.run(application=application, kind=kind, reason=reason, statement_id=statement_id)
