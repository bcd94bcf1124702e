"""Writes of the РМА process. Each service is one transaction, takes keyword-only arguments and
fires at most one transition per artefact, writing exactly one audit event for it (actor, from →
to, comment) in the same transaction. Views, the API, Celery jobs and the flows call these; none
of them changes a status any other way.

Two layers:
* artefact services — `application_*`, `list_*`, `membership_*`: check the role
  (permissions.py, the transitions' `permission`), let the FSM check the regulation (the
  transitions' `conditions`), save conditionally (ConcurrentTransitionMixin), audit;
* `task_complete` — an official's step in a flow: claim the task with a conditional UPDATE, run
  the artefact service, complete the task and create the next one, all at once. The loser of a race
  gets «Задача уже обработана».
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import can_proceed, has_transition_perm

from common import uploads
from common.errors import ActionForbidden, ActionRefused, InvalidInput
from common.uploads import storage as upload_storage
from documents.errors import DocumentError
from documents.issuing import document_issue, document_reissue
from documents.models import IssuedDocument
from documents.tasks import document_issue_later
from orgstructure import access, memberships
from orgstructure.models import OrganizationKind, Role
from workflows.core import clock, flowkit
from workflows.core.audit import record_event
from workflows.core.state import fire

from . import documents as rma_documents
from . import permissions, rules
from .models import (
    MEMBER_STATUSES,
    OPEN_STATUSES,
    REQUIRED_FILE_KINDS,
    ApplicationKind,
    FileKind,
    ListStatus,
    RmaApplication,
    RmaApplicationFile,
    RmaAssessmentProtocol,
    RmaCriteriaStatement,
    RmaEvent,
    RmaList,
    RmaRegionSettings,
    Status,
)

logger = logging.getLogger(__name__)

MIN_REASON_LENGTH = 10


def _today(region) -> dt.date:
    """Today in the region (Perm is UTC+5), from the kit's clock: the day the check date, the
    refusal of a future «Дата оценки» and of a past «Доработать до» are measured against."""
    return clock.today(region.timezone)


def _region_settings(application) -> RmaRegionSettings:
    return RmaRegionSettings.for_region(application.person.organization.region_id)


region_settings_of = _region_settings  # for the step pages (reads only)


def _reason(text: str, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_REASON_LENGTH:
        raise InvalidInput({"reason": [f"Укажите {what} (не короче {MIN_REASON_LENGTH} символов)"]})
    return text


# --- files ---------------------------------------------------------------------------------------


def _checked_files(files: Mapping[str, object] | None, *, required: bool) -> dict:
    """Check every upload by its content (common.uploads); collect the errors of all files at once."""
    files = {kind: upload for kind, upload in (files or {}).items() if upload}
    errors: dict[str, list[str]] = {}
    checked = {}
    if required:
        for kind in REQUIRED_FILE_KINDS:
            if kind not in files:
                errors.setdefault(kind, []).append(f"Приложите документ: {FileKind(kind).label.lower()}")
    for kind, upload in files.items():
        if kind not in FileKind.values:
            errors.setdefault(kind, []).append("Неизвестный вид документа")
            continue
        try:
            checked[kind] = uploads.check_upload(upload, accept=uploads.EVIDENCE, label=FileKind(kind).label)
        except uploads.UploadRefused as exc:
            errors.setdefault(kind, []).extend(exc.messages)
    if errors:
        raise InvalidInput(errors)
    return checked


# Wrap a whole action (its outermost transaction included): files stored during it are removed
# when it fails, also after the service that stored them has returned (common.uploads.storage).


def _store_files(*, application, checked: dict, actor) -> list:
    """Store the checked uploads as the current documents of their kinds, under server-made names
    (models.application_file_upload_to). Returns the stored files, for `_remove`."""
    stored = []
    try:
        for kind, item in checked.items():
            RmaApplicationFile.objects.filter(application=application, kind=kind, is_current=True).update(
                is_current=False
            )
            record = RmaApplicationFile(
                application=application,
                kind=kind,
                original_name=item.name,
                content_type=item.content_type,
                extension=item.extension,
                size=item.size,
                sha256=item.sha256,
                uploaded_by=actor,
            )
            upload_storage.store(record.file, item.data)
            stored.append(record.file)
            record.save()
    except BaseException:
        _remove(stored)
        raise
    return stored


def _remove(stored) -> None:
    for field_file in stored:
        upload_storage.remove(field_file.storage, field_file.name)


# --- submission and the formal check ---------------------------------------------------------------


@flowkit.step_atomic
def application_submit(
    *,
    actor,
    person,
    subjects,
    files: Mapping[str, object] | None,
    on_date: dt.date | None = None,
) -> RmaApplication:
    """A teacher applies for themselves, or a school head / municipal coordinator nominates a
    teacher of their scope. The formal check runs at once: refused → REJECTED with reasons and a
    уведомление об отказе (issued after commit); eligible → ELIGIBLE (document verification next)."""
    if not permissions.can_submit_for(actor, person):
        raise ActionForbidden("Подать заявку за этого педагога вы не можете")
    subjects = list(subjects or [])
    if not subjects:
        raise InvalidInput({"subjects": ["Укажите хотя бы один предмет (направление)"]})
    checked = _checked_files(files, required=True)
    if RmaApplication.objects.filter(person=person, status__in=MEMBER_STATUSES).exists():
        raise ActionRefused(f"{person.full_name} уже состоит в региональном методическом активе")
    existing = RmaApplication.objects.filter(person=person, status__in=OPEN_STATUSES).first()
    if existing is not None:
        raise ActionRefused(f"У педагога уже есть незавершённая заявка № {existing.pk}: дождитесь решения по ней")
    kind = ApplicationKind.APPLICATION if access.own_person_id(actor) == person.pk else ApplicationKind.NOMINATION
    application = RmaApplication(
        person=person,
        kind=kind,
        submitted_by=actor,
        check_date=on_date or _today(person.organization.region),
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:  # a second submission for the same person won the race
        raise ActionRefused("У педагога уже есть незавершённая заявка: дождитесь решения по ней") from exc
    application.subjects.set(subjects)
    stored = _store_files(application=application, checked=checked, actor=actor)
    try:
        record_event(
            actor=actor,
            obj=application,
            event=RmaEvent.SUBMITTED if kind == ApplicationKind.APPLICATION else RmaEvent.NOMINATED,
            to_state=application.status,
            comment=application.get_kind_display(),
            data={"person_id": person.pk, "subjects": [s.pk for s in subjects]},
        )
        return _formal_check(actor=actor, application=application)
    except BaseException:
        _remove(stored)
        raise


def _formal_check(*, actor, application) -> RmaApplication:
    """SUBMITTED → ELIGIBLE or REJECTED by rules.formal_check on the application's check date."""
    criteria = _region_settings(application).criteria
    refusals = rules.formal_check(application.person, application.check_date, criteria)
    application.refusals = [{"code": r.code, "message": r.message} for r in refusals]
    if refusals:
        fire(
            application,
            "refuse",
            actor=actor,
            event=RmaEvent.REFUSED,
            comment="; ".join(r.message for r in refusals),
            data={"codes": [r.code for r in refusals], "check_date": application.check_date.isoformat()},
            check_permission=False,
        )
        _issue_refusal_notice(application=application, actor=actor)
    else:
        fire(
            application,
            "pass_formal_check",
            actor=actor,
            event=RmaEvent.FORMAL_CHECK_PASSED,
            data={"check_date": application.check_date.isoformat()},
            check_permission=False,
        )
    return application


def _issue_refusal_notice(*, application, actor) -> None:
    try:
        issuer = rma_documents.regional_organization(
            application.person.organization.region_id, OrganizationKind.CNPPMPR
        )
    except rma_documents.IssuerMissing:
        logger.warning("no ЦНППМПР in the region of application %s: no уведомление об отказе", application.pk)
        return
    document_issue_later(
        kind=rma_documents.REFUSAL_KIND,
        issuing_organization=issuer,
        artefact=application,
        context=rma_documents.refusal_context(application=application),
        signatory=None,
        issued_on=_today(application.person.organization.region),
        actor=actor,
        person=application.person,
    )


# --- the справка о соответствии критериям, on request ----------------------------------------------


def criteria_statement_document(statement) -> IssuedDocument | None:
    """The справка issued for the request, or None while the worker has not issued it."""
    return IssuedDocument.objects.filter(
        artefact_type=ContentType.objects.get_for_model(RmaCriteriaStatement),
        artefact_id=str(statement.pk),
        kind=rma_documents.CRITERIA_KIND,
        superseded_at__isnull=True,
    ).first()


def criteria_statement_refusal(application) -> str:
    """Why a справка о соответствии критериям cannot be issued for the application ("" when it
    can): only after a passed formal check, in a region that checks at least one criterion."""
    if not rules.passed_formal_check(application):
        if (application.override_reason or "").strip():
            return "Кандидат допущен вопреки критериям: справка о соответствии критериям не выдаётся"
        return "Справка о соответствии критериям выдаётся только по заявке, прошедшей формальную проверку"
    if not rules.checks_any(_region_settings(application).criteria):
        return (
            "В регионе критерии включения в РМА не проверяются (допуск по результатам оценки): "
            "справку выдать не о чем"
        )
    return ""


@flowkit.step_atomic
def criteria_statement_request(*, actor, application) -> tuple[RmaCriteriaStatement, IssuedDocument | None]:
    """The applicant, their school head or the municipal coordinator asks for a справка о
    соответствии критериям: the ЦНППМПР issues it (in the worker) on the application's check date,
    with what the person has for each criterion the region checks. One per application and date:
    asking again returns the same request and, once issued, the same document; while it is not
    issued yet (or the worker failed), asking again queues it again. Returns (request, document or
    None)."""
    application = _locked(application)
    if not permissions.can_request_criteria_statement(application, actor):
        raise ActionForbidden()
    refusal = criteria_statement_refusal(application)
    if refusal:
        raise ActionRefused(refusal)
    criteria = _region_settings(application).criteria
    on_date = application.check_date
    failed = rules.formal_check(application.person, on_date, criteria)
    if failed:  # the person's record changed since the check: a справка must not say otherwise
        raise ActionRefused(
            f"По сведениям о педагоге на {on_date:%d.%m.%Y} критерии не выполнены: "
            + "; ".join(r.message for r in failed)
        )
    statement, _ = RmaCriteriaStatement.objects.get_or_create(
        application=application, on_date=on_date, defaults={"requested_by": actor}
    )
    document = criteria_statement_document(statement)
    if document is not None:
        return statement, document
    _issue_criteria_statement(statement=statement, application=application, criteria=criteria, actor=actor)
    record_event(
        actor=actor,
        obj=application,
        event=RmaEvent.CRITERIA_STATEMENT_REQUESTED,
        comment=f"сведения на {on_date:%d.%m.%Y}",
        data={"statement_id": statement.pk, "on_date": on_date.isoformat()},
    )
    return statement, None


def _issue_criteria_statement(*, statement, application, criteria, actor) -> None:
    region = application.person.organization.region
    try:
        issuer = rma_documents.regional_organization(region.pk, OrganizationKind.CNPPMPR)
    except rma_documents.IssuerMissing as exc:
        raise ActionRefused(str(exc)) from exc
    document_issue_later(
        kind=rma_documents.CRITERIA_KIND,
        issuing_organization=issuer,
        artefact=statement,
        context=rma_documents.criteria_statement_context(
            application=application, on_date=statement.on_date, criteria=criteria
        ),
        signatory=None,
        issued_on=_today(region),
        actor=actor,
        person=application.person,
    )


@flowkit.step_atomic
def document_requeue(*, actor, application, kind: str, comment: str = "", statement_id=None) -> RmaApplication:
    """The ЦНППМПР coordinator issues again a справка the worker could not issue: its data are
    built anew from the application as it is now and the job is queued after the commit; the
    history records who asked. A справка the application no longer calls for is refused."""
    application = _locked(application)
    if not permissions.can_include(application, actor):
        raise ActionForbidden()
    if kind == rma_documents.REFUSAL_KIND and application.status == Status.REJECTED:
        _issue_refusal_notice(application=application, actor=actor)
    elif (
        kind == rma_documents.CERTIFICATE_KIND
        and application.status in MEMBER_STATUSES
        and application.rma_list_id
        and application.rma_list.order_id
    ):
        order = application.rma_list.order
        document_issue_later(
            kind=rma_documents.CERTIFICATE_KIND,
            issuing_organization=rma_documents.regional_organization(
                application.person.organization.region_id, OrganizationKind.CNPPMPR
            ),
            artefact=application,
            context=rma_documents.certificate_context(application=application, order=order),
            signatory=None,
            issued_on=order.issued_on,
            actor=actor,
            person=application.person,
        )
    elif kind == rma_documents.CRITERIA_KIND and (
        statement := application.criteria_statements.filter(pk=statement_id).first()
    ):
        if criteria_statement_document(statement) is None:
            _issue_criteria_statement(
                statement=statement,
                application=application,
                criteria=_region_settings(application).criteria,
                actor=actor,
            )
    else:
        raise ActionRefused(
            f"Справку выпустить нельзя: статус заявки «{application.get_status_display()}» её не предполагает"
        )
    record_event(
        actor=actor,
        obj=application,
        event=RmaEvent.DOCUMENT_REQUEUED,
        comment=(comment or "").strip(),
        data={"kind": kind},
    )
    return application


@flowkit.step_atomic
def application_override(*, actor, application, reason: str) -> RmaApplication:
    """A coordinator admits a refused candidate to the next steps, with a written reason (shown
    on the application, the list and the register)."""
    application = _locked(application)
    reason = _reason(reason, "основание допуска вопреки формальным критериям")
    other = RmaApplication.objects.filter(person_id=application.person_id, status__in=OPEN_STATUSES).exclude(
        pk=application.pk
    )
    if other.exists():
        raise ActionRefused("У педагога есть другая незавершённая заявка: допуск по этой невозможен")
    application.override_reason = reason
    application.overridden_by = actor
    application.overridden_at = timezone.now()
    fire(
        application,
        "override",
        actor=actor,
        event=RmaEvent.OVERRIDDEN,
        comment=reason,
        data={"refusals": application.refusals},
    )
    _supersede_refusal_notice(application=application, actor=actor, reason=reason)
    return application


def _supersede_refusal_notice(*, application, actor, reason: str) -> None:
    """The refusal no longer stands: its справка (уведомление) stops being the document in force
    (kept in the archive, marked superseded), in the override's transaction, and the history
    says so."""
    notices = IssuedDocument.objects.filter(
        artefact_type=ContentType.objects.get_for_model(RmaApplication),
        artefact_id=str(application.pk),
        kind=rma_documents.REFUSAL_KIND,
        superseded_at__isnull=True,
    )
    numbers = [number or "б/н" for number in notices.values_list("number", flat=True)]
    if not numbers:
        return
    notices.update(superseded_at=timezone.now())
    record_event(
        actor=actor,
        obj=application,
        event=RmaEvent.REFUSAL_SUPERSEDED,
        comment=f"Уведомление об отказе № {', '.join(numbers)} утратило силу: допуск вопреки критериям ({reason})",
        data={"numbers": numbers},
    )


def _locked(application) -> RmaApplication:
    """The application re-read under a row lock, with what the checks need."""
    return (
        RmaApplication.objects.select_for_update(of=("self",))
        .select_related("person__organization__region", "person__organization__municipality", "rma_list")
        .get(pk=application.pk)
    )


# --- document verification and corrections ---------------------------------------------------------


@flowkit.step_atomic
def application_verify(*, actor, application, comment: str = "") -> RmaApplication:
    application = _locked(application)
    return fire(application, "verify", actor=actor, event=RmaEvent.VERIFIED, comment=(comment or "").strip())


@flowkit.step_atomic
def application_return(*, actor, application, comment: str, due_date: dt.date | None = None) -> RmaApplication:
    """Back to the applicant with remarks and, optionally, a due date (else the regulation's)."""
    application = _locked(application)
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput({"comment": ["Напишите, что нужно исправить"]})
    today = _today(application.person.organization.region)
    if due_date is not None and due_date <= today:
        raise InvalidInput({"due_date": ["Срок доработки должен быть позже сегодняшнего дня"]})
    application.return_comment = comment
    application.correction_due = due_date
    return fire(
        application,
        "return_for_corrections",
        actor=actor,
        event=RmaEvent.RETURNED,
        comment=comment,
        data={"due_date": due_date.isoformat() if due_date else None},
    )


@flowkit.step_atomic
def application_resubmit(*, actor, application, subjects=None, files=None, comment: str = "") -> RmaApplication:
    """The corrected application goes back through the formal check (on today's date)."""
    application = _locked(application)
    checked = _checked_files(files, required=False)
    if not permissions.can_correct(application, actor):
        raise ActionForbidden()
    if subjects is not None:
        subjects = list(subjects)
        if not subjects:
            raise InvalidInput({"subjects": ["Укажите хотя бы один предмет (направление)"]})
        application.subjects.set(subjects)
    stored = _store_files(application=application, checked=checked, actor=actor)
    try:
        application.check_date = _today(application.person.organization.region)
        fire(
            application,
            "resubmit",
            actor=actor,
            event=RmaEvent.RESUBMITTED,
            comment=(comment or "").strip(),
            data={"replaced_files": sorted(checked)},
        )
        return _formal_check(actor=actor, application=application)
    except BaseException:
        _remove(stored)
        raise


@flowkit.step_atomic
def application_withdraw(*, actor, application, reason: str = "") -> RmaApplication:
    application = _locked(application)
    return fire(application, "withdraw", actor=actor, event=RmaEvent.WITHDRAWN, comment=(reason or "").strip())


# --- assessment and inclusion ----------------------------------------------------------------------


@flowkit.step_atomic
def application_assess(
    *, actor, application, subject_score, methodical_score, assessed_on: dt.date, reference: str = ""
) -> RmaApplication:
    """ЦОПМКП's result: passed when both scores reach the region's pass marks (kept on the
    application as they were on that day)."""
    application = _locked(application)
    region_settings = _region_settings(application)
    marks = region_settings.pass_marks
    if marks.missing:
        raise ActionRefused(rules.pass_marks_missing_message(marks, application.person.organization.region.name))
    today = _today(application.person.organization.region)
    if assessed_on is None:
        raise InvalidInput({"assessed_on": ["Укажите дату оценки"]})
    if assessed_on > today:
        raise InvalidInput({"assessed_on": [f"Дата оценки не может быть позже сегодняшнего дня ({today:%d.%m.%Y})"]})
    application.subject_score = subject_score
    application.methodical_score = methodical_score
    application.subject_pass_mark = marks.subject
    application.methodical_pass_mark = marks.methodical
    application.assessed_on = assessed_on
    application.assessment_reference = (reference or "").strip()
    failures = rules.assessment_check(subject_score, methodical_score, marks)
    data = {
        "subject_score": str(subject_score),
        "methodical_score": str(methodical_score),
        "pass_marks": [str(marks.subject), str(marks.methodical)],
    }
    if failures:
        return fire(
            application,
            "fail_assessment",
            actor=actor,
            event=RmaEvent.ASSESSMENT_FAILED,
            comment="; ".join(f.message for f in failures),
            data=data,
        )
    if region_settings.require_methodical_training and not rules.has_training_certificate(application):
        return fire(
            application,
            "require_training",
            actor=actor,
            event=RmaEvent.TRAINING_REQUIRED,
            comment="Оценка пройдена; в регионе в РМА включаются прошедшие повышение квалификации в области "
            "методической поддержки (003:L763): загрузите удостоверение",
            data=data,
        )
    return fire(application, "pass_assessment", actor=actor, event=RmaEvent.ASSESSMENT_PASSED, data=data)


@flowkit.step_atomic
def application_training_upload(*, actor, application, certificate) -> RmaApplication:
    """«Требуется ПК» → QUALIFIED: the certificate of the course in methodical support is checked by
    its content (common.uploads), stored as the application's current file of that kind, and the
    candidate goes on to the draft list."""
    application = _locked(application)
    if not permissions.can_correct(application, actor):
        raise ActionForbidden()
    if not certificate:
        raise InvalidInput({FileKind.METHODICAL_TRAINING: ["Приложите удостоверение о повышении квалификации"]})
    checked = _checked_files({FileKind.METHODICAL_TRAINING: certificate}, required=False)
    stored = _store_files(application=application, checked=checked, actor=actor)
    try:
        return fire(
            application,
            "confirm_training",
            actor=actor,
            event=RmaEvent.TRAINING_CONFIRMED,
            comment=checked[FileKind.METHODICAL_TRAINING].name,
        )
    except BaseException:
        _remove(stored)
        raise


def _draft_list(region) -> tuple[RmaList, bool]:
    """The region's open draft list, locked; created when there is none (the partial unique
    constraint settles two coordinators opening one at the same moment)."""
    for _ in range(2):
        rma_list = RmaList.objects.select_for_update().filter(region=region, status=ListStatus.DRAFT).first()
        if rma_list is not None:
            return rma_list, False
        try:
            with transaction.atomic():
                rma_list = RmaList.objects.create(region=region, academic_year=rules.academic_year(_today(region)))
        except IntegrityError:
            continue
        record_event(actor=None, obj=rma_list, event=RmaEvent.LIST_OPENED, to_state=rma_list.status)
        return rma_list, True
    raise ActionRefused("Не удалось открыть проект списка: повторите действие")


@flowkit.step_atomic
def application_include(*, actor, application) -> tuple[RmaApplication, RmaList, bool]:
    """ЦНППМПР puts the candidate on the region's draft list. Returns (application, list, whether
    the list was opened by this inclusion — the flow then starts the list's approval)."""
    application = _locked(application)
    if not can_proceed(application.include):
        raise ActionRefused(f"Включить в список нельзя: статус «{application.get_status_display()}»")
    if not has_transition_perm(application.include, actor):
        raise ActionForbidden()
    rma_list, created = _draft_list(application.person.organization.region)
    application.rma_list = rma_list
    fire(application, "include", actor=actor, event=RmaEvent.INCLUDED, data={"rma_list_id": rma_list.pk})
    return application, rma_list, created


# --- the list: prepared by the ministry officer, approved by the signatory --------------------------


def _locked_list(rma_list) -> RmaList:
    return RmaList.objects.select_for_update().select_related("region").get(pk=rma_list.pk)


@flowkit.step_atomic
def list_send_to_signing(*, actor, rma_list, academic_year: str, basis: str = "") -> RmaList:
    rma_list = _locked_list(rma_list)
    academic_year = (academic_year or "").strip()
    if not academic_year:
        raise InvalidInput({"academic_year": ["Укажите учебный год"]})
    rma_list.academic_year = academic_year
    rma_list.basis = (basis or "").strip()
    count = rma_list.applications.filter(status=Status.IN_DRAFT_LIST).count()
    return fire(
        rma_list,
        "send_to_signing",
        actor=actor,
        event=RmaEvent.LIST_SENT_TO_SIGNING,
        comment=f"кандидатов в списке: {count}",
        data={"members": count},
    )


@flowkit.step_atomic
def list_return(*, actor, rma_list, comment: str) -> RmaList:
    rma_list = _locked_list(rma_list)
    comment = (comment or "").strip()
    if not comment:
        raise InvalidInput({"comment": ["Напишите замечания к проекту приказа"]})
    rma_list.return_comment = comment
    return fire(rma_list, "return_to_revision", actor=actor, event=RmaEvent.LIST_RETURNED, comment=comment)


def list_preview(*, rma_list, academic_year: str | None = None, basis: str | None = None) -> bytes:
    """The draft приказ as it would be signed, «____» for the number (takes no number)."""
    from documents.issuing import document_preview

    rma_list = RmaList.objects.select_related("region").get(pk=rma_list.pk)
    if academic_year is not None:
        rma_list.academic_year = academic_year
    if basis is not None:
        rma_list.basis = basis
    on_date = _today(rma_list.region)
    applications = _list_members(rma_list, status=(Status.IN_DRAFT_LIST,))
    try:
        return document_preview(
            kind=rma_documents.LIST_ORDER_KIND,
            issuing_organization=rma_documents.regional_organization(rma_list.region_id, OrganizationKind.MINISTRY),
            context=rma_documents.list_order_context(rma_list=rma_list, applications=applications, on_date=on_date),
            issued_on=on_date,
        )
    except (DocumentError, rma_documents.IssuerMissing) as exc:
        raise ActionRefused(str(exc)) from exc


def _list_members(rma_list, *, status) -> list[RmaApplication]:
    return list(
        rma_list.applications.filter(status__in=status)
        .select_related("person__organization__municipality", "person__organization__region")
        .prefetch_related("subjects")
        .order_by("id")
    )


@flowkit.step_atomic
def list_approve(*, actor, rma_list, issued_on: dt.date | None = None) -> RmaList:
    """One transaction for the whole batch: the приказ (DOC-1) is numbered in the ministry's
    register, every application on the list becomes ADMITTED, one audit event each; the справки
    (DOC-4) are queued for after the commit. If the приказ cannot be rendered, nothing changes and
    no number is taken (documents.issuing renders before it locks the register)."""
    rma_list = _locked_list(rma_list)
    if not can_proceed(rma_list.approve):
        raise ActionRefused(f"Утвердить список нельзя: статус «{rma_list.get_status_display()}»")
    if not has_transition_perm(rma_list.approve, actor):
        raise ActionForbidden()
    region = rma_list.region
    issued_on = issued_on or _today(region)
    candidates = _list_members(rma_list, status=(Status.IN_DRAFT_LIST,))
    held = dict(_lapsed_on(candidates, issued_on))
    applications = [application for application in candidates if application.pk not in held]
    if not applications:
        raise ActionRefused(
            f"На дату приказа {issued_on:%d.%m.%Y} ни один кандидат списка не соответствует критериям: "
            "приказ не сформирован, список не утверждён"
        )
    for application in candidates:
        if application.pk in held:
            _hold_back(actor=actor, application=application, refusals=held[application.pk], on_date=issued_on)
    try:
        ministry = rma_documents.regional_organization(region.pk, OrganizationKind.MINISTRY)
        issuer_of_certificates = rma_documents.regional_organization(region.pk, OrganizationKind.CNPPMPR)
        order = document_issue(
            kind=rma_documents.LIST_ORDER_KIND,
            issuing_organization=ministry,
            artefact=rma_list,
            context=rma_documents.list_order_context(rma_list=rma_list, applications=applications, on_date=issued_on),
            signatory=None,
            issued_on=issued_on,
            actor=actor,
            listed=[application.person_id for application in applications],
        )
    except (DocumentError, rma_documents.IssuerMissing) as exc:
        raise ActionRefused(f"Приказ не сформирован, список не утверждён: {exc}") from exc

    rma_list.order = order
    rma_list.order_number = order.number
    rma_list.order_date = order.issued_on
    rma_list.approved_by = actor
    fire(
        rma_list,
        "approve",
        actor=actor,
        event=RmaEvent.LIST_APPROVED,
        comment=f"Приказ от {order.issued_on:%d.%m.%Y} № {order.number}; членов РМА: {len(applications)}",
        data={"order_id": order.pk, "order_number": order.number, "members": len(applications)},
    )
    _admit_all(actor=actor, rma_list=rma_list, applications=applications, order=order)
    for application in applications:
        document_issue_later(
            kind=rma_documents.CERTIFICATE_KIND,
            issuing_organization=issuer_of_certificates,
            artefact=application,
            context=rma_documents.certificate_context(application=application, order=order),
            signatory=None,
            issued_on=issued_on,
            actor=actor,
            person=application.person,
        )
    return rma_list


def _lapsed_on(applications, on_date: dt.date):
    """(application id, refusals) of the candidates who no longer meet the formal criteria on the
    приказ date (the region's reading of them)."""
    settings_by_region = {}
    for application in applications:
        region_id = application.person.organization.region_id
        if region_id not in settings_by_region:
            settings_by_region[region_id] = RmaRegionSettings.for_region(region_id)
        refusals = rules.formal_check(application.person, on_date, settings_by_region[region_id].criteria)
        if refusals:
            yield application.pk, refusals


def list_held_back(*, rma_list, on_date: dt.date | None = None) -> list[tuple[RmaApplication, list]]:
    """Who would be held back if the list were signed on `on_date` (today in the region), and
    why — for the signatory's page, before signing. Reads only."""
    rma_list = RmaList.objects.select_related("region").get(pk=rma_list.pk)
    candidates = _list_members(rma_list, status=(Status.IN_DRAFT_LIST,))
    held = dict(_lapsed_on(candidates, on_date or _today(rma_list.region)))
    return [(application, held[application.pk]) for application in candidates if application.pk in held]


def _hold_back(*, actor, application, refusals, on_date: dt.date) -> None:
    application.refusals = [{"code": r.code, "message": r.message} for r in refusals]
    application.check_date = on_date
    fire(
        application,
        "hold_back",
        actor=actor,
        event=RmaEvent.HELD_BACK,
        comment="; ".join(r.message for r in refusals),
        data={
            "codes": [r.code for r in refusals],
            "check_date": on_date.isoformat(),
            "rma_list_id": application.rma_list_id,
        },
    )


@flowkit.step_atomic
def list_remove_candidate(*, actor, application, reason: str) -> RmaApplication:
    """Take a candidate off the draft list before the приказ is signed, with a written reason
    (audited on the application and on the list)."""
    application = _locked(application)
    application.removal_reason = _reason(reason, "основание исключения из проекта списка")
    rma_list = application.rma_list
    fire(
        application,
        "remove_from_list",
        actor=actor,
        event=RmaEvent.REMOVED_FROM_LIST,
        comment=application.removal_reason,
        data={"rma_list_id": rma_list.pk if rma_list else None},
        refused_message="Исключить из проекта списка можно только до подписания приказа",
    )
    if rma_list is not None:
        record_event(
            actor=actor,
            obj=rma_list,
            event=RmaEvent.REMOVED_FROM_LIST,
            comment=f"{application.person.full_name}: {application.removal_reason}",
            data={"application_id": application.pk},
        )
    return application


def _admit_all(*, actor, rma_list, applications, order) -> None:
    """IN_DRAFT_LIST → ADMITTED for the batch: each transition is checked by the FSM in memory
    (source, conditions, the signatory's role), then one conditional UPDATE moves them all; if any
    application changed meanwhile, the whole approval rolls back."""
    now = timezone.now()
    for application in applications:
        application.rma_list = rma_list
        if not can_proceed(application.admit):
            raise ActionRefused(f"Заявка № {application.pk} не может быть утверждена в составе списка")
        if not has_transition_perm(application.admit, actor):
            raise ActionForbidden()
        application.admit()
        application.admitted_on = order.issued_on
    ids = [application.pk for application in applications]
    moved = RmaApplication.objects.filter(pk__in=ids, status=Status.IN_DRAFT_LIST, rma_list=rma_list).update(
        status=Status.ADMITTED, admitted_on=order.issued_on, updated_at=now
    )
    if moved != len(ids):
        raise ActionRefused("Состав списка изменился во время утверждения: повторите действие")
    comment = f"Приказ от {order.issued_on:%d.%m.%Y} № {order.number}"
    for application in applications:
        role = _grant_member_role(application=application, actor=actor, basis=f"{comment} о включении в РМА")
        record_event(
            actor=actor,
            obj=application,
            event=RmaEvent.ADMITTED,
            from_state=Status.IN_DRAFT_LIST,
            to_state=Status.ADMITTED,
            comment=comment,
            data={"rma_list_id": rma_list.pk, "order_id": order.pk, "membership_id": role},
        )


# --- the register and the role «Член РМА» in step -----------------------------------------------------


def _grant_member_role(*, application, actor, basis: str) -> int | None:
    """Admission makes the teacher an РМА member in orgstructure: Membership(RMA_MEMBER) at their
    school, carrying the application's subjects (ИОМ and IND-08 read them from there). A teacher
    without an account gets the role when the account is linked (member_roles_sync). Returns the
    membership's id, or None."""
    person = application.person
    if person.user_id is None:
        return None
    membership = memberships.grant(
        user=person.user,
        role=Role.RMA_MEMBER,
        organization=person.organization,
        actor=actor,
        basis=basis,
        subjects=application.subjects.all(),
    )
    return membership.pk


def _revoke_member_role(*, application, actor, basis: str) -> list[int]:
    person = application.person
    if person.user_id is None:
        return []
    return [m.pk for m in memberships.revoke(user=person.user, role=Role.RMA_MEMBER, actor=actor, basis=basis)]


@transaction.atomic
def member_roles_sync(*, actor=None) -> dict[str, int]:
    """Bring the role in line with the register: every current member with an account holds
    RMA_MEMBER at their school; an account that holds it while its person is in no register of
    the asset loses it. Idempotent; run after accounts are linked to teachers (staff import) and
    by the nightly scan."""
    granted = revoked = 0
    members = (
        RmaApplication.objects.filter(status__in=MEMBER_STATUSES, person__user__isnull=False)
        .select_related("person__user", "person__organization")
        .prefetch_related("subjects")
    )
    held = set(memberships.holders(Role.RMA_MEMBER).values_list("user_id", "organization_id"))
    member_users = set()
    for application in members:
        person = application.person
        member_users.add(person.user_id)
        if (person.user_id, person.organization_id) not in held:
            _grant_member_role(application=application, actor=actor, basis="Включена в РМА (сверка с реестром)")
            granted += 1
    for membership in memberships.holders(Role.RMA_MEMBER).exclude(user_id__in=member_users):
        memberships.revoke(
            user=membership.user, role=Role.RMA_MEMBER, actor=actor, basis="Нет в списке РМА (сверка с реестром)"
        )
        revoked += 1
    return {"granted": granted, "revoked": revoked}


# --- membership re-check when a category lapses ------------------------------------------------------


@flowkit.step_atomic
def membership_flag(*, application, on_date: dt.date) -> RmaApplication | None:
    """The nightly scan: re-run the criteria on `on_date`; a member who no longer meets them is
    flagged for the coordinator (ADMITTED → UNDER_REVIEW). Returns None when nothing changed."""
    application = _locked(application)
    if application.status != Status.ADMITTED:
        return None
    refusals = rules.formal_check(application.person, on_date, _region_settings(application).criteria)
    if not refusals:
        return None
    application.refusals = [{"code": r.code, "message": r.message} for r in refusals]
    application.check_date = on_date
    return fire(
        application,
        "flag_lapsed",
        actor=None,
        event=RmaEvent.FLAGGED,
        comment="; ".join(r.message for r in refusals),
        data={"codes": [r.code for r in refusals]},
        check_permission=False,
    )


@flowkit.step_atomic
def membership_confirm(*, actor, application, comment: str = "") -> RmaApplication:
    application = _locked(application)
    on_date = _today(application.person.organization.region)
    refusals = rules.formal_check(application.person, on_date, _region_settings(application).criteria)
    if refusals:
        raise ActionRefused("Членство подтвердить нельзя: " + "; ".join(r.message for r in refusals))
    application.refusals = []
    application.check_date = on_date
    return fire(
        application,
        "confirm_membership",
        actor=actor,
        event=RmaEvent.MEMBERSHIP_CONFIRMED,
        comment=(comment or "").strip(),
    )


@flowkit.step_atomic
def membership_exclude(*, actor, application, reason: str) -> RmaApplication:
    application = _locked(application)
    application.excluded_reason = _reason(reason, "основание исключения")
    fire(application, "exclude", actor=actor, event=RmaEvent.EXCLUDED, comment=application.excluded_reason)
    _revoke_member_role(application=application, actor=actor, basis=f"Исключена из РМА: {application.excluded_reason}")
    return application


# --- an official's step in a flow ---------------------------------------------------------------------


# --- the протокол (ведомость) результатов оценки по кандидатам ---------------------------------------


def _assessed_in(region_id, date_from: dt.date, date_to: dt.date):
    return (
        RmaApplication.objects.filter(
            person__organization__region_id=region_id,
            assessed_on__range=(date_from, date_to),
            subject_score__isnull=False,
            methodical_score__isnull=False,
        )
        .select_related("person__organization__municipality")
        .prefetch_related("subjects")
        .order_by("assessed_on", "person__last_name", "person__first_name", "id")
    )


def assessment_protocol_document(protocol) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(
        artefact_type=ContentType.objects.get_for_model(RmaAssessmentProtocol),
        artefact_id=str(protocol.pk),
        kind=rma_documents.PROTOCOL_KIND,
        superseded_at__isnull=True,
    ).first()


@transaction.atomic
def assessment_protocol_issue(*, actor, region, date_from: dt.date, date_to: dt.date | None = None) -> IssuedDocument:
    """ЦОПМКП issues the ведомость результатов оценки for the candidates of the region assessed
    from `date_from` to `date_to` (one day by default): numbered in ЦОПМКП's register, and each
    application's «протокол (ведомость) оценки» points to it where it was empty (audited). The
    same period again gives the same ведомость; when results were entered for the period since,
    it is issued anew under a new number (the old one superseded, the references moved on)."""
    date_to = date_to or date_from
    if not permissions.can_issue_assessment_protocol(region.pk, actor):
        raise ActionForbidden()
    if date_from is None:
        raise InvalidInput({"date_from": ["Укажите дату оценки"]})
    if date_to < date_from:
        raise InvalidInput({"date_to": ["Конец периода не может быть раньше его начала"]})
    today = _today(region)
    if date_to > today:
        raise InvalidInput({"date_to": [f"Период не может заканчиваться позже сегодняшнего дня ({today:%d.%m.%Y})"]})
    protocol, _ = RmaAssessmentProtocol.objects.select_for_update().get_or_create(
        region=region, date_from=date_from, date_to=date_to, defaults={"issued_by": actor}
    )
    applications = list(_assessed_in(region.pk, date_from, date_to))
    if not applications:
        raise ActionRefused(f"За {protocol.period_text} результатов оценки кандидатов в РМА нет: ведомость не выпущена")
    context = rma_documents.assessment_protocol_context(protocol=protocol, applications=applications)
    current = assessment_protocol_document(protocol)
    ids = sorted(application.pk for application in applications)
    try:
        if current is not None and sorted(row["application_id"] for row in current.data["candidates"]) == ids:
            return current
        if current is not None:
            document = document_reissue(
                document=current,
                reason="В ведомость добавлены результаты оценки, внесённые после её выпуска",
                actor=actor,
                context=context,
                issued_on=today,
            )
        else:
            document = document_issue(
                kind=rma_documents.PROTOCOL_KIND,
                issuing_organization=rma_documents.regional_organization(region.pk, OrganizationKind.COPMKP),
                artefact=protocol,
                context=context,
                signatory=None,
                issued_on=today,
                actor=actor,
            )
    except (DocumentError, rma_documents.IssuerMissing) as exc:
        raise ActionRefused(f"Ведомость не выпущена: {exc}") from exc
    _refer_to_protocol(actor=actor, applications=applications, document=document, replaced=current)
    return document


def protocol_reference(document) -> str:
    return f"Ведомость № {document.number} от {document.issued_on:%d.%m.%Y}"


def _refer_to_protocol(*, actor, applications, document, replaced) -> None:
    """Each application's «протокол (ведомость) оценки» names the ведомость where it was empty
    (or named the ведомость this one replaces); one audit event each."""
    reference = protocol_reference(document)
    stale = {"", protocol_reference(replaced)} if replaced is not None else {""}
    ids = [application.pk for application in applications if application.assessment_reference in stale]
    RmaApplication.objects.filter(pk__in=ids, assessment_reference__in=stale).update(
        assessment_reference=reference, updated_at=timezone.now()
    )
    for application in applications:
        if application.pk in ids:
            record_event(
                actor=actor,
                obj=application,
                event=RmaEvent.ASSESSMENT_REFERENCED,
                comment=reference,
                data={"document_id": document.pk},
            )
