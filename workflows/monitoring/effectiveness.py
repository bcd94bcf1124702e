"""Effectiveness of the measures (issue 12 §9, «ежегодно до 31 августа», 001:L190-200): the
indicators before the measures (the campaign analysed) and after them (the next period's campaign
of the same territory), with the measures aimed at each; the report issued with a number; the
indicators still below target seed the goals of the next cycle (DOMAIN §2(a): «EFFECTIVENESS_REVIEWED
──(feeds goals of next cycle)»)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused
from workflows.core.audit import record_event

from . import analysis as an
from .analysis_models import CampaignGoal, ManagementEvent, Measure, MeasureStatus, can_manage
from .documents import EFFECTIVENESS_KIND
from .models import Campaign, CampaignIndicator, CampaignStatus


@dataclass
class Comparison:
    indicator: CampaignIndicator
    before: an.Cell
    after: an.Cell | None
    measures: list[Measure]

    @property
    def change(self):
        if self.after is None or self.after.value is None or self.before.value is None:
            return None
        return self.after.value - self.before.value

    @property
    def verdict(self) -> str:
        if self.change is None:
            return "нет данных после мер"
        if self.indicator.target is None:  # no target says which way is better (fewer vacancies are)
            return "рост" if self.change > 0 else ("без изменений" if self.change == 0 else "снижение")
        trend = "улучшение" if self.change > 0 else ("без изменений" if self.change == 0 else "ухудшение")
        return f"{trend}, цель {'достигнута' if self.after.achieved else 'не достигнута'}"


def compare(campaign: Campaign) -> tuple[Campaign | None, list[Comparison]]:
    """(the after-campaign, a comparison per indicator of the set)."""
    after_campaign = an.next_campaign(campaign)
    before = an.campaign_analysis(campaign)
    after = an.campaign_analysis(after_campaign) if after_campaign else None
    measures: dict[str, list[Measure]] = {}
    for measure in Measure.objects.filter(campaign=campaign).select_related("owner_organization"):
        measures.setdefault(measure.indicator_code, []).append(measure)
    rows = []
    for result in before.results:
        later = next((r for r in after.results if r.code == result.code), None) if after else None
        rows.append(Comparison(result.indicator, result.total, later.total if later else None,
                               measures.get(result.code, [])))
    return after_campaign, rows


def effectiveness_data(campaign: Campaign) -> dict:
    from .analysis_services import period_label

    after_campaign, rows = compare(campaign)
    if after_campaign is None:
        raise ActionRefused("Нет кампании следующего периода: сравнивать не с чем")
    indicators = [
        {"name": f"{row.indicator.code} {row.indicator.title}",
         "target": an.format_value(row.indicator.target, row.indicator.kind),
         "before": an.format_figure(row.before.figure, row.indicator.kind),
         "after": an.format_figure(row.after.figure if row.after else None, row.indicator.kind),
         "change": an.format_change(row.change, row.indicator.kind), "verdict": row.verdict}
        for row in rows
    ]
    today = timezone.localdate()
    measures = [
        {"title": m.title, "code": m.indicator_code, "responsible": m.owner_position, "due": m.due.isoformat(),
         "result": m.result if m.status == MeasureStatus.DONE
         else ("не выполнена, срок истёк" if m.due < today else "выполняется"),
         "done": m.status == MeasureStatus.DONE}
        for row in rows for m in row.measures
    ]
    better = [row.indicator.code for row in rows
              if row.change is not None and row.change > 0 and row.indicator.target is not None]
    still_below = [row for row in rows if row.after is not None and row.after.achieved is False]
    conclusions = [f"Показатели улучшились: {', '.join(better) if better else 'нет'}."]
    for row in rows:
        if row.measures and row.change is not None and row.change <= 0:
            conclusions.append(f"Меры по показателю {row.indicator.code} не дали роста: пересмотреть их в плане "
                               "следующего цикла.")
    return {
        "territory": an.territory_name(campaign),
        "period": period_label(campaign),
        "basis": "Анализ и оценка эффективности принятых мер (мероприятий) и управленческих решений по результатам "
                 "мониторинга (ежегодно до 31 августа)",
        "before_period": period_label(campaign),
        "after_period": period_label(after_campaign),
        "indicators": indicators,
        "measures": measures,
        "conclusions": conclusions,
        "next_goals": [_goal_text(row) for row in still_below],
    }


def _goal_text(row: Comparison) -> str:
    kind = row.indicator.kind
    return (f"{row.indicator.code}: достичь целевого значения {an.format_value(row.indicator.target, kind)} "
            f"(«{row.indicator.title}»; после мер — {an.format_value(row.after.value, kind)})")


@transaction.atomic
def effectiveness_issue(*, actor, campaign: Campaign, later: bool = True):
    from .analysis_services import _check_signatory, _issuing_organization, issue
    from .measures_services import issued_document_of

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not can_manage(actor, campaign):
        raise ActionForbidden()
    if issued_document_of(campaign, EFFECTIVENESS_KIND) is not None:
        raise ActionRefused("Отчет об эффективности по этой кампании уже выпущен")
    data = effectiveness_data(campaign)
    organization = _issuing_organization(actor, campaign)
    _check_signatory(organization)
    issue(later=later, kind=EFFECTIVENESS_KIND, issuing_organization=organization, artefact=campaign,
          context=data, actor=actor)
    return data


def _following_period(campaign: Campaign) -> tuple[dt.date, dt.date]:
    """The period of the same length in months that follows (a half-year after a half-year)."""
    from dateutil.relativedelta import relativedelta

    start = campaign.period_end + dt.timedelta(days=1)
    months = (campaign.period_end.year - campaign.period_start.year) * 12 + (
        campaign.period_end.month - campaign.period_start.month) + 1
    return start, start + relativedelta(months=months) - dt.timedelta(days=1)


@transaction.atomic
def goals_seed(*, actor, campaign: Campaign) -> Campaign:
    """The next cycle's goals and indicator set: into the earliest draft campaign of the
    territory after the one compared with, or a new draft for the period after it. Each indicator
    still below target after the measures becomes a goal; the set and the targets are carried."""
    if not can_manage(actor, campaign):
        raise ActionForbidden()
    after_campaign, rows = compare(campaign)
    if after_campaign is None:
        raise ActionRefused("Нет кампании следующего периода: сравнивать не с чем")
    target = (Campaign.objects.filter(region_id=campaign.region_id, municipality_id=campaign.municipality_id,
                                      status=CampaignStatus.DRAFT, period_start__gt=after_campaign.period_end)
              .order_by("period_start").first())
    if target is None:
        start, end = _following_period(after_campaign)
        target = Campaign.objects.create(
            region_id=campaign.region_id, municipality_id=campaign.municipality_id, created_by=actor,
            title=f"{campaign.title.split(',')[0]}, период с {start:%d.%m.%Y} по {end:%d.%m.%Y} (цели по итогам "
                  "анализа эффективности)",
            period_start=start, period_end=end, opens_on=end - dt.timedelta(days=30),
        )
    have = set(target.indicators.values_list("code", flat=True))
    CampaignIndicator.objects.bulk_create([
        CampaignIndicator(campaign=target, code=ind.code, title=ind.title, kind=ind.kind, target=ind.target,
                          target_text=ind.target_text, source=ind.source, required=ind.required,
                          position=ind.position)
        for ind in after_campaign.indicators.all() if ind.code not in have
    ])
    seeded = set(CampaignGoal.objects.filter(campaign=target, seeded_from=campaign).values_list("indicator_code",
                                                                                                  flat=True))
    goals = [CampaignGoal(campaign=target, text=_goal_text(row), indicator_code=row.indicator.code,
                          seeded_from=campaign, position=n)
             for n, row in enumerate(rows) if row.after is not None and row.after.achieved is False
             and row.indicator.code not in seeded]
    CampaignGoal.objects.bulk_create(goals)
    record_event(actor=actor, obj=target, event=ManagementEvent.GOALS_SEEDED, from_state=target.status,
                 to_state=target.status, comment=f"По итогам кампании «{campaign}»: целей {len(goals)}")
    return target
