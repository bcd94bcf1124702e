"""The monitoring services: each write one transaction, through `fire`."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from common.uploads import UploadRefused, check_upload
from common.uploads.storage import store
from workflows.core.audit import record_event
from workflows.core.flowkit import step_atomic
from workflows.core.indicators import Level, Unit, registered_indicators
from workflows.core.state import fire

from . import catalogue, rules
from .models import (
    Campaign,
    CampaignIndicator,
    CampaignRule,
    CampaignStatus,
    MonitoringEvent,
    Submission,
    SubmissionFile,
    SubmissionStatus,
    ValueKind,
    can_reopen,
    can_run_campaign,
    can_submit,
)

UNIT_KINDS = {Unit.SHARE: ValueKind.SHARE, Unit.COUNT: ValueKind.NUMBER, Unit.RATIO: ValueKind.NUMBER,
              Unit.FLAG: ValueKind.YES_NO}


def indicator_choices() -> list[tuple[str, str, bool]]:
    """(code, title, computed) of what a set may hold: the catalogue and the kit's registry."""
    registered = {ind.code: ind for ind in registered_indicators()}
    codes = sorted(set(catalogue.BY_CODE) | set(registered), key=_code_order)
    return [(code, (catalogue.BY_CODE[code].title if code in catalogue.BY_CODE else registered[code].name),
             code in registered and Level.ORGANIZATION in registered[code].levels) for code in codes]


def _code_order(code):
    digits = "".join(ch for ch in code if ch.isdigit())
    return (int(digits or 0), code)


@transaction.atomic
def campaign_create(*, actor, region, title, period_start, period_end, opens_on, codes, municipality=None,
                    targets=None) -> Campaign:
    """A campaign of a region or a municipality with its indicator set chosen from the catalogue
    and the registry (a registered indicator computable per school is marked computed), the
    catalogue's targets (IND-03 «не менее 30%», IND-06 «не менее 70%», 000:L217–220) unless
    `targets` gives others, and the cross-field rules whose both sides are in the set."""
    if not can_run_campaign(actor, region_id=region.pk, municipality_id=municipality.pk if municipality else None):
        raise ActionForbidden("Кампанию мониторинга проводят ЦНППМПР, министерство или орган управления "
                              "образованием муниципалитета")
    errors = {}
    if not (title or "").strip():
        errors["title"] = ["Укажите название кампании"]
    if period_end < period_start:
        errors["period_end"] = ["Окончание периода раньше его начала"]
    choices = {code: (name, computed) for code, name, computed in indicator_choices()}
    unknown = [code for code in codes if code not in choices]
    if unknown:
        errors["codes"] = [f"Нет в каталоге и реестре показателей: {', '.join(unknown)}"]
    if not codes:
        errors["codes"] = ["Выберите показатели мониторинга"]
    if errors:
        raise InvalidInput(errors)
    campaign = Campaign.objects.create(region=region, municipality=municipality, title=title.strip(),
                                       period_start=period_start, period_end=period_end, opens_on=opens_on,
                                       created_by=actor)
    registered = {ind.code: ind for ind in registered_indicators()}
    rows = []
    for position, code in enumerate(sorted(dict.fromkeys(codes), key=_code_order)):
        entry = catalogue.BY_CODE.get(code)
        name, computed = choices[code]
        kind = entry.kind if entry else UNIT_KINDS[registered[code].unit]
        target = (targets or {}).get(code, entry.target if entry else None)
        rows.append(CampaignIndicator(
            campaign=campaign, code=code, title=name, kind=kind, target=target,
            target_text=entry.target_text if entry and target == entry.target else "",
            source=entry.source if entry else registered[code].source, computed=computed, position=position,
        ))
    CampaignIndicator.objects.bulk_create(rows)
    chosen = set(codes)
    CampaignRule.objects.bulk_create(
        CampaignRule(campaign=campaign, left=rule.left, operator=rule.operator, right=rule.right, message=rule.message)
        for rule in catalogue.CROSS_RULES
        if {rule.left.split(".")[0], rule.right.split(".")[0]} <= chosen
    )
    return campaign


def validate_values(indicators, values: dict, *, computed=None, corrections=None, campaign_rules=()) -> dict:
    """Every error of a submission's values at once ({field: [messages]}, empty when valid):
    rules.value_errors, a computed value changed without a reason, the campaign's cross-field
    rules (these only where the values themselves are valid)."""
    errors = rules.value_errors(indicators, values)
    for field, messages in rules.correction_errors(indicators, values, computed or {}, corrections or {}).items():
        errors.setdefault(field, []).extend(messages)
    if not errors:
        errors.update(rules.cross_field_errors(indicators, values, campaign_rules))
    return errors


def previous_values(submission) -> dict:
    """The school's accepted values of last period's campaign of the same territory
    (analysis.previous_campaign), {} when there is none or it was not accepted."""
    from .analysis import previous_campaign

    earlier = previous_campaign(submission.campaign)
    if earlier is None:
        return {}
    row = (
        Submission.objects.filter(campaign=earlier, organization_id=submission.organization_id,
                                  status=SubmissionStatus.ACCEPTED)
        .values_list("values", flat=True)
        .first()
    )
    return row or {}


def jump_warnings(submission, values: dict, indicators=None) -> list[str]:
    from django.conf import settings

    indicators = indicators if indicators is not None else list(submission.campaign.indicators.all())
    return rules.jump_warnings(
        indicators, values, previous_values(submission),
        share_pp=Decimal(str(getattr(settings, "PROFROST_MONITORING_JUMP_PP", 20))),
        number_ratio=Decimal(str(getattr(settings, "PROFROST_MONITORING_JUMP_RATIO", "0.5"))),
    )


def _store_files(submission, values: dict, files: dict, indicators) -> dict:
    """Evidence files through common.uploads: each checked, stored under a server-made name and
    recorded; values[code] names the file. Returns the values."""
    kinds = {indicator.code: indicator for indicator in indicators if indicator.kind == ValueKind.FILE}
    values = dict(values)
    for code, upload in (files or {}).items():
        if upload is None:
            continue
        indicator = kinds.get(code)
        if indicator is None:
            raise InvalidInput({f"v_{code}": [f"{code}: у этого показателя нет файла-подтверждения"]})
        try:
            checked = check_upload(upload, label=f"{code}: файл-подтверждение")
        except UploadRefused as exc:
            raise InvalidInput({f"v_{code}": exc.messages}) from exc
        record = SubmissionFile(submission=submission, code=code, original_name=checked.name, sha256=checked.sha256)
        store(record.file, checked.data)
        record.save()
        values[code] = {"file": record.pk, "name": checked.name}
    for code in kinds:  # a file given earlier stays unless a new one replaces it
        if code not in (files or {}) and not values.get(code) and submission.values.get(code):
            values[code] = submission.values[code]
    return values


def _corrections(submission, indicators, values, corrections) -> dict:
    """The reasons kept: only for computed values the school has changed."""
    kept = {}
    for indicator in indicators:
        code = indicator.code
        if code in submission.computed and not rules.same(indicator, values.get(code), submission.computed[code]):
            reason = str((corrections or {}).get(code) or "").strip()
            if reason:
                kept[code] = reason
    return kept


def _open_deadline(submission):
    """(due instant, timezone) of the submission's open task, or (None, default)."""
    from django.contrib.contenttypes.models import ContentType

    from workflows.core.models import TaskDeadline

    row = (
        TaskDeadline.objects.filter(
            process__artifact_content_type=ContentType.objects.get_for_model(Submission),
            process__artifact_object_id=submission.pk, is_open=True,
        )
        .values_list("due_at", "timezone")
        .first()
    )
    return row if row is not None else (None, "Europe/Moscow")


def input_window_error(submission, now=None) -> str:
    """Why the school's form does not accept values now ("" when it does): it opens on the
    campaign's date and locks at the deadline, unless the methodist has reopened it until a date.
    Asked by the page and by every service that writes values (UI and API alike)."""
    from workflows.core.calendar import is_overdue, local_date

    now = now or timezone.now()
    due, tz = _open_deadline(submission)
    today = local_date(now, tz)
    campaign = submission.campaign
    if campaign.status != CampaignStatus.COLLECTING:
        return "Сбор данных по кампании не идёт"
    if today < campaign.opens_on:
        return f"Приём данных откроется {campaign.opens_on:%d.%m.%Y}"
    if submission.reopened_until is not None and today <= submission.reopened_until:
        return ""
    if due is not None and is_overdue(due, now):
        return (f"Срок представления данных истёк {local_date(due, tz):%d.%m.%Y}; форма закрыта. "
                "Открыть её повторно может методист муниципальной методической службы")
    return ""


def _check_window(submission):
    error = input_window_error(submission)
    if error:
        raise ActionRefused(error)


@transaction.atomic
def submission_save_draft(*, actor, submission: Submission, values: dict, files=None,
                          corrections=None) -> Submission:
    """Save what the school has so far, without validation (within the input window)."""
    submission = Submission.objects.select_for_update().select_related("campaign", "organization").get(
        pk=submission.pk)
    _check_window(submission)
    if submission.status not in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ActionRefused("Данные уже представлены")
    if not can_submit(submission, actor):
        raise ActionForbidden("Данные школы заполняет её руководитель")
    indicators = list(submission.campaign.indicators.all())
    submission.values = _store_files(submission, values, files, indicators)
    submission.corrections = _corrections(submission, indicators, submission.values, corrections)
    if submission.status == SubmissionStatus.RETURNED:
        # a returned form stays «returned» until it is submitted again (the control page counts it so)
        submission.save(update_fields=["values", "corrections"])
        record_event(actor=actor, obj=submission, event=MonitoringEvent.DRAFT_SAVED, from_state=submission.status,
                     to_state=submission.status)
        return submission
    return fire(submission, "save_draft", actor=actor, event=MonitoringEvent.DRAFT_SAVED)


@transaction.atomic
def submission_attach(*, actor, submission: Submission, code: str, upload) -> Submission:
    """An evidence file for one indicator (the API's upload; the form sends files with its
    values), within the input window and before the data are submitted."""
    submission = Submission.objects.select_for_update().select_related("campaign", "organization").get(
        pk=submission.pk)
    if not can_submit(submission, actor):
        raise ActionForbidden("Файлы прикладывает руководитель школы")
    _check_window(submission)
    if submission.status not in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ActionRefused("Данные уже представлены")
    submission.values = _store_files(submission, submission.values, {code: upload},
                                     list(submission.campaign.indicators.all()))
    submission.save(update_fields=["values"])
    record_event(actor=actor, obj=submission, event=MonitoringEvent.FILE_ATTACHED, from_state=submission.status,
                 to_state=submission.status, data={"code": code, "name": submission.values[code]["name"]})
    return submission


@transaction.atomic
def submission_reopen(*, actor, submission: Submission, until, reason: str) -> Submission:
    """The municipal methodist reopens one school's locked form until a date, with a reason
    (audited)."""
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Укажите причину повторного открытия"]})
    submission = Submission.objects.select_for_update().select_related("campaign", "organization").get(
        pk=submission.pk)
    if not can_reopen(submission, actor):
        raise ActionForbidden()
    if until is None or until < timezone.localdate():
        raise InvalidInput({"until": ["Укажите дату не раньше сегодняшней"]})
    if submission.status not in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ActionRefused("Данные школы уже представлены")
    submission.reopened_until = until
    submission.save(update_fields=["reopened_until"])
    record_event(actor=actor, obj=submission, event=MonitoringEvent.REOPENED, from_state=submission.status,
                 to_state=submission.status, comment=reason, data={"until": until.isoformat()})
    return submission


@step_atomic
def submission_submit(*, actor, submission: Submission, values: dict, files=None, corrections=None) -> Submission:
    """The school head submits the form: validated whole, saved with the status change and its
    audit event, or refused with every error at once and nothing saved (files stored on the way
    are removed with the rollback, common.uploads.storage). Jumps against last period are kept
    as warnings for the methodist, not refused."""
    submission = Submission.objects.select_for_update().select_related("campaign", "organization").get(
        pk=submission.pk)
    _check_window(submission)
    if submission.status not in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
        raise ActionRefused("Данные уже представлены")
    indicators = list(submission.campaign.indicators.all())
    values = _store_files(submission, values, files, indicators)
    errors = validate_values(indicators, values, computed=submission.computed, corrections=corrections,
                             campaign_rules=list(submission.campaign.rules.all()))
    if errors:
        raise InvalidInput(errors)
    submission.values = values
    submission.corrections = _corrections(submission, indicators, values, corrections)
    submission.warnings = jump_warnings(submission, values, indicators)
    submission.submitted_at = timezone.now()
    return fire(submission, "submit", actor=actor, event=MonitoringEvent.SUBMITTED)


@step_atomic
def submission_review(*, actor, submission: Submission, accept: bool, reason: str = "") -> Submission:
    """The municipal methodist accepts the school's data, or returns it with a reason the school
    sees (the school then has the profile's working days to resubmit, see flows.RESUBMISSION)."""
    if accept:
        return fire(submission, "accept", actor=actor, event=MonitoringEvent.ACCEPTED)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Укажите, что школе нужно исправить"]})
    return fire(submission, "send_back", actor=actor, event=MonitoringEvent.RETURNED, comment=reason,
                data={"values": submission.values})


def _last_return(submission):
    from workflows.core.audit import history

    returns = [event for event in history(submission) if event.event == MonitoringEvent.RETURNED]
    return returns[-1] if returns else None


def return_reason(submission) -> str:
    """The methodist's reason, shown to the school while the form is returned."""
    if submission.status != SubmissionStatus.RETURNED:
        return ""
    event = _last_return(submission)
    return event.comment if event is not None else ""


def changed_since_return(submission) -> list[str] | None:
    """The indicator codes whose values differ from those returned last time (None when the
    submission was never returned): what the methodist looks at in a resubmission."""
    event = _last_return(submission)
    if event is None:
        return None
    before = (event.data or {}).get("values", {})
    codes = sorted(set(before) | set(submission.values))
    return [code for code in codes if before.get(code) != submission.values.get(code)]
