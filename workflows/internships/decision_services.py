"""The decision on a call: the ЦНППМПР coordinator closes the call and proposes the commission's
decision on the ranked list (the protocol of the expert commission is issued then); the minister
approves it — one transaction: the приказ DOC-2, every application selected or not with its
reason, the register of sites, the call decided — and the справки to the selected organizations
are queued for after the commit; or returns it with remarks, and the coordinator revises."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from documents.errors import DocumentError
from documents.issuing import document_issue, document_reissue
from documents.tasks import document_issue_later
from orgstructure import access
from orgstructure.models import OrganizationKind, Role
from orgstructure.selectors import regional_body
from workflows.core.audit import record_event
from workflows.core.calendar import local_date
from workflows.core.flowkit import step_atomic
from workflows.core.review.inbox import withdraw_open_tasks
from workflows.core.review.models import AssignmentStatus
from workflows.core.state import fire

from . import documents, register_services, rules
from .models import (
    UNFINISHED_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Decision,
    DecisionStatus,
    ExpertAssignment,
    InternshipEvent,
    Site,
)
from .selectors import ranked_applications


def _today(region) -> dt.date:
    from django.utils import timezone

    return local_date(timezone.now(), region.timezone)


def _coordinator(actor, call) -> None:
    if not access.reaches_region(actor, (Role.CNPPM_COORDINATOR,), region_id=call.region_id):
        raise ActionForbidden("Решение по отбору готовит координатор ЦНППМПР")


def _locked_call(call) -> Call:
    return Call.objects.select_for_update(of=("self",)).select_related("organizer__region", "region").get(pk=call.pk)


@transaction.atomic
def call_close(*, actor, call) -> Call:
    """The coordinator ends the intake (before its date, or after it to begin the decision)."""
    call = _locked_call(call)
    _coordinator(actor, call)
    if call.status != CallStatus.OPEN:
        raise ActionRefused(f"Приём заявок уже завершён: {call.get_status_display().lower()}")
    call.status = CallStatus.CLOSED
    call.save(update_fields=["status"])
    record_event(
        actor=actor, obj=call, event=InternshipEvent.CALL_CLOSED, from_state=CallStatus.OPEN, to_state=call.status
    )
    return call


def _protocol_signatory(decision) -> dict:
    return {
        "full_name": rules.chair_name(decision.commission_members()[0]),
        "position": "Председатель экспертной комиссии",
    }


@transaction.atomic
def decision_propose(
    *,
    actor,
    call,
    protocol_date: dt.date,
    commission: str,
    regulation: str,
    report_due: dt.date,
    choices: dict[int, tuple[bool, str]],
    today: dt.date | None = None,
) -> tuple[Decision, bool]:
    """The commission's decision on every application of the call (`choices`: {application id:
    (selected, reason)} for the reviewed ones; the unfinished are not selected, with the reason
    «экспертиза не завершена»), the protocol issued by the ЦНППМПР. Returns (decision, whether it
    is new: the flow then starts the ministry's approval)."""
    call = _locked_call(call)
    _coordinator(actor, call)
    today = today or _today(call.region)
    if call.status == CallStatus.DECIDED:
        raise ActionRefused("Перечень по этому отбору уже утверждён")
    if call.status == CallStatus.OPEN and today <= call.applications_due:
        raise ActionRefused(
            f"Приём заявок идёт до {call.applications_due:%d.%m.%Y}: завершите его, прежде чем готовить решение"
        )
    decision = Decision.objects.select_for_update().filter(call=call).first()
    if decision is not None and decision.status != DecisionStatus.RETURNED:
        raise ActionRefused("Решение уже направлено в министерство")
    applications = ranked_applications(call)
    reviewed = {a.pk: a for a in applications if a.status == ApplicationStatus.REVIEWED}
    missing = [a for pk, a in reviewed.items() if pk not in choices]
    unknown = set(choices) - set(reviewed)
    regulation = (regulation or "").strip()
    errors = rules.decision_errors(
        choices={pk: choices[pk] for pk in reviewed if pk in choices},
        passed={pk: bool(a.passed) for pk, a in reviewed.items()},
        commission=commission,
        protocol_date=protocol_date,
        report_due=report_due,
        status_from=call.status_from,
        status_to=call.status_to,
        today=today,
    )
    if missing or unknown:
        errors.setdefault("__all__", []).append("Состав заявок изменился: обновите страницу и примите решение заново")
    if not regulation:
        errors["regulation"] = ["Укажите основание приказа (положение о площадках)"]
    if errors:
        raise InvalidInput(errors)

    if call.status == CallStatus.OPEN:
        call.status = CallStatus.CLOSED
        call.save(update_fields=["status"])
        record_event(
            actor=actor, obj=call, event=InternshipEvent.CALL_CLOSED, from_state=CallStatus.OPEN, to_state=call.status
        )
    for application in applications:
        if application.pk in reviewed:
            selected, reason = choices[application.pk]
            reason = "" if selected else reason.strip()
        else:
            selected, reason = False, documents.NOT_FINISHED_REASON
        application.proposed_selected, application.decision_reason = selected, reason
        Application.objects.filter(pk=application.pk).update(proposed_selected=selected, decision_reason=reason)

    fields = {
        "protocol_date": protocol_date,
        "commission": "\n".join(rules.commission_lines(commission)),
        "regulation": regulation,
        "report_due": report_due,
    }
    created = decision is None
    if created:
        decision = Decision.objects.create(call=call, proposed_by=actor, **fields)
    else:
        for name, value in fields.items():
            setattr(decision, name, value)
        decision.proposed_by = actor
        fire(decision, "resubmit", actor=actor, event=InternshipEvent.DECISION_PROPOSED, comment="после доработки")
    context = documents.protocol_context(call=call, decision=decision, applications=applications)
    try:
        if decision.protocol_id is None:
            protocol = document_issue(
                kind=documents.PROTOCOL_KIND,
                issuing_organization=call.organizer,
                artefact=decision,
                context=context,
                signatory=_protocol_signatory(decision),
                issued_on=protocol_date,
                actor=actor,
            )
        else:
            protocol = document_reissue(
                document=decision.protocol,
                reason=f"Решение доработано по замечаниям министерства: {decision.return_comment}"[:500],
                actor=actor,
                context=context,
                signatory=_protocol_signatory(decision),
                issued_on=protocol_date,
            )
    except DocumentError as exc:
        raise ActionRefused(f"Протокол не сформирован, решение не направлено: {exc}") from exc
    decision.protocol = protocol
    decision.save()
    selected_count = sum(1 for a in applications if a.proposed_selected)
    record_event(
        actor=actor,
        obj=call,
        event=InternshipEvent.DECISION_PROPOSED,
        comment=(
            f"Протокол от {protocol.issued_on:%d.%m.%Y} № {protocol.number}; "
            f"в перечень: {selected_count} из {len(applications)}"
        ),
        data={"decision_id": decision.pk, "protocol_id": protocol.pk, "selected": selected_count},
    )
    return decision, created


def _locked_decision(decision) -> Decision:
    return (
        Decision.objects.select_for_update(of=("self",))
        .select_related("call__organizer", "call__region", "protocol")
        .get(pk=decision.pk)
    )


@step_atomic
def decision_return(*, actor, decision, comment: str) -> Decision:
    decision = _locked_decision(decision)
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput({"comment": ["Напишите замечания к решению"]})
    decision.return_comment = comment
    return fire(decision, "return_for_revision", actor=actor, event=InternshipEvent.DECISION_RETURNED, comment=comment)


def _close_unfinished(application) -> None:
    """An application still in progress on the day of the приказ: its open tasks (the ММС's, the
    school's, the experts') are withdrawn and the experts' assignments closed."""
    withdraw_open_tasks(application)
    for assignment in ExpertAssignment.objects.filter(application=application, status=AssignmentStatus.APPOINTED):
        assignment.status = AssignmentStatus.CLOSED
        assignment.save(update_fields=["status"])
        withdraw_open_tasks(assignment)


def ministry_of(region_id):
    ministry = regional_body(region_id, OrganizationKind.MINISTRY)
    if ministry is None:
        raise ActionRefused("В регионе не заведено министерство: приказ выпустить некому")
    return ministry


@step_atomic
def decision_approve(*, actor, decision, start_report, issued_on: dt.date | None = None) -> Decision:
    """One transaction: the приказ DOC-2 in the ministry's register (a rendering failure changes
    nothing and takes no number), the selected applications SELECTED with a register entry each,
    the others NOT_SELECTED with the commission's reason (one audit event each), the call decided;
    the справки on the status queued for after the commit; each site's first annual report opened
    (`start_report(report)`: the caller's flow puts it in the site head's inbox)."""
    decision = _locked_decision(decision)
    call = decision.call
    if decision.status != DecisionStatus.PROPOSED:
        raise ActionRefused(f"Утвердить нельзя: решение «{decision.get_status_display()}»")
    issued_on = issued_on or _today(call.region)
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(call=call)
        .exclude(status__in=(ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED))
        .select_related("organization__municipality", "organization__region")
        .prefetch_related("programmes")
    )
    order_rank = {a.pk: n for n, a in enumerate(ranked_applications(call))}
    applications.sort(key=lambda a: order_rank.get(a.pk, len(order_rank)))
    selected = [a for a in applications if a.proposed_selected and a.status == ApplicationStatus.REVIEWED]
    if not selected:
        raise ActionRefused("В решении нет ни одной организации, прошедшей экспертизу: обновите решение")
    ministry = ministry_of(call.region_id)
    try:
        order = document_issue(
            kind=documents.SITES_ORDER_KIND,
            issuing_organization=ministry,
            artefact=decision,
            context=documents.sites_order_context(call=call, decision=decision, selected=selected),
            signatory=None,
            issued_on=issued_on,
            actor=actor,
        )
    except DocumentError as exc:
        raise ActionRefused(f"Приказ не сформирован, перечень не утверждён: {exc}") from exc
    decision.order = order
    decision.approved_by = actor
    fire(
        decision,
        "approve",
        actor=actor,
        event=InternshipEvent.DECISION_APPROVED,
        comment=f"Приказ от {order.issued_on:%d.%m.%Y} № {order.number}; площадок: {len(selected)}",
        data={"order_id": order.pk, "order_number": order.number, "sites": len(selected)},
    )
    basis = f"приказ от {order.issued_on:%d.%m.%Y} № {order.number}"
    sites = []
    for application in applications:
        if application in selected:
            fire(application, "select", actor=actor, event=InternshipEvent.SELECTED, comment=basis)
            sites.append(
                Site.objects.create(
                    application=application,
                    organization=application.organization,
                    region_id=call.region_id,
                    kind=call.kind,
                    status_from=call.status_from,
                    status_to=call.status_to,
                    order=order,
                )
            )
        else:
            if application.status in UNFINISHED_STATUSES:
                _close_unfinished(application)
            reason = application.decision_reason or documents.NOT_FINISHED_REASON
            fire(
                application, "not_select", actor=actor, event=InternshipEvent.NOT_SELECTED, comment=f"{reason}; {basis}"
            )
    previous = call.status
    call.status = CallStatus.DECIDED
    call.save(update_fields=["status"])
    record_event(
        actor=actor,
        obj=call,
        event=InternshipEvent.DECISION_APPROVED,
        from_state=previous,
        to_state=call.status,
        comment=basis,
    )
    for site in sites:
        document_issue_later(
            kind=documents.SITE_CERTIFICATE_KIND,
            issuing_organization=call.organizer,
            artefact=site,
            context=documents.site_certificate_context(site=site, order=order),
            signatory=None,
            issued_on=issued_on,
            actor=actor,
        )
    register_services.sites_opened(sites=sites, report_due=decision.report_due, start_report=start_report)
    return decision
