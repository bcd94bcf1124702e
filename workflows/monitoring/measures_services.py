"""The plan of measures and the приказ «О принятии управленческих решений по результатам
мониторинга» (issue 12 §8; 001:L185-187). Each write one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, InvalidInput
from workflows.core.flowkit import step_atomic
from workflows.core.state import fire

from . import analysis as an
from .analysis_models import AnalysisReport, ManagementEvent, Measure, MeasureStatus, can_manage
from .documents import DECISIONS_KIND
from .models import Campaign


@step_atomic
def measure_complete(*, actor, measure: Measure, result: str) -> Measure:
    result = (result or "").strip()
    if not result:
        raise InvalidInput({"result": ["Опишите результат"]})
    measure.result = result
    return fire(measure, "complete", actor=actor, event=ManagementEvent.MEASURE_DONE, comment=result)


def decisions_data(campaign: Campaign) -> dict:
    from .analysis_services import issued_document, period_label

    measures = list(Measure.objects.filter(campaign=campaign).select_related("owner_organization"))
    report = AnalysisReport.objects.filter(campaign=campaign, municipality__isnull=True).first()
    document = issued_document(report) if report else None
    return {
        "territory": an.territory_name(campaign),
        "period": period_label(campaign),
        "report_ref": f"от {document.issued_on:%d.%m.%Y} № {document.number}" if document else "",
        "measures": [
            {"title": m.title, "indicator": m.indicator_code,
             "responsible": f"{m.owner_position}, {m.owner_organization.short_name or m.owner_organization.name}",
             "due": m.due.isoformat()}
            for m in measures
        ],
    }


@transaction.atomic
def decisions_issue(*, actor, campaign: Campaign, later: bool = True):
    """The приказ from the plan (rendered in the worker); once per campaign."""
    from .analysis_services import _check_signatory, _issuing_organization, issue

    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not can_manage(actor, campaign):
        raise ActionForbidden()
    if issued_document_of(campaign) is not None:
        raise ActionRefused("Приказ по этой кампании уже выпущен")
    data = decisions_data(campaign)
    if not data["measures"]:
        raise ActionRefused("В плане нет мер: приказ не из чего составить")
    organization = _issuing_organization(actor, campaign)
    _check_signatory(organization)
    issue(later=later, kind=DECISIONS_KIND, issuing_organization=organization, artefact=campaign, context=data,
          actor=actor)


def issued_document_of(campaign: Campaign, kind: str = DECISIONS_KIND):
    from .analysis_services import _issued

    return _issued(campaign, kind)


def plan_progress(campaign: Campaign) -> dict:
    """Done / planned / overdue measures (overdue: open past its date — the inbox says the same)."""
    today = timezone.localdate()
    rows = list(Measure.objects.filter(campaign=campaign).values_list("status", "due"))
    return {
        "total": len(rows),
        "done": sum(1 for status, _ in rows if status == MeasureStatus.DONE),
        "overdue": sum(1 for status, due in rows if status != MeasureStatus.DONE and due < today),
    }
