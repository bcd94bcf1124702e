"""How pages show dates, times and counts — one formatter for the whole site.

* ``{% local_time instant zone %}`` → «01.12.2026 17:52 МСК+2»: the wall-clock time in the zone
  of the region the thing belongs to (a task's region, an application's region), labelled by its
  offset from Moscow as Russian timetables do. Without a zone, the viewer's region is used (their
  notifications, a page about their own work). ``{% local_date instant zone %}`` gives the date only
  (deadlines: a deadline is the whole local day).
* ``{{ n|plural:"задача,задачи,задач" }}`` → the noun form for the count (common/plural.py).
* ``{{ n|working_days }}`` → «3 раб. дн.», the one way a count of working days reads."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils.html import format_html

from common.plural import plural_form

from ..calendar import local_datetime, timezone_label

register = template.Library()


def viewer_timezone(request) -> str:
    """The zone of the region the viewer works in (their first active membership), else the
    server's. Read once per request."""
    cached = getattr(request, "_profrost_timezone", None)
    if cached:
        return cached
    zone = ""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from orgstructure.models import Membership

        zone = (
            Membership.objects.filter(user=user, is_active=True)
            .order_by("pk")
            .values_list("organization__region__timezone", flat=True)
            .first()
        ) or ""
    zone = zone or settings.TIME_ZONE
    if request is not None:
        request._profrost_timezone = zone
    return zone


def _zone(context, zone) -> str:
    if zone:
        return str(getattr(zone, "timezone", zone))
    return viewer_timezone(context.get("request"))


def format_local(instant: dt.datetime | None, zone: str, *, with_time: bool = True) -> str:
    """«01.12.2026 17:52 МСК+2» (or «01.12.2026 МСК+2») as plain text, for exports and messages."""
    if instant is None:
        return ""
    local = local_datetime(instant, zone)
    text = f"{local:%d.%m.%Y %H:%M}" if with_time else f"{local:%d.%m.%Y}"
    return f"{text} {timezone_label(zone, instant)}"


def _html(instant, zone, *, with_time: bool):
    if instant is None:
        return "—"
    local = local_datetime(instant, zone)
    text = f"{local:%d.%m.%Y %H:%M}" if with_time else f"{local:%d.%m.%Y}"
    return format_html(
        '<span class="pf-nowrap">{}</span> <span class="pf-muted pf-tz">{}</span>', text, timezone_label(zone, instant)
    )


@register.simple_tag(takes_context=True)
def local_time(context, instant, zone=None):
    return _html(instant, _zone(context, zone), with_time=True)


@register.simple_tag(takes_context=True)
def local_date(context, instant, zone=None):
    return _html(instant, _zone(context, zone), with_time=False)


def _count(value) -> int:
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return int(digits) if digits else 0


@register.filter
def plural(value, forms: str) -> str:
    return plural_form(_count(value), forms)


@register.filter
def working_days(value) -> str:
    return f"{_count(value)} раб. дн."
