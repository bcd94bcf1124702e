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

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process

from orgstructure import access
from orgstructure.models import OrganizationKind, Role
from workflows.core.flowkit import RoleTask, Route, remember_artefact, remembered_artefact, set_task_due_date

from . import selectors, services, task_views
from .deadline_rules import rma_due
from .models import RmaApplication, RmaApplicationProcess, RmaList, RmaListProcess, RmaReviewProcess, Status


def _rma_list(process) -> RmaList | None:
    """The list a process is about: the one the step holds (see flowkit.remember_artefact), else
    read once per process object."""
    rma_list = remembered_artefact(process, RmaList)
    if rma_list is None and process.artifact_object_id:
        rma_list = RmaList.objects.filter(pk=process.artifact_object_id).first()
        remember_artefact(process, rma_list)
    return rma_list


def application_subject(application) -> str:
    """«Кузнецов Николай Владимирович, МАОУ «СОШ № 24» г. Березники»: the applicant and their school."""
    if application is None:
        return ""
    person = application.person
    return f"{person.full_name}, {person.organization}"


def list_subject(rma_list) -> str:
    """«Список РМА № 7 на 2026/2027 учебный год»: what the ministry's steps are about (the number of
    candidates is left out: a draft list still takes new ones while its task is open)."""
    if rma_list is None:
        return ""
    year = f" на {rma_list.academic_year} учебный год" if rma_list.academic_year else ""
    return f"Список РМА № {rma_list.pk}{year}"


class _ScopedProcesses:
    """Stock viewflow shows the detail page of every non-human task (start, gateways, end) to anyone
    holding the flow's view permission; a process is visible only with its artefact (the
    application or the list) in the user's scope."""

    def has_view_permission(self, user, obj=None):
        if not super().has_view_permission(user, obj=obj):
            return False
        if obj is None:
            return True
        artefact = obj.artifact if obj.artifact_object_id is not None else None
        return access.is_unrestricted(user) if artefact is None else access.can(user, artefact)


class _ApplicationRouting:
    """Due dates, organizations and assignees of the steps of an application's processes. The
    role of a step is the one its `Due` declares (one place for it)."""

    def step_role(self, step) -> str:
        due = self.deadlines.get(step)
        return due.role if due else ""

    def deadline_region(self, process, task):
        application = selectors.application_of_process(process)
        return application.person.organization.region if application else None

    def deadline_organization(self, task):
        application = selectors.application_of_process(task.process)
        return self.step_organization(task.flow_task.name, application) if application else None

    def deadline_subject(self, task) -> str:
        return application_subject(selectors.application_of_process(task.process))

    def step_organization(self, step, application):
        """Where the step's role acts for this application (kept per process object: the task's
        assignment and its due-date row both ask)."""
        cache = application.__dict__.setdefault("_rma_step_organizations", {})
        if step not in cache:
            cache[step] = self._find_step_organization(step, application)
        return cache[step]

    def _find_step_organization(self, step, application):
        organization = application.person.organization
        role = self.step_role(step)
        if role == Role.RMA_MUNI_COORDINATOR:
            return selectors.coordinator_organization(organization.municipality_id, organization.region_id)
        if role == Role.COPMKP_ASSESSOR:
            return selectors.regional_body(organization.region_id, OrganizationKind.COPMKP)
        if role == Role.CNPPM_COORDINATOR:
            return selectors.regional_body(organization.region_id, OrganizationKind.CNPPMPR)
        return organization  # the applicant's own school

    def sole_holder(self, activation):
        """The one official of the step's role in its organization (or None: the queue)."""
        step = activation.flow_task.name
        application = selectors.application_of_process(activation.process)
        return selectors.sole_holder(role=self.step_role(step), organization=self.step_organization(step, application))


class RmaFlow(_ScopedProcesses, _ApplicationRouting, flow.Flow):
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
    after_assess = Route(this.is_qualified).Annotation(title="Оценка пройдена?").Then(this.include).Else(this.end)
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

    def _status(self, activation):
        application = remembered_artefact(activation.process, RmaApplication)
        if application is not None:
            return application.status
        return RmaApplication.objects.values_list("status", flat=True).get(pk=activation.process.artifact_object_id)

    def is_eligible(self, activation):
        return self._status(activation) == Status.ELIGIBLE

    def is_returned(self, activation):
        return self._status(activation) == Status.RETURNED

    def is_qualified(self, activation):
        return self._status(activation) == Status.QUALIFIED

    def applicant(self, activation):
        return selectors.assignee(selectors.application_of_process(activation.process).submitted_by_id)

    def correction_due_date(self, activation):
        application = selectors.application_of_process(activation.process)
        set_task_due_date(activation.task, application.correction_due)

    def start_list_approval(self, activation):
        """The first candidate of a new draft list opens the list's approval by the ministry."""
        application = selectors.application_of_process(activation.process)
        rma_list = application.rma_list
        if not _has_process(RmaListFlow, rma_list):
            RmaListFlow.start.run(rma_list=rma_list)


class RmaListFlow(_ScopedProcesses, flow.Flow):
    """Утверждение списка РМА

    Проект списка регионального методического актива: министерство готовит приказ, подписант
    утверждает список — все кандидаты становятся членами РМА одним приказом.
    """

    process_class = RmaListProcess
    process_title = "Утверждение списка РМА"

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
        return RmaList.objects.values_list("status", flat=True).get(pk=activation.process.artifact_object_id) == (
            "approved"
        )

    def deadline_region(self, process, task):
        rma_list = _rma_list(process)
        return rma_list.region if rma_list else None

    def deadline_organization(self, task):
        rma_list = _rma_list(task.process)
        return selectors.regional_body(rma_list.region_id, OrganizationKind.MINISTRY) if rma_list else None

    def deadline_subject(self, task) -> str:
        return list_subject(_rma_list(task.process))

    def sole_holder(self, activation):
        return selectors.sole_holder(
            role=self.deadlines[activation.flow_task.name].role,
            organization=self.deadline_organization(activation.task),
        )


class RmaReviewFlow(_ScopedProcesses, _ApplicationRouting, flow.Flow):
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


def _has_process(flow_class, artefact) -> bool:
    return Process.objects.filter(
        flow_class=flow_class,
        artifact_content_type=ContentType.objects.get_for_model(type(artefact)),
        artifact_object_id=artefact.pk,
    ).exists()


# --- entry points ------------------------------------------------------------------------------------


def application_start(*, actor, person, subjects, files, on_date=None) -> RmaApplication:
    """Submit an application (or a nomination) and start its process. A refused application's
    process ends at the formal check; an eligible one waits for document verification. If
    anything fails, the stored files go with the rolled-back rows."""
    with services.files_removed_on_error(), transaction.atomic():
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
