"""Reads of diagnosis results, scoped (orgstructure/access.py; the results are personal data)."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch

from orgstructure.access import Action, scope_queryset

from .models import DiagnosisDeficit, DiagnosisRegionSettings, DiagnosisResult, DiagnosisScore


def with_details(queryset):
    """Scores and deficits in two queries for the whole page."""
    return queryset.select_related("person__organization__municipality", "organization").prefetch_related(
        Prefetch("scores", queryset=DiagnosisScore.objects.order_by("id")),
        Prefetch("deficits", queryset=DiagnosisDeficit.objects.order_by("id")),
    )


def reuse_months(region_id) -> int:
    return DiagnosisRegionSettings.for_region(region_id).reuse_months


def valid_since(*, region_id, on_date: dt.date) -> dt.date:
    """The earliest diagnosis date still reused on `on_date` in the region (exclusive bound: a
    result exactly `reuse_months` old is not younger than the setting)."""
    return on_date - relativedelta(months=reuse_months(region_id))


def current_diagnosis(person, on_date: dt.date) -> DiagnosisResult | None:
    """The teacher's latest diagnosis on `on_date` if it is younger than the region's setting
    (DiagnosisRegionSettings.reuse_months), else None — then a new diagnosis is needed. A result
    dated after `on_date` does not count. Not scoped: the ИОМ process asks about its own teacher;
    the pages showing the result scope it."""
    since = valid_since(region_id=person.organization.region_id, on_date=on_date)
    return (
        with_details(DiagnosisResult.objects.filter(person=person, diagnosed_on__gt=since, diagnosed_on__lte=on_date))
        .order_by("-diagnosed_on", "-id")
        .first()
    )


def diagnosis_list(*, user, action: Action = Action.VIEW):
    return scope_queryset(user, DiagnosisResult.objects.all(), action)
