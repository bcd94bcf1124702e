"""Scoped reads. A call is an announcement of the region (no personal data): everyone holding a
role in the region sees it. Applications go through orgstructure.access.scope_queryset."""

from django.db.models import F, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from orgstructure import access

from .models import (
    IN_FORCE,
    UNFINISHED_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    ConflictDeclaration,
    DecisionStatus,
    ExpertAssignment,
    Internship,
    RegisterPublication,
    Site,
    SiteReport,
    StatusChange,
)


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


def ranked_applications(call) -> list[Application]:
    """Every application of the call still to be decided: reviewed ones by rating, the unfinished
    after them (by name), with programmes for the documents."""
    applications = list(
        Application.objects.filter(call=call)
        .exclude(status__in=(ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED))
        .select_related("organization__municipality")
        .prefetch_related("programmes")
    )
    reviewed = sorted(
        (a for a in applications if a.status == ApplicationStatus.REVIEWED),
        key=lambda a: (-a.rating, a.organization.name, a.pk),
    )
    unfinished = sorted(
        (a for a in applications if a.status in UNFINISHED_STATUSES), key=lambda a: (a.organization.name, a.pk)
    )
    return reviewed + unfinished


def _document_url(document) -> str:
    return reverse("documents:download", args=[document.pk]) if document is not None else ""


def decision_summary(decision) -> dict:
    """What the decision's pages show (to the coordinator and the ministry): the call, the
    applications in ranked order with the commission's choice and reason, the protocol, the
    draft or the signed приказ."""
    call = decision.call
    if decision.status == DecisionStatus.APPROVED:
        rows = list(
            call.applications.select_related("organization__municipality").order_by(
                F("rating").desc(nulls_last=True), "organization__name"
            )
        )
    else:
        rows = ranked_applications(call)
    return {
        "decision": decision,
        "call": call,
        "decision_rows": rows,
        "protocol_url": _document_url(decision.protocol),
        "order_url": _document_url(decision.order),
        "preview": decision.status == DecisionStatus.PROPOSED,
    }


# --- the register of sites ---------------------------------------------------------------------

REGISTER_ORDER = ("organization__municipality__name", "organization__name", "id")


def _regions_of(user) -> set[int]:
    return {membership.organization.region_id for membership in access.active_memberships(user)}


def _register(sites):
    """Sites with what the register shows: trainees reported over the years (one aggregate)."""
    return sites.select_related("organization__municipality", "order", "application__call").annotate(
        trainees_total=Sum("reports__trainees")
    )


def register_sites(user, *, status: str = ""):
    """The register is what the приказ made public: every user of the region sees the sites of
    their region (without personal data: no curator, no reports' texts)."""
    sites = Site.objects.all()
    if not access.is_unrestricted(user):
        sites = sites.filter(region_id__in=_regions_of(user))
    if status:
        sites = sites.filter(status=status)
    return _register(sites).order_by(*REGISTER_ORDER)


def site_for(user, pk) -> Site:
    return get_object_or_404(register_sites(user), pk=pk)


def reports_of(user, site) -> list[SiteReport]:
    """A site's reports for those who handle them: its own head, the municipality's and the
    region's bodies (orgstructure.access scopes)."""
    return list(access.scope_queryset(user, SiteReport.objects.filter(site=site)).order_by("number"))


def status_changes_of(user, site) -> list:
    """The changes of a site's status proposed so far, for the regional bodies that keep the
    register and sign the приказы (their reasons are theirs); newest first."""
    return list(
        access.scope_queryset(user, StatusChange.objects.filter(site=site))
        .select_related("order", "site__organization")
        .order_by("-pk")[:50]
    )


def published_sites(region):
    """The open register of a region that publishes it (None when it does not): active sites only."""
    if not RegisterPublication.objects.filter(region=region, published=True).exists():
        return None
    return (
        _register(Site.objects.filter(region=region, status__in=IN_FORCE))
        .prefetch_related("application__programmes")
        .order_by(*REGISTER_ORDER)
    )


def is_published(region) -> bool:
    return RegisterPublication.objects.filter(region=region, published=True).exists()


def internships_of(user, site) -> list[Internship]:
    """The internships completed at a site, for those who handle the trainees' personal data."""
    return list(
        access.scope_queryset(user, Internship.objects.filter(site=site))
        .select_related("person__organization", "programme")
        .order_by("-date_to", "id")[:200]
    )


def application_for_reader(user, pk):
    """The application as one who may read it: its scope, or an expert appointed to it."""
    queryset = Application.objects.select_related("organization", "call").prefetch_related("files")
    visible = access.scope_queryset(user, queryset).filter(pk=pk).first()
    if visible is not None:
        return visible
    person_id = access.own_person_id(user)
    if person_id is not None:
        appointed = queryset.filter(
            pk=pk, assignments__expert_id=person_id, assignments__status__in=("appointed", "submitted")
        ).first()
        if appointed is not None:
            return appointed
    raise Http404("Объект не найден")


def applicant_organizations(region_id) -> list:
    """The organizations that applied to the region's calls not yet decided (whom an expert may
    have to review)."""
    from orgstructure.models import Organization

    ids = (
        Application.objects.filter(call__region_id=region_id).exclude(call__status="decided").values("organization_id")
    )
    return list(Organization.objects.filter(pk__in=ids).order_by("name"))


def declarations_of(person) -> list[ConflictDeclaration]:
    return list(
        ConflictDeclaration.objects.filter(expert=person).select_related("organization").order_by("-declared_at")
    )
