"""Opening collection: the campaign's submissions fanned out to the schools (a module of its own:
it starts the flow, whose step pages call services.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.errors import ActionRefused
from workflows.core.audit import record_event
from workflows.core.fanout import fan_out
from workflows.core.indicators import IndicatorError, Level, Unit, evaluate, get_indicator

from .flows import MonitoringFlow
from .models import Campaign, CampaignStatus, MonitoringEvent, Submission


@transaction.atomic
def campaign_open(*, actor, campaign: Campaign) -> int:
    """Open collection: one submission per school of the territory, each in its school head's
    inbox with the profile's deadline (workflows.core.fanout, constant queries). Idempotent: a
    school that has its submission already gets no second one. Returns the number opened."""
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
    new_ids = [pk for pk in campaign.schools().order_by("id").values_list("id", flat=True) if pk not in have]
    computed = prefill(campaign) if new_ids else {}
    fresh = [Submission(campaign=campaign, organization_id=pk, values=dict(computed.get(pk, {})),
                        computed=computed.get(pk, {}))
             for pk in new_ids]
    Submission.objects.bulk_create(fresh)
    # with the status: ConcurrentTransitionMixin reads it on __init__ (a deferred one is one query per row)
    every = list(Submission.objects.filter(campaign=campaign).only("id", "status"))
    return len(fan_out(MonitoringFlow, every).processes)


def _figure_value(unit, figure):
    if unit == Unit.COUNT:
        return str(figure.numerator)
    if unit == Unit.FLAG:
        return bool(figure.numerator)
    return {"numerator": str(figure.numerator), "denominator": str(figure.denominator or 0)}


def prefill(campaign: Campaign) -> dict[int, dict]:
    """{school id: {code: value}} of the set's computed indicators, from the kit's registry: one
    evaluation per indicator for the whole territory (its queries are constant in the number of
    schools), on the period's last day or today if that is earlier."""
    on_date = min(campaign.period_end, timezone.localdate())
    territory = campaign.municipality or campaign.region
    values: dict[int, dict] = {}
    for row in campaign.indicators.filter(computed=True):
        try:
            registered = get_indicator(row.code)
        except IndicatorError:
            continue  # the process that computed it is not installed here: the school enters it
        if Level.ORGANIZATION not in registered.levels:
            continue
        figures = evaluate(registered, territory=territory, on_date=on_date, by=Level.ORGANIZATION,
                           period_start=campaign.period_start)
        for organization_id, figure in figures.items():
            values.setdefault(organization_id, {})[row.code] = _figure_value(registered.unit, figure)
    return values
