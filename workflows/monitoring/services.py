"""The monitoring services: each write one transaction, through `fire`."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from common.errors import ActionRefused, InvalidInput
from workflows.core.audit import record_event
from workflows.core.fanout import fan_out
from workflows.core.flowkit import step_atomic
from workflows.core.state import fire

from .models import Campaign, CampaignStatus, MonitoringEvent, Submission, ValueKind


@transaction.atomic
def campaign_open(*, actor, campaign: Campaign) -> int:
    """Open collection: one submission per school of the territory, each in its school head's
    inbox with the profile's deadline (workflows.core.fanout, constant queries). Idempotent: a
    school that has its submission already gets no second one. Returns the number opened."""
    from .flows import MonitoringFlow

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.DRAFT:
        if not campaign.indicators.exists():
            raise ActionRefused("Сначала выберите показатели мониторинга")
        campaign.open()
        campaign.save(update_fields=["status"])
        record_event(actor=actor, obj=campaign, event=MonitoringEvent.CAMPAIGN_OPENED,
                     from_state=CampaignStatus.DRAFT, to_state=campaign.status)
    elif campaign.status != CampaignStatus.COLLECTING:
        raise ActionRefused("Сбор данных по этой кампании завершён")
    have = set(Submission.objects.filter(campaign=campaign).values_list("organization_id", flat=True))
    fresh = [Submission(campaign=campaign, organization_id=pk)
             for pk in campaign.schools().order_by("id").values_list("id", flat=True) if pk not in have]
    Submission.objects.bulk_create(fresh)
    every = list(Submission.objects.filter(campaign=campaign).only("id"))
    return len(fan_out(MonitoringFlow, every).processes)


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


@step_atomic
def submission_submit(*, actor, submission: Submission, values: dict) -> Submission:
    """The school head submits the form: validated whole, saved with the status change and its
    audit event, or refused with every error at once and nothing saved."""
    errors = validate_values(list(submission.campaign.indicators.all()), values)
    if errors:
        raise InvalidInput(errors)
    submission.values = values
    submission.submitted_at = timezone.now()
    return fire(submission, "submit", actor=actor, event=MonitoringEvent.SUBMITTED)
