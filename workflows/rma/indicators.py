"""РМА's indicators in the kit's registry (workflows/core/indicators.py), registered when the app
is ready (apps.py imports this module). Monitoring reads them from the registry, never from here.

IND-14 (первая/высшая категория), which the issue listed with РМА's, is registered by the kit
itself: it is computed from orgstructure's Person alone and must not vanish where РМА is off.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Q
from django.db.models.functions import Cast

from workflows.core.indicators import Level, Territory, Unit, indicator, teacher_share
from workflows.core.models import AuditEvent

from .models import MEMBER_STATUSES, RmaApplication, Status


def members_on(on_date: dt.date):
    """Applications whose person was a member of the РМА on the date: admitted on or before it
    (`admitted_on`, the date of the приказ) and a member still, or excluded only after the date
    (the exclusion's date is the day of its audit event in the server's time zone, TIME_ZONE: the
    application keeps no date of its own). Both
    subqueries are uncorrelated, so the database reads each once, not once per teacher."""
    excluded_later = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(RmaApplication),
        to_state=Status.EXCLUDED,
        occurred_at__date__gt=on_date,
    ).values(application_id=Cast("object_id", IntegerField()))
    return RmaApplication.objects.filter(admitted_on__lte=on_date).filter(
        Q(status__in=MEMBER_STATUSES) | Q(status=Status.EXCLUDED, pk__in=excluded_later)
    )


@indicator(
    code="IND-09",
    name="Доля педагогических работников, входящих в методический актив (РМА/ММА)",
    # The catalogue lists ОО and МО (its seeds 001 and 000:L294 are municipal); the regional figure
    # is the same pooled formula, and monitoring aggregates every indicator to the region.
    levels=(Level.ORGANIZATION, Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="педагогические работники — члены РМА на дату (включены приказом не позднее даты и не исключены до неё)",
    denominator="все педагогические работники образовательных организаций на дату",
    source="001:L68 («формирование методического актива»); 000:L294",
)
def rma_members(territory: Territory, on_date: dt.date, *, period_start=None):
    return teacher_share(territory, on_date, condition=Q(pk__in=members_on(on_date).values("person_id")))
