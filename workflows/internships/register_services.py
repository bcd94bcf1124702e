"""The register of sites: the annual reports (one inbox task for the site's head, due on the date
the приказ set, the next opened a year later while the status lasts), revocation with a reason
(audited), expiry at the end of the term (the nightly scan), publication of the register."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from documents.tasks import document_issue_later
from orgstructure import access
from orgstructure.models import Person, Role
from workflows.core.audit import record_event
from workflows.core.calendar import local_date
from workflows.core.flowkit import step_atomic
from workflows.core.review.inbox import withdraw_open_tasks
from workflows.core.state import fire

from . import documents, rules
from .models import (
    REGISTER_KEEPERS,
    Internship,
    InternshipEvent,
    RegisterPublication,
    ReportStatus,
    Site,
    SiteReport,
    SiteStatus,
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
    return Site.objects.select_for_update().select_related("organization", "region").get(pk=site.pk)


@step_atomic
def report_submit(*, actor, report, trainees: int, programmes_run: int, summary: str, start_report) -> SiteReport:
    """The site's head submits the report; the next one opens a year later if the status lasts."""
    report = SiteReport.objects.select_for_update().select_related("site__organization").get(pk=report.pk)
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
    if site.status == SiteStatus.ACTIVE and following is not None:
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


@transaction.atomic
def site_revoke(*, actor, site, reason: str, today: dt.date | None = None) -> Site:
    site = _locked_site(site)
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise InvalidInput({"reason": ["Укажите основание отзыва статуса (не короче 10 символов): решение, приказ"]})
    site.ended_on = today or local_date(timezone.now(), site.region.timezone)
    site.end_reason = reason
    fire(
        site,
        "revoke",
        actor=actor,
        event=InternshipEvent.SITE_REVOKED,
        comment=reason,
        refused_message=f"Отозвать нельзя: {site.get_status_display().lower()}",
    )
    _end_reports(site, actor=actor)
    return site


def expiring(region, on_date: dt.date):
    """Active sites of the region whose term ended before `on_date` (the scan's candidates)."""
    return Site.objects.filter(region=region, status=SiteStatus.ACTIVE, status_to__lt=on_date)


def site_expire(site_id, on_date: dt.date) -> bool:
    """The scan's act on one site (inside its own transaction): state-checked under the lock."""
    site = Site.objects.select_for_update().filter(pk=site_id).first()
    if site is None or site.status != SiteStatus.ACTIVE or not rules.has_expired(site.status_to, on_date):
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
    if site.status != SiteStatus.ACTIVE:
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
