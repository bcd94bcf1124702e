"""The monitoring services: each write one transaction, through `fire`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from workflows.core.audit import record_event
from workflows.core.flowkit import step_atomic
from workflows.core.state import fire

from .models import CampaignStatus, MonitoringEvent, Submission, SubmissionStatus, ValueKind, can_reopen


def _number(raw, label):
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).replace(",", ".").strip())
    except InvalidOperation:
        raise InvalidInput({"__all__": [f"{label}: введите число"]}) from None
    if value < 0:
        raise InvalidInput({"__all__": [f"{label}: значение не может быть отрицательным"]})
    return value


def validate_values(indicators, values: dict) -> dict:
    """Check a submission's values against its indicator set; returns {field: [messages]} (empty
    when valid): required fields, numerator ≤ denominator, shares ≤ 100 %."""
    errors: dict[str, list[str]] = {}
    for indicator in indicators:
        value = values.get(indicator.code)
        label = f"{indicator.code} «{indicator.title}»"
        field = f"v_{indicator.code}"
        try:
            if indicator.kind == ValueKind.SHARE:
                value = value or {}
                numerator = _number(value.get("numerator"), label)
                denominator = _number(value.get("denominator"), label)
                if numerator is None or denominator is None:
                    if indicator.required:
                        errors.setdefault(field, []).append(f"{label}: укажите числитель и знаменатель")
                elif denominator == 0 and numerator:
                    errors.setdefault(field, []).append(f"{label}: знаменатель не может быть нулём")
                elif numerator > denominator:
                    errors.setdefault(field, []).append(
                        f"{label}: числитель ({numerator}) больше знаменателя ({denominator}) — доля больше 100 %")
            elif indicator.kind == ValueKind.NUMBER:
                if _number(value, label) is None and indicator.required:
                    errors.setdefault(field, []).append(f"{label}: укажите значение")
            elif indicator.kind == ValueKind.YES_NO:
                if value not in (True, False) and indicator.required:
                    errors.setdefault(field, []).append(f"{label}: выберите «да» или «нет»")
            elif indicator.required and not str(value or "").strip():
                errors.setdefault(field, []).append(f"{label}: заполните поле")
        except InvalidInput as exc:
            errors.setdefault(field, []).extend(exc.errors["__all__"] if hasattr(exc, "errors") else [str(exc)])
    return errors


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
def submission_save_draft(*, actor, submission: Submission, values: dict) -> Submission:
    """Save what the school has so far, without validation (within the input window)."""
    submission = Submission.objects.select_for_update().select_related("campaign", "organization").get(
        pk=submission.pk)
    _check_window(submission)
    submission.values = values
    if submission.status in (SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT):
        return fire(submission, "save_draft", actor=actor, event=MonitoringEvent.DRAFT_SAVED)
    raise ActionRefused("Данные уже представлены")


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
def submission_submit(*, actor, submission: Submission, values: dict) -> Submission:
    """The school head submits the form: validated whole, saved with the status change and its
    audit event, or refused with every error at once and nothing saved."""
    _check_window(submission)
    errors = validate_values(list(submission.campaign.indicators.all()), values)
    if errors:
        raise InvalidInput(errors)
    submission.values = values
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
