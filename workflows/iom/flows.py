"""The ИОМ flows (the chain is inferred, see models.py): RouteFlow — assignment → design →
[teacher agreement] → [school endorsement] → registration → self-report → confirmation, the
returns looping back to design (each pass a task with its due date); ActivityFlow — one inbox
task per activity of a registered route, due on the date of the plan. Routing only: the rules
are in rules.py, the writes in services.py."""

from __future__ import annotations

from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Task

from common.errors import NotAvailable
from orgstructure.models import Role
from workflows.core.flowkit import ArtefactFlow, RoleTask, assignee, flow_url, set_task_due_date, task_complete
from workflows.core.flowkit import Route as Gateway
from workflows.core.flowkit.steps import OPEN

from . import rules, services
from .deadline_rules import due
from .models import Activity, ActivityProcess, ActivityStatus, RequestSource, Route, RouteProcess, Status
from .task_views import (
    ActivityView,
    AgreeView,
    AssignView,
    ConfirmView,
    DesignView,
    EndorseView,
    RegistrationView,
    ReportView,
)

CURATOR_STEPS = ("design", "registration", "confirm")


class RouteFlow(ArtefactFlow, flow.Flow):
    """Индивидуальный образовательный маршрут

    Запрос педагога, школы или муниципалитета; куратор; разработка, согласование, регистрация в
    реестре ИОМ; выполнение и подтверждение результата.
    """

    process_class = RouteProcess
    process_title = "Индивидуальный образовательный маршрут"
    artefact_model = Route
    artefact_related = ("person__organization__region", "person__organization__municipality", "request")
    deadlines = {
        "assign": due("iom.assignment", Role.CNPPM_COORDINATOR),
        "assign_municipal": due("iom.assignment", Role.RMA_MUNI_COORDINATOR),
        "design": due("iom.design"),
        "agree": due("iom.agreement", Role.TEACHER),
        "endorse": due("iom.endorsement", Role.SCHOOL_HEAD),
        "registration": due("iom.registration"),
        "report": due("iom.report", Role.TEACHER),
        "confirm": due("iom.confirmation"),
    }

    start = flow.StartHandle(this.start_route).Next(this.by_source)
    by_source = (
        Gateway(this.is_municipal)
        .Annotation(title="Муниципальный запрос?")
        .Then(this.assign_municipal)
        .Else(this.assign)
    )
    assign = (
        RoleTask(AssignView.as_view())
        .Annotation(title="Назначение куратора ИОМ")
        .Permission("iom.assign_curator")
        .Assign(this.sole_holder)
        .Next(this.design)
    )
    assign_municipal = (
        RoleTask(AssignView.as_view())
        .Annotation(title="Назначение куратора ИОМ (муниципальный запрос)")
        .Permission("iom.assign_curator")
        .Assign(this.sole_holder)
        .Next(this.design)
    )
    design = (
        RoleTask(DesignView.as_view())
        .Annotation(title="Разработка ИОМ")
        .Permission("iom.design_route")
        .Assign(this.curator_user)
        .Next(this.after_design)
    )
    after_design = (
        Gateway(this.is_agreement)
        .Annotation(title="Согласует педагог?")
        .Then(this.agree)
        .Else(this.after_design_school)
    )
    after_design_school = (
        Gateway(this.is_endorsement).Annotation(title="Согласует ОО?").Then(this.endorse).Else(this.registration)
    )
    agree = (
        RoleTask(AgreeView.as_view())
        .Annotation(title="Согласование ИОМ педагогом")
        .Permission("iom.agree_route")
        .Assign(this.teacher_user)
        .Next(this.after_agree)
    )
    after_agree = Gateway(this.is_design).Annotation(title="Возврат?").Then(this.design).Else(this.after_agree_school)
    after_agree_school = (
        Gateway(this.is_endorsement).Annotation(title="Согласует ОО?").Then(this.endorse).Else(this.registration)
    )
    endorse = (
        RoleTask(EndorseView.as_view())
        .Annotation(title="Согласование ИОМ образовательной организацией")
        .Permission("iom.endorse_route")
        .Assign(this.sole_holder)
        .Next(this.after_endorse)
    )
    after_endorse = Gateway(this.is_design).Annotation(title="Возврат?").Then(this.design).Else(this.registration)
    registration = (
        RoleTask(RegistrationView.as_view())
        .Annotation(title="Регистрация ИОМ в реестре")
        .Permission("iom.design_route")
        .Assign(this.curator_user)
        .Next(this.open_activities)
    )
    open_activities = flow.Function(this.start_activities).Annotation(title="Мероприятия во входящие").Next(this.report)
    report = (
        RoleTask(ReportView.as_view())
        .Annotation(title="Самоотчёт о выполнении ИОМ")
        .Permission("iom.agree_route")
        .Assign(this.teacher_user)
        .onCreate(this.report_due_date)
        .Next(this.confirm)
    )
    confirm = (
        RoleTask(ConfirmView.as_view())
        .Annotation(title="Подтверждение результата ИОМ")
        .Permission("iom.design_route")
        .Assign(this.curator_user)
        .Next(this.after_confirm)
    )
    after_confirm = (
        Gateway(this.is_in_progress).Annotation(title="Возврат самоотчёта?").Then(this.report).Else(this.end)
    )
    end = flow.End()

    def start_route(self, activation, *, actor, request, person):
        activation.process.artifact = services.route_create(actor=actor, request=request, person=person)
        return activation.process.artifact

    def is_municipal(self, activation):
        return self.artefact_of(activation.process).request.source == RequestSource.MUNICIPAL

    def _status_is(self, status):
        return lambda activation: self.artefact_status(activation) == status

    def is_agreement(self, activation):
        return self.artefact_status(activation) == Status.AGREEMENT

    def is_endorsement(self, activation):
        return self.artefact_status(activation) == Status.ENDORSEMENT

    def is_design(self, activation):
        return self.artefact_status(activation) == Status.DESIGN

    def is_in_progress(self, activation):
        return self.artefact_status(activation) == Status.IN_PROGRESS

    def teacher_user(self, activation):
        return assignee(self.artefact_of(activation.process).person.user_id)

    def curator_user(self, activation):
        route = Route.objects.only("curator_id").get(pk=activation.process.artifact_object_id)
        return assignee(route.curator_id)

    def report_due_date(self, activation):
        set_task_due_date(activation.task, self.artefact_of(activation.process).period_to)

    def start_activities(self, activation):
        route = self.artefact_of(activation.process)
        for activity in route.activities.filter(status=ActivityStatus.PLANNED):
            ActivityFlow.start.run(activity=activity)

    def step_waits(self, step, route):
        """The self-report's task is there from registration (a tracked deadline), but it can be
        given only once every activity is marked (services.route_report refuses before)."""
        return rules.report_waits(route.activities.all()) if step == "report" else ""

    def step_organization(self, step, artefact):
        """The curator acts from their own organization (ЦНППМПР, or an РМА member's school)."""
        if step in CURATOR_STEPS:
            organization_id = Route.objects.filter(pk=artefact.pk).values_list("curator_organization_id", flat=True)
            from orgstructure.models import Organization

            return Organization.objects.filter(pk__in=organization_id).first()
        return super().step_organization(step, artefact)

    def artefact_organization(self, route):
        return route.person.organization

    def artefact_subject(self, route):
        return str(route)

    def artefact_url(self, route):
        return flow_url(RouteFlow, "route", route.pk)


class ActivityFlow(ArtefactFlow, flow.Flow):
    """Мероприятие ИОМ

    Одно мероприятие зарегистрированного маршрута: выполнить с подтверждением или указать причину
    невыполнения до срока по плану.
    """

    process_class = ActivityProcess
    process_title = "Мероприятие ИОМ"
    artefact_model = Activity
    artefact_related = ("route__person__organization__region", "route__person__organization__municipality")
    deadlines = {"carry_out": due("iom.activity", Role.TEACHER)}

    start = flow.StartHandle(this.start_activity).Next(this.carry_out)
    carry_out = (
        RoleTask(ActivityView.as_view())
        .Annotation(title="Выполнение мероприятия ИОМ")
        .Permission("iom.agree_route")
        .Assign(this.teacher_user)
        .onCreate(this.activity_due_date)
        .Next(this.end)
    )
    end = flow.End()

    def start_activity(self, activation, *, activity):
        activation.process.artifact = activity
        return activity

    def teacher_user(self, activation):
        return assignee(self.artefact_of(activation.process).route.person.user_id)

    def activity_due_date(self, activation):
        set_task_due_date(activation.task, self.artefact_of(activation.process).due_on)

    def artefact_organization(self, activity):
        return activity.route.person.organization

    def artefact_subject(self, activity):
        return f"{activity.route}: {activity.title}"

    def artefact_url(self, activity):
        return flow_url(RouteFlow, "route", activity.route_id)


# --- entry points (pages and API call these) -----------------------------------------------------


@transaction.atomic
def request_submit(*, actor, source, persons, topic):
    """The request and, per teacher, a route with its process (the first task in the
    coordinator's inbox) — all or nothing."""
    organization = services.request_validate(actor=actor, source=source, persons=persons, topic=topic)
    request = services.request_create(
        actor=actor, source=source, organization=organization, persons=persons, topic=topic
    )
    for person in persons:
        RouteFlow.start.run(actor=actor, request=request, person=person)
    return request


def open_task(artefact, flow_class):
    from workflows.core.flowkit import processes_of

    return (
        Task.objects.filter(
            process__in=processes_of(artefact).filter(flow_class=flow_class), status__in=OPEN, flow_task_type="HUMAN"
        )
        .select_related("process")
        .first()
    )


def activity_close(*, actor, activity, perform):
    """Close an activity through its inbox task (the API and the pages alike), as the step does."""
    task = open_task(activity, ActivityFlow)
    if task is None:
        raise NotAvailable("Мероприятие не ожидает отметки")
    return task_complete(actor=actor, task_id=task.pk, perform=lambda activation: perform())
