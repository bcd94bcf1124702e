"""The expert review of an endorsed application, on the kit's workflows.core.review: the
coordinator appoints N experts (proposed by lowest load, conflicts of interest ruled out), each
scores in their inbox task, the review completes at k of n with the weighted rating and the
spread kept on the application; a late expert is replaced by the coordinator."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, AlreadyProcessed, InvalidInput
from orgstructure.models import Person, Role
from workflows.core.audit import record_event
from workflows.core.flowkit import step_atomic
from workflows.core.review import ConflictPolicy, check_sheet, conflicts_of_interest, propose_experts
from workflows.core.review.inbox import withdraw_open_tasks
from workflows.core.review.models import REPLACEABLE, AssignmentStatus, open_loads, outcome_of
from workflows.core.review.scoring import as_decimal
from workflows.core.state import fire

from .models import (
    Application,
    ApplicationStatus,
    ConflictDeclaration,
    ExpertAssignment,
    ExpertScore,
    InternshipEvent,
    can_run_review,
)

# Who may be appointed an expert [gap — inferred]: the seeds name «вовлечение педагогических
# работников в экспертную деятельность» (003:L941) without a list; the pool is everyone of the
# region holding one of these roles (методисты ЦНППМПР, специалисты ИРО, члены РМА).
EXPERT_ROLES = (Role.CNPPM_METHODIST, Role.IRO_STAFF, Role.RMA_MEMBER)


def expert_pool(region_id) -> list[Person]:
    return list(
        Person.objects.filter(
            user__is_active=True,
            user__memberships__is_active=True,
            user__memberships__role__in=EXPERT_ROLES,
            user__memberships__organization__region_id=region_id,
        )
        .select_related("organization")
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def policy_for(call) -> ConflictPolicy:
    return ConflictPolicy(same_municipality=call.municipality_conflict)


def taken_experts(application) -> list[int]:
    return list(ExpertAssignment.objects.filter(application=application).values_list("expert_id", flat=True))


def declared_conflicts(organization) -> dict[int, str]:
    """{expert person id: reason} of the conflicts experts declared with the organization."""
    return dict(ConflictDeclaration.objects.filter(organization=organization).values_list("expert_id", "reason"))


def proposal(application, *, count: int | None = None):
    pool = expert_pool(application.organization.region_id)
    return propose_experts(
        pool,
        application.organization,
        count=count or application.call.experts_per_application,
        loads=open_loads(ExpertAssignment, [person.pk for person in pool]),
        policy=policy_for(application.call),
        declared=declared_conflicts(application.organization),
        exclude=taken_experts(application),
    )


def _check_experts(application, experts) -> None:
    pool = {person.pk for person in expert_pool(application.organization.region_id)}
    outside = [person.full_name for person in experts if person.pk not in pool]
    if outside:
        raise InvalidInput({"experts": [f"Не входят в число экспертов региона: {', '.join(outside)}"]})
    found = conflicts_of_interest(
        experts,
        application.organization,
        policy=policy_for(application.call),
        declared=declared_conflicts(application.organization),
    )
    if found:
        names = {person.pk: person.full_name for person in experts}
        raise InvalidInput(
            {"experts": [f"{names[pk]}: конфликт интересов ({'; '.join(reasons)})" for pk, reasons in found.items()]}
        )


def _locked(application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "organization")
        .get(pk=application.pk)
    )


@transaction.atomic
def experts_appoint(*, actor, application, experts: list[Person], start_task) -> Application:
    """`start_task(assignment)` opens the expert's inbox task (the caller's flow: views pass ExpertFlow's)."""
    application = _locked(application)
    call = application.call
    if not can_run_review(application, actor):
        raise ActionForbidden("Назначать экспертов может координатор ЦНППМПР")
    if len({person.pk for person in experts}) != call.experts_per_application:
        raise InvalidInput({"experts": [f"Назначьте {call.experts_per_application} разных экспертов"]})
    _check_experts(application, experts)
    fire(
        application,
        "start_review",
        actor=actor,
        event=InternshipEvent.EXPERTS_APPOINTED,
        data={"experts": [person.pk for person in experts]},
    )
    for person in experts:
        start_task(ExpertAssignment.objects.create(application=application, expert=person, appointed_by=actor))
    return application


@transaction.atomic
def expert_replace(*, actor, assignment, new_expert: Person, reason: str, start_task) -> ExpertAssignment:
    application = _locked(assignment.application)
    if not can_run_review(application, actor):
        raise ActionForbidden("Заменять экспертов может координатор ЦНППМПР")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        raise ActionRefused("Экспертиза заявки завершена: замена не нужна")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Укажите причину замены"]})
    if new_expert.pk in taken_experts(application):
        raise InvalidInput({"expert": ["Этот эксперт уже назначался на заявку"]})
    _check_experts(application, [new_expert])
    updated = ExpertAssignment.objects.filter(pk=assignment.pk, status__in=REPLACEABLE).update(
        status=AssignmentStatus.REPLACED, replaced_reason=reason
    )
    if not updated:
        raise AlreadyProcessed("Эксперт уже выставил оценку или заменён")
    withdraw_open_tasks(assignment)
    new = ExpertAssignment.objects.create(application=application, expert=new_expert, appointed_by=actor)
    start_task(new)
    record_event(
        actor=actor,
        obj=application,
        event=InternshipEvent.EXPERT_REPLACED,
        comment=reason,
        data={"replaced": assignment.expert_id, "by": new_expert.pk},
    )
    return new


@step_atomic
def sheet_submit(*, actor, assignment, sheet: dict) -> ExpertAssignment:
    """An expert's sheet {criterion: (score or None, comment)}; the last of k completes the review."""
    application = _locked(assignment.application)
    if assignment.expert.user_id != actor.pk:
        raise ActionForbidden("Оценку выставляет назначенный эксперт")
    scheme = application.call.scheme()
    errors = check_sheet(scheme, sheet)
    if errors:
        raise InvalidInput(errors)
    updated = ExpertAssignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.APPOINTED).update(
        status=AssignmentStatus.SUBMITTED, submitted_at=timezone.now()
    )
    if not updated:
        raise AlreadyProcessed("Оценка уже выставлена или эксперт заменён")
    ExpertScore.objects.bulk_create(
        ExpertScore(assignment_id=assignment.pk, criterion=code, score=score, comment=comment.strip())
        for code, (score, comment) in sheet.items()
    )
    record_event(actor=actor, obj=application, event=InternshipEvent.SHEET_SUBMITTED)
    outcome = outcome_of(scheme, application.assignments.prefetch_related("scores"))
    if outcome.complete and application.status == ApplicationStatus.UNDER_REVIEW:
        application.rating = as_decimal(outcome.rating)
        application.spread = as_decimal(outcome.spread)
        application.spread_flagged = outcome.spread_flagged
        application.passed = outcome.passed
        fire(
            application,
            "complete_review",
            actor=actor,
            event=InternshipEvent.REVIEWED,
            check_permission=False,
            data={"rating": str(application.rating), "sheets": outcome.sheets},
        )
        for other in application.assignments.filter(status=AssignmentStatus.APPOINTED):
            other.status = AssignmentStatus.CLOSED
            other.save(update_fields=["status"])
            withdraw_open_tasks(other)
    assignment.status = AssignmentStatus.SUBMITTED
    return assignment


def _own_person(actor):
    from orgstructure.access import own_person

    person = own_person(actor)
    if person is None or not expert_pool_has(person):
        raise ActionForbidden("Заявить о конфликте интересов может эксперт")
    return person


def expert_pool_has(person) -> bool:
    return Person.objects.filter(
        pk=person.pk,
        user__is_active=True,
        user__memberships__is_active=True,
        user__memberships__role__in=EXPERT_ROLES,
    ).exists()


@transaction.atomic
def conflict_declare(*, actor, organization, reason: str) -> ConflictDeclaration:
    """An expert declares a conflict with an organization of their region (ahead of any review)."""
    person = _own_person(actor)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput({"reason": ["Опишите конфликт интересов (не короче 5 символов)"]})
    if organization.region_id != person.organization.region_id:
        raise InvalidInput({"organization": ["Организация другого региона"]})
    declaration, created = ConflictDeclaration.objects.get_or_create(
        expert=person, organization=organization, defaults={"reason": reason[:500]}
    )
    if not created:
        raise ActionRefused("Конфликт интересов с этой организацией уже заявлен")
    return declaration


@transaction.atomic
def assignment_decline(*, actor, assignment, reason: str) -> ExpertAssignment:
    """An appointed expert declares a conflict with the applicant: the declaration is kept, the
    expert's task withdrawn, the assignment waits for the coordinator's replacement (notified
    in-app, and it shows on the application's page)."""
    application = _locked(assignment.application)
    if assignment.expert.user_id != actor.pk:
        raise ActionForbidden("Заявить о конфликте может назначенный эксперт")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise InvalidInput({"reason": ["Опишите конфликт интересов (не короче 5 символов)"]})
    updated = ExpertAssignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.APPOINTED).update(
        status=AssignmentStatus.DECLINED, replaced_reason=f"конфликт интересов: {reason}"[:1000]
    )
    if not updated:
        raise AlreadyProcessed("Оценка уже выставлена или эксперт заменён")
    ConflictDeclaration.objects.get_or_create(
        expert=assignment.expert, organization=application.organization, defaults={"reason": reason[:500]}
    )
    withdraw_open_tasks(assignment)
    record_event(
        actor=actor,
        obj=application,
        event=InternshipEvent.CONFLICT_DECLARED,
        comment=reason,
        data={"expert": assignment.expert_id},
    )
    _tell_coordinators(application, f"Эксперт {assignment.expert.full_name} заявил о конфликте интересов: нужна замена")
    assignment.status = AssignmentStatus.DECLINED
    return assignment


def _tell_coordinators(application, title: str) -> None:
    from django.urls import reverse

    from orgstructure.models import Membership
    from workflows.core.models import Notification, OutboxKind

    users = (
        Membership.objects.filter(
            role=Role.CNPPM_COORDINATOR,
            is_active=True,
            user__is_active=True,
            organization__region_id=application.organization.region_id,
        )
        .values_list("user_id", flat=True)
        .distinct()
    )
    url = reverse("workflow:flows:internships:application", args=[application.pk])
    Notification.objects.bulk_create(
        Notification(user_id=user_id, kind=OutboxKind.ESCALATION, title=title[:300], body=str(application), url=url)
        for user_id in users
    )
