"""Scoped reads. A call is an announcement of the region (no personal data): everyone holding a
role in the region sees it. Applications go through orgstructure.access.scope_queryset."""

from django.shortcuts import get_object_or_404

from orgstructure import access

from .models import Application, ApplicationStatus, Call, ExpertAssignment


def calls_for(user):
    calls = Call.objects.select_related("organizer").order_by("-applications_due", "-id")
    if access.is_unrestricted(user):
        return calls
    regions = {membership.organization.region_id for membership in access.active_memberships(user)}
    return calls.filter(region_id__in=regions)


def call_for(user, pk):
    return get_object_or_404(calls_for(user), pk=pk)


def applications_for(user, call=None):
    applications = Application.objects.select_related("organization__municipality", "call").order_by("-id")
    if call is not None:
        applications = applications.filter(call=call)
    return access.scope_queryset(user, applications)


def application_for(user, pk):
    return access.get_for_user_or_404(
        user,
        Application.objects.select_related("organization__municipality", "call").prefetch_related(
            "programmes", "files"
        ),
        pk=pk,
    )


def assignments(application):
    """The experts of an application with their due dates (for its coordinator only)."""
    return list(
        ExpertAssignment.objects.filter(application=application).select_related("expert__organization").order_by("id")
    )


def ranked(call):
    """The reviewed applications of a call, best first: rating kept at completion, one query."""
    return list(
        Application.objects.filter(call=call, status=ApplicationStatus.REVIEWED)
        .select_related("organization__municipality")
        .order_by("-rating", "organization__name", "id")
    )
