"""The register of sites: the annual reports (one inbox task for the site's head, due on the date
the приказ set, the next opened a year later while the status lasts); changes of a site's status —
renewal, probation, its lifting, revocation — proposed by the keeper of the register and made by
the minister's приказ; expiry at the end of the term (the nightly scan); publication."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from documents.errors import DocumentError
from documents.issuing import document_issue
from documents.tasks import document_issue_later
from orgstructure import access
from orgstructure.models import OrganizationKind, Person, Role
from orgstructure.selectors import regional_body
from workflows.core.audit import record_event
from workflows.core.calendar import local_date
from workflows.core.flowkit import step_atomic
from workflows.core.review.inbox import withdraw_open_tasks
from workflows.core.state import fire

from . import documents, rules
from .models import (
    IN_FORCE,
    REGISTER_KEEPERS,
    Internship,
    InternshipEvent,
    RegisterPublication,
    ReportStatus,
    Site,
    SiteReport,
    StatusChange,
    StatusChangeKind,
    StatusChangeStatus,
    can_keep_register,
    can_sign_status,
)


def sites_opened(*, sites, report_due: dt.date, start_report) -> list[SiteReport]:
    """The first annual report of each new site (inside the approval's transaction);
    `start_report(report)` opens its inbox task (the caller's flow)."""
    reports = []
    for site in sites:
        report = SiteReport.objects.create(site=site, number=1, due_on=report_due)
        start_report(report)
        reports.append(report)
    return reports


def _locked_site(site) -> Site:
    return Site.objects.select_for_update(of=("self",)).select_related("organization", "region").get(pk=site.pk)


@step_atomic
def report_submit(*, actor, report, trainees: int, programmes_run: int, summary: str, start_report) -> SiteReport:
    """The site's head submits the report; the next one opens a year later if the status lasts."""
    report = SiteReport.objects.select_for_update(of=("self",)).select_related("site__organization").get(pk=report.pk)
    errors = {}
    if trainees is None or trainees < 0:
        errors["trainees"] = ["Укажите число обученных педагогов (0, если стажировок не было)"]
    if programmes_run is None or programmes_run < 0:
        errors["programmes_run"] = ["Укажите число реализованных программ"]
    if not (summary or "").strip():
        errors["summary"] = ["Опишите итоги года"]
    if errors:
        raise InvalidInput(errors)
    report.trainees, report.programmes_run, report.summary = trainees, programmes_run, summary.strip()
    report.submitted_by, report.submitted_at = actor, timezone.now()
    fire(report, "submit", actor=actor, event=InternshipEvent.REPORT_SUBMITTED, comment=f"обучено: {trainees}")
    site = report.site
    record_event(
        actor=actor,
        obj=site,
        event=InternshipEvent.REPORT_SUBMITTED,
        comment=f"за {report.number}-й год: обучено {trainees}, программ {programmes_run}",
        data={"report_id": report.pk},
    )
    following = rules.next_report_due(report.due_on, site.status_to)
    if site.status in IN_FORCE and following is not None:
        start_report(SiteReport.objects.create(site=site, number=report.number + 1, due_on=following))
    return report


def _end_reports(site, *, actor) -> int:
    """The reports still due when the status ends: their tasks withdrawn, the reports cancelled."""
    ended = 0
    for report in SiteReport.objects.select_for_update().filter(site=site, status=ReportStatus.DUE):
        withdraw_open_tasks(report)
        fire(report, "cancel", actor=actor, event=InternshipEvent.REPORT_CANCELLED, check_permission=False)
        ended += 1
    return ended


# --- changes of a site's status by приказ ----------------------------------------------------


def _proposer_organization(actor, site):
    """The body on whose proposal the приказ is made: the actor's ЦНППМПР (or the ministry)."""
    for membership in access.memberships_with_role(actor, *REGISTER_KEEPERS):
        if membership.organization.region_id == site.region_id:
            return membership.organization
    raise ActionForbidden("Изменение статуса площадки предлагает координатор ЦНППМПР или специалист министерства")


def _change_errors(site, *, kind, reason, new_status_to, probation_until, today) -> dict:
    return rules.status_change_errors(
        kind=kind,
        site_status=site.status,
        status_to=site.status_to,
        reason=reason,
        new_status_to=new_status_to,
        probation_until=probation_until,
        today=today,
    )


@transaction.atomic
def status_change_propose(
    *,
    actor,
    site,
    kind: str,
    reason: str,
    new_status_to: dt.date | None = None,
    probation_until: dt.date | None = None,
    today: dt.date | None = None,
) -> StatusChange:
    """The keeper of the register proposes a change of a site's status; the caller's flow puts the
    приказ on the minister's desk in the same transaction. One open proposal per site."""
    site = _locked_site(site)
    if not can_keep_register(site, actor):
        raise ActionForbidden("Изменение статуса площадки предлагает координатор ЦНППМПР или специалист министерства")
    _proposer_organization(actor, site)
    today = today or local_date(timezone.now(), site.region.timezone)
    errors = _change_errors(
        site, kind=kind, reason=reason, new_status_to=new_status_to, probation_until=probation_until, today=today
    )
    if errors:
        raise InvalidInput(errors)
    if StatusChange.objects.filter(site=site, status=StatusChangeStatus.PROPOSED).exists():
        raise ActionRefused("Предыдущее изменение статуса этой площадки ещё на подписи у министра")
    change = StatusChange.objects.create(
        site=site,
        kind=kind,
        reason=reason.strip(),
        new_status_to=new_status_to if kind == StatusChangeKind.RENEW else None,
        probation_until=probation_until if kind == StatusChangeKind.PROBATION else None,
        proposed_by=actor,
    )
    for obj in (change, site):
        record_event(
            actor=actor,
            obj=obj,
            event=InternshipEvent.STATUS_CHANGE_PROPOSED,
            to_state=StatusChangeStatus.PROPOSED,
            comment=f"{change.get_kind_display()}: {change.reason}",
            data={"status_change_id": change.pk, "kind": kind},
        )
    return change


def _locked_change(change) -> StatusChange:
    return (
        StatusChange.objects.select_for_update(of=("self",))
        .select_related("site__region", "site__organization__municipality", "site__order", "site__application__call")
        .get(pk=change.pk)
    )


def _probation_order(site):
    last = (
        StatusChange.objects.filter(site=site, kind=StatusChangeKind.PROBATION, status=StatusChangeStatus.APPROVED)
        .select_related("order")
        .order_by("-pk")
        .first()
    )
    return last.order if last is not None else None


def status_order_data(change) -> dict:
    """The data of the приказ a proposed change would make (the minister reads its text)."""
    site = change.site
    return documents.site_status_order_context(
        change=change, proposer=_proposer_organization(change.proposed_by, site), probation_order=_probation_order(site)
    )


SITE_EFFECTS = {
    StatusChangeKind.RENEW: ("renew", InternshipEvent.SITE_RENEWED),
    StatusChangeKind.PROBATION: ("put_on_probation", InternshipEvent.SITE_PROBATION),
    StatusChangeKind.LIFT: ("lift_probation", InternshipEvent.SITE_PROBATION_LIFTED),
    StatusChangeKind.REVOKE: ("revoke", InternshipEvent.SITE_REVOKED),
}


@step_atomic
def status_change_approve(*, actor, change, start_report, issued_on: dt.date | None = None) -> StatusChange:
    """The minister signs: one transaction — the приказ in the ministry's register (a rendering
    failure changes nothing and takes no number), the site's status changed with its audit event
    (renewed: the next annual report opened if none is due; revoked: the pending reports
    withdrawn), the change approved. The change is re-checked on the day of signing."""
    change = _locked_change(change)
    site = _locked_site(change.site)
    change.site = site
    if change.status != StatusChangeStatus.PROPOSED:
        raise ActionRefused(f"Изменение уже рассмотрено: {change.get_status_display().lower()}")
    if not can_sign_status(site, actor):
        raise ActionForbidden("Приказ об изменении статуса площадки подписывает министр")
    issued_on = issued_on or local_date(timezone.now(), site.region.timezone)
    errors = _change_errors(
        site,
        kind=change.kind,
        reason=change.reason,
        new_status_to=change.new_status_to,
        probation_until=change.probation_until,
        today=issued_on,
    )
    if errors:
        raise ActionRefused(
            "Изменение больше не применимо: " + "; ".join(m for ms in errors.values() for m in ms) + ". Отклоните его"
        )
    ministry = regional_body(site.region_id, OrganizationKind.MINISTRY)
    if ministry is None:
        raise ActionRefused("В регионе не заведено министерство: приказ выпустить некому")
    try:
        order = document_issue(
            kind=documents.SITE_STATUS_ORDER_KIND,
            issuing_organization=ministry,
            artefact=change,
            context=status_order_data(change),
            signatory=None,
            issued_on=issued_on,
            actor=actor,
        )
    except DocumentError as exc:
        raise ActionRefused(f"Приказ не сформирован, статус не изменён: {exc}") from exc
    basis = f"приказ от {order.issued_on:%d.%m.%Y} № {order.number}"
    change.order, change.decided_by = order, actor
    fire(
        change,
        "approve",
        actor=actor,
        event=InternshipEvent.STATUS_CHANGE_APPROVED,
        comment=basis,
        data={"order_id": order.pk, "order_number": order.number},
    )
    transition, event = SITE_EFFECTS[change.kind]
    if change.kind == StatusChangeKind.RENEW:
        comment = f"по {change.new_status_to:%d.%m.%Y} (было по {site.status_to:%d.%m.%Y}); {basis}"
        site.status_to = change.new_status_to
    elif change.kind == StatusChangeKind.PROBATION:
        comment = f"до {change.probation_until:%d.%m.%Y}: {change.reason}; {basis}"
        site.probation_until, site.probation_reason = change.probation_until, change.reason
    elif change.kind == StatusChangeKind.LIFT:
        comment = basis
        site.probation_until, site.probation_reason = None, ""
    else:
        comment = f"{change.reason}; {basis}"
        site.ended_on, site.end_reason = issued_on, f"{basis}: {change.reason}"
        site.probation_until = None
    fire(site, transition, actor=actor, event=event, comment=comment, data={"order_id": order.pk})
    if change.kind == StatusChangeKind.REVOKE:
        _end_reports(site, actor=actor)
    elif change.kind == StatusChangeKind.RENEW:
        _next_report_after_renewal(site, start_report=start_report)
    return change


def _next_report_after_renewal(site, *, start_report) -> None:
    """A renewed site whose last report of the old term is in: the next one a year after it."""
    if SiteReport.objects.filter(site=site, status=ReportStatus.DUE).exists():
        return
    last = SiteReport.objects.filter(site=site).order_by("-number").first()
    if last is None:
        return
    following = rules.next_report_due(last.due_on, site.status_to)
    if following is not None:
        start_report(SiteReport.objects.create(site=site, number=last.number + 1, due_on=following))


@step_atomic
def status_change_reject(*, actor, change, comment: str) -> StatusChange:
    """The minister declines the change with remarks: the site's status stays as it was."""
    change = _locked_change(change)
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput({"comment": ["Укажите, почему изменение статуса отклонено"]})
    change.reject_comment, change.decided_by = comment, actor
    fire(
        change,
        "reject",
        actor=actor,
        event=InternshipEvent.STATUS_CHANGE_REJECTED,
        comment=comment,
        refused_message=f"Изменение уже рассмотрено: {change.get_status_display().lower()}",
    )
    record_event(
        actor=actor,
        obj=change.site,
        event=InternshipEvent.STATUS_CHANGE_REJECTED,
        comment=f"{change.get_kind_display()}: {comment}",
        data={"status_change_id": change.pk},
    )
    return change


def expiring(region, on_date: dt.date):
    """Sites of the region in force whose term ended before `on_date` (the scan's candidates)."""
    return Site.objects.filter(region=region, status__in=IN_FORCE, status_to__lt=on_date)


def site_expire(site_id, on_date: dt.date) -> bool:
    """The scan's act on one site (inside its own transaction): state-checked under the lock."""
    site = Site.objects.select_for_update().filter(pk=site_id).first()
    if site is None or site.status not in IN_FORCE or not rules.has_expired(site.status_to, on_date):
        return False
    site.ended_on = site.status_to
    site.end_reason = f"истёк срок статуса ({site.status_to:%d.%m.%Y})"
    fire(
        site, "expire", actor=None, event=InternshipEvent.SITE_EXPIRED, comment=site.end_reason, check_permission=False
    )
    _end_reports(site, actor=None)
    return True


@transaction.atomic
def publication_set(*, actor, region, published: bool) -> RegisterPublication:
    if not access.reaches_region(actor, REGISTER_KEEPERS, region_id=region.pk):
        raise ActionForbidden("Публиковать реестр может координатор ЦНППМПР или специалист министерства")
    publication, _ = RegisterPublication.objects.select_for_update().get_or_create(
        region=region, defaults={"changed_by": actor}
    )
    if publication.published == published:
        raise ActionRefused("Реестр уже " + ("опубликован" if published else "снят с публикации"))
    publication.published, publication.changed_by = published, actor
    publication.save()
    record_event(
        actor=actor,
        obj=publication,
        event=InternshipEvent.PUBLICATION_CHANGED,
        to_state="published" if published else "hidden",
        comment="реестр опубликован" if published else "реестр снят с публикации",
    )
    return publication


@transaction.atomic
def internship_record(
    *, actor, site, programme_id: int, snils: str, date_from: dt.date, date_to: dt.date, result: str
) -> Internship:
    """The site's head records a teacher who completed an internship there: the trainee is found
    by СНИЛС among the region's teachers (the site is shown nobody else's staff); the справка
    DOC-4b is queued for after the commit (issued by the call's ЦНППМПР)."""
    site = _locked_site(site)
    if not access.reaches(actor, (Role.SCHOOL_HEAD,), organization=site.organization):
        raise ActionForbidden("Отметить стажировку может руководитель площадки")
    if site.status not in IN_FORCE:
        raise ActionRefused(f"Стажировки отмечаются у действующей площадки: {site.get_status_display().lower()}")
    errors = {}
    programme = site.application.programmes.filter(pk=programme_id).first()
    if programme is None:
        errors["programme"] = ["Выберите программу этой площадки"]
    digits = "".join(ch for ch in (snils or "") if ch.isdigit())
    person = (
        Person.objects.filter(snils__in={snils.strip(), digits}, organization__region_id=site.region_id)
        .select_related("organization__municipality")
        .first()
        if len(digits) == 11
        else None
    )
    if person is None:
        errors["snils"] = ["Педагог с таким СНИЛС в регионе не найден (11 цифр)"]
    if date_to < date_from:
        errors["date_to"] = ["Окончание стажировки не раньше её начала"]
    elif not (
        site.status_from <= date_from
        and date_to <= min(site.status_to, local_date(timezone.now(), site.region.timezone))
    ):
        errors["date_to"] = ["Стажировка — в пределах срока статуса и не позже сегодняшнего дня"]
    if not (result or "").strip():
        errors["result"] = ["Укажите результат стажировки (продукт)"]
    if errors:
        raise InvalidInput(errors)
    try:
        with transaction.atomic():
            internship = Internship.objects.create(
                site=site,
                programme=programme,
                person=person,
                date_from=date_from,
                date_to=date_to,
                result=result.strip()[:500],
                recorded_by=actor,
            )
    except IntegrityError as exc:
        raise ActionRefused("Эта стажировка уже отмечена") from exc
    record_event(
        actor=actor,
        obj=site,
        event=InternshipEvent.INTERNSHIP_RECORDED,
        comment=f"{programme.theme}, {date_from:%d.%m.%Y}–{date_to:%d.%m.%Y}",
        data={"internship_id": internship.pk},
    )
    document_issue_later(
        kind=documents.CERTIFICATE_KIND,
        issuing_organization=site.application.call.organizer,
        artefact=internship,
        context=documents.internship_certificate_context(internship=internship),
        signatory=None,
        issued_on=date_to,
        actor=actor,
        person=person,
    )
    return internship
