"""The selection's indicators in the kit's registry (workflows/core/indicators.py), registered
when the app is ready (register_process(indicators=…)). Monitoring reads them from the registry.

IND-12 «Доля педагогических работников, прошедших стажировку» (003:L1345 «количество обученных,
освоивших программы стажировок в регионе»; its numerator is that number): teachers of the
territory with an internship completed at a site, recorded by the site, by the date (within the
period when one is given), over all its teachers on the date — per the trainee's school.
IND-13 «Количество региональных инновационных и стажировочных площадок» (003:L1341): sites whose
status is in force on the date (given by then, its term running, not revoked or expired before),
per the site's organization.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from workflows.core.indicators import Level, Territory, Unit, indicator, teacher_share

from .models import Internship, Site


def completed_internships(on_date: dt.date, period_start: dt.date | None = None):
    internships = Internship.objects.filter(date_to__lte=on_date)
    if period_start is not None:
        internships = internships.filter(date_to__gte=period_start)
    return internships


@indicator(
    code="IND-12",
    name="Доля педагогических работников, прошедших стажировку",
    levels=(Level.ORGANIZATION, Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="педагогические работники, прошедшие стажировку на стажировочной площадке (отмечена площадкой, "
    "окончена не позднее даты; в отчётном периоде, если он задан) — «количество обученных, освоивших "
    "программы стажировок»",
    denominator="все педагогические работники образовательных организаций на дату",
    source="003:L1345 («количество обученных, освоивших программы стажировок в регионе»); 004:L44",
)
def trained_at_sites(territory: Territory, on_date: dt.date, *, period_start=None):
    trained = completed_internships(on_date, period_start).values("person_id")
    return teacher_share(territory, on_date, condition=Q(pk__in=trained))


def in_force_on(on_date: dt.date):
    """Sites whose status holds on the date: begun, not past its last day, not ended before."""
    return Site.objects.filter(status_from__lte=on_date, status_to__gte=on_date, order__issued_on__lte=on_date).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=on_date)
    )


@indicator(
    code="IND-13",
    name="Количество региональных инновационных и стажировочных площадок",
    levels=(Level.MUNICIPALITY, Level.REGION),
    unit=Unit.COUNT,
    numerator="площадки со статусом, действующим на дату (присвоен приказом не позднее даты, срок не истёк, "
    "статус не отозван до даты)",
    denominator="",
    source="003:L1341 («количество региональных инновационных и стажировочных площадок»)",
)
def sites_in_force(territory: Territory, on_date: dt.date, *, period_start=None):
    rows = (
        in_force_on(on_date)
        .filter(territory.organizations("organization"))
        .order_by()
        .values("organization_id")
        .annotate(n=Count("id"))
    )
    return {row["organization_id"]: (row["n"], None) for row in rows}
