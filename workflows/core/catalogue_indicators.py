"""The indicators of the catalogue of ДПП (programmes/), registered by the kit like IND-14: they
are computed from reference data below the processes, so they must not depend on whether ИОМ is
installed. workflows/core/apps.py imports this module.

IND-03 («… освоивших программы ДПО, вошедшие в ФР ДПП и подобранные с учетом диагностики
профессиональных дефицитов», 003:L552) is not here: who completed which programme because of
which deficit is known only from the ИОМ's activities, so the ИОМ process registers it."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q

from orgstructure.models import OrganizationKind
from programmes.models import Programme, ProgrammeGroup

from .indicators import Level, Territory, Unit, indicator

# The organizations that carry out ДПП (the providers of 003:L1497–1501: ИРО, ЦНППМПР, КПИПКРО,
# ПГГПУ, РИНО ПГНИУ, ПППК, …) are the units; schools and municipal bodies are not.
PROVIDER_KINDS = frozenset(
    {
        OrganizationKind.IRO,
        OrganizationKind.CNPPMPR,
        OrganizationKind.COPMKP,
        OrganizationKind.DPO,
        OrganizationKind.UNIVERSITY,
        OrganizationKind.COLLEGE,
    }
)


def implemented_between(start: dt.date, end: dt.date):
    """Programmes carried out in the period: with a group (поток) that runs on some day of it."""
    return Programme.objects.filter(
        Exists(ProgrammeGroup.objects.filter(programme=OuterRef("pk"), starts_on__lte=end, ends_on__gte=start))
    )


@indicator(
    code="IND-07",
    name="Доля программ ДППО, размещенных в ФР ДПП, в общем количестве программ ДППО, реализуемых организацией",
    levels=(Level.ORGANIZATION, Level.REGION),
    unit=Unit.SHARE,
    numerator="программы организации, размещённые в ФР ДПП (по отметке каталога ДПП), с группой, обучавшейся в "
    "отчётном периоде",
    denominator="все программы ДПП организации с группой, обучавшейся в отчётном периоде (по умолчанию — "
    "календарный год даты расчёта)",
    source="003:L558 («доля программ ДППО, размещенных в ФР ДПП, в общем количестве программ ДППО, реализуемых "
    "организацией дополнительного профессионального (педагогического) образования»)",
    organization_kinds=PROVIDER_KINDS,
    owner="workflows.core",
)
def federal_register_programmes(territory: Territory, on_date: dt.date, *, period_start=None):
    """The catalogue keeps the register mark as it is now (no date of placement), so a past
    period is counted with today's marks."""
    start = period_start or on_date.replace(month=1, day=1)
    rows = (
        implemented_between(start, on_date)
        .filter(territory.organizations("provider"))
        .order_by()
        .values("provider_id")
        .annotate(total=Count("id"), in_register=Count("id", filter=Q(in_federal_register=True)))
    )
    return {row["provider_id"]: (row["in_register"], row["total"]) for row in rows}
