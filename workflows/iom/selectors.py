"""Scoped reads of the ИОМ process (orgstructure/access.py). Routes are personal data: only those
who handle the case see them (Route.SCOPE_HANDLERS); requests follow the generic matrix and show no
names."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Prefetch, Q

from orgstructure import access
from orgstructure.models import Organization

from . import rules
from .models import Activity, Approval, Deficit, IomRequest, RequestSource, Route, Status

ROUTE_ORDER = ("-id",)
# What a row of the «Реестр ИОМ» page shows, read as values: no model instances, no columns the
# page does not print, no join it does not need (bench/iom_register.py).
ROUTE_REGISTER_FIELDS = (
    "id", "number", "registered_on", "period_from", "period_to", "status", "round_table", "theme",
    "person__last_name", "person__first_name", "person__middle_name",
    "person__organization__name", "person__organization__short_name",
    "curator_id", "curator__first_name", "curator__last_name", "curator__username",
)
REQUEST_ORDER = ("-created_at", "-id")


def routes_for(user):
    routes = Route.objects.select_related("person__organization__municipality", "curator", "request")
    return access.scope_queryset(user, routes)


def route_for(user, pk) -> Route:
    return access.get_for_user_or_404(
        user,
        Route.objects.select_related(
            "person__organization__municipality", "person__organization__region", "curator", "request"
        ).prefetch_related(
            Prefetch("deficits", queryset=Deficit.objects.order_by("id")),
            Prefetch("activities", queryset=Activity.objects.select_related("deficit", "provider", "mentor")),
            Prefetch("approvals", queryset=Approval.objects.order_by("decided_at", "id")),
            "person__subjects",
        ),
        pk=pk,
    )


def route_register_filtered(user, *, status="", municipality="", organization="", curator="", year="", number=""):
    routes = routes_for(user)
    if status:
        routes = routes.filter(status=status)
    if municipality:
        # The schools of the municipality as a subquery, not a join: PostgreSQL then walks
        # schools → their teachers → routes by index, where the join made it scan every teacher.
        routes = routes.filter(person__organization__in=Organization.objects.filter(municipality_id=municipality))
    if organization:
        routes = routes.filter(person__organization_id=organization)
    if curator == "me":
        routes = routes.filter(curator=user)
    if year:
        routes = routes.filter(registered_on__year=year)
    if number:
        routes = routes.filter(number__istartswith=number.strip().upper())  # SQLite folds Latin only
    return routes.order_by(*ROUTE_ORDER)


def route_register_rows(user, **filters):
    """The register page's rows: route_register_filtered as ROUTE_REGISTER_FIELDS values."""
    return route_register_filtered(user, **filters).values(*ROUTE_REGISTER_FIELDS)


def requests_for(user):
    requests = IomRequest.objects.select_related("organization", "municipality").annotate(
        teachers=Count("routes", distinct=True),
        assigned=Count("routes", filter=~Q(routes__status=Status.REQUESTED), distinct=True),
    )
    return access.scope_queryset(user, requests)


def request_register_filtered(user, *, source="", municipality="", since=None):
    requests = requests_for(user)
    if source:
        requests = requests.filter(source=source)
    if municipality:
        requests = requests.filter(municipality_id=municipality)
    if since:
        requests = requests.filter(created_at__date__gte=since)
    return requests.order_by(*REQUEST_ORDER)


def caseload(user):
    """The curator's routes (IND-08 counts them per curator)."""
    return (
        Route.objects.filter(curator=user)
        .exclude(status=Status.COMPLETED)
        .select_related("person__organization")
        .annotate(
            open_activities=Count("activities", filter=Q(activities__status="planned")),
            activity_count=Count("activities"),
        )
        .order_by("status", "person__last_name", "id")
    )


def own_routes(user):
    person = access.own_person(user)
    if person is None:
        return Route.objects.none()
    return Route.objects.filter(person=person).select_related("curator").order_by("-id")


def progress(route) -> dict:
    activities = list(route.activities.all())
    closed = [a for a in activities if a.is_closed]
    done = [a for a in activities if a.status == "done"]
    return {
        "total": len(activities),
        "closed": len(closed),
        "done": len(done),
        "percent": round(100 * len(closed) / len(activities)) if activities else 0,
        "hours": rules.total_hours(activities),
        "hours_done": rules.total_hours(done),
    }


def route_page_context(route, user=None) -> dict:
    """The route's summary (iom/_route.html). With `user`, whether to offer them the link to the
    design page — only the teacher and the curator may open it while the route is designed (to
    anyone else it was a link to «Страница не найдена»)."""
    from . import services

    errors = services.route_check(route) if route.status == Status.DESIGN else []
    unaddressed_ids = {d.pk for d in rules.unaddressed(route.deficits.all(), route.activities.all())}
    return {
        "route": route,
        "progress": progress(route),
        "check_errors": errors,
        "unaddressed_ids": unaddressed_ids,
        "is_municipal": route.request.source == RequestSource.MUNICIPAL,
        "design_link": user is not None and services.may_edit(user, route),
    }


def round_table_candidates(user):
    return routes_for(user).filter(status=Status.COMPLETED).order_by("-completed_on", "-id")


def top_themes(user, *, year: int | None = None):
    selected = routes_for(user).filter(status=Status.COMPLETED, round_table=True)
    if year:
        selected = selected.filter(completed_on__year=year)
    return rules.top_themes(selected.values_list("theme", flat=True))


def today() -> dt.date:
    return dt.date.today()
