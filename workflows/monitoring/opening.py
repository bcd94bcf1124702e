"""Opening collection: the campaign's submissions fanned out to the schools (a module of its own:
it starts the flow, whose step pages call services.py)."""

from __future__ import annotations

from django.db import transaction

from common.errors import ActionRefused
from workflows.core.audit import record_event
from workflows.core.fanout import fan_out

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
    fresh = [Submission(campaign=campaign, organization_id=pk)
             for pk in campaign.schools().order_by("id").values_list("id", flat=True) if pk not in have]
    Submission.objects.bulk_create(fresh)
    every = list(Submission.objects.filter(campaign=campaign).only("id"))
    return len(fan_out(MonitoringFlow, every).processes)
