"""Reads of the collection, scoped (orgstructure/access.py): the campaigns a user sees, a
campaign's progress for the collection control page (not started / draft / submitted / returned
/ accepted / late, completeness and on-time rates by municipality and school), a school's
submission for the API. A foreign object answers 404 like a missing one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.http import Http404
from django.utils import timezone
from viewflow.workflow.fields import get_task_ref

from orgstructure import access
from orgstructure.models import Municipality, Organization, Role

from .models import MUNICIPAL_RUNNERS, REGIONAL_RUNNERS, Campaign, Submission, SubmissionStatus

NOT_FOUND = "Объект не найден"
SUBMITTED_STATUSES = (SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


# who works with campaigns: those who run them, the ЦНППМПР methodists and the signatory who read
# them, the school heads who fill them in
MONITORING_ROLES = (*REGIONAL_RUNNERS, *MUNICIPAL_RUNNERS, Role.CNPPM_METHODIST, Role.MINISTRY_SIGNATORY,
                    Role.SCHOOL_HEAD)


def sees_campaigns(user) -> bool:
    return access.is_unrestricted(user) or bool(access.memberships_with_role(user, *MONITORING_ROLES))


def campaign_condition(user) -> Q | None:
    """Campaigns the user sees: a region's campaign in every region where they hold a role that
    sees an organization or more; a municipality's campaign where that role's view reaches the
    municipality. None: no limit (superuser)."""
    if access.is_unrestricted(user):
        return None
    condition = Q(pk__in=[])
    for membership in access.memberships_with_role(user, *MONITORING_ROLES):
        scope = access.ROLE_SCOPES.get(membership.role)
        if scope is None or scope.view < access.Level.ORGANIZATION:
            continue
        organization = membership.organization
        if scope.view >= access.Level.REGION:
            condition |= Q(region_id=organization.region_id)
        else:
            condition |= Q(region_id=organization.region_id) & (
                Q(municipality__isnull=True) | Q(municipality_id=organization.municipality_id)
            )
    return condition


def campaigns_for(user):
    condition = campaign_condition(user)
    rows = Campaign.objects.select_related("region", "municipality").order_by("-period_end", "-id")
    return rows if condition is None else rows.filter(condition)


def campaign_for(user, pk) -> Campaign:
    try:
        return campaigns_for(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def submissions_for(user, campaign):
    return access.scope_queryset(user, Submission.objects.filter(campaign=campaign))


def submission_for(user, pk) -> Submission:
    return access.get_for_user_or_404(
        user, Submission.objects.select_related("campaign__region", "organization__municipality"), pk=pk
    )


def collection_due():
    """The collection deadline of each submission (the due date of its fill task), as a
    subquery over OuterRef("pk") — the control page reads it in the same query as the statuses."""
    from workflows.core.models import TaskDeadline

    from .flows import MonitoringFlow

    return Subquery(
        TaskDeadline.objects.filter(
            process__artifact_content_type=ContentType.objects.get_for_model(Submission),
            process__artifact_object_id=OuterRef("pk"),
            flow_task=get_task_ref(MonitoringFlow.fill),
        ).values("due_at")[:1]
    )


def _late(now) -> Q:
    """Late: handed in after the collection deadline (the last submission counts), or not started
    / a draft past it; a returned form has its own resubmission term instead."""
    handed_in_late = Q(status__in=SUBMITTED_STATUSES, submitted_at__isnull=False, submitted_at__gt=F("due_at"))
    overdue = Q(status__in=(SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT), due_at__lt=now)
    return Q(due_at__isnull=False) & (handed_in_late | overdue)


def _on_time() -> Q:
    """Handed in and not late."""
    return Q(status__in=SUBMITTED_STATUSES) & (
        Q(due_at__isnull=True) | Q(submitted_at__isnull=True) | Q(submitted_at__lte=F("due_at"))
    )


@dataclass
class Tally:
    """Counts of one municipality, one school, or the whole scope."""

    total: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    late: int = 0
    on_time: int = 0

    def add(self, status: str, late: bool, on_time: bool) -> None:
        self.total += 1
        setattr(self, status, getattr(self, status) + 1)
        self.late += late
        self.on_time += on_time

    @property
    def handed_in(self) -> int:
        return self.submitted + self.accepted

    @property
    def completeness(self):
        """Share of schools whose data are in (submitted or accepted), %."""
        return round(self.handed_in * 100 / self.total, 1) if self.total else None

    @property
    def on_time_rate(self):
        """Share of the handed-in data that came by the deadline, %."""
        return round(self.on_time * 100 / self.handed_in, 1) if self.handed_in else None


@dataclass
class SchoolRow:
    submission_id: int
    organization_id: int
    name: str
    municipality_id: int | None
    status: str
    submitted_at: object
    due_at: object
    late: bool
    on_time: bool
    warnings: int

    @property
    def status_label(self) -> str:
        return SubmissionStatus(self.status).label


@dataclass
class Progress:
    campaign: Campaign
    total: Tally
    municipalities: list = field(default_factory=list)  # (Municipality, Tally)
    schools: list = field(default_factory=list)  # SchoolRow, of the drilled-down municipality or all
    municipality: Municipality | None = None


def progress(user, campaign, *, municipality_id=None, now=None, schools=None) -> Progress:
    """The collection control page: what the user's scope holds of the campaign, counted by the
    database (one GROUP BY over the submissions with their deadline), and the school rows
    where the page lists them — `schools` True / False, or None: when drilled down to a
    municipality or the scope holds one municipality only (the regional view lists
    municipalities, not 1,100 schools). Three queries at most, however many schools."""
    now = now or timezone.now()
    scoped = submissions_for(user, campaign).annotate(due_at=collection_due())
    late, on_time = _late(now), _on_time()
    counts = {status: Count("pk", filter=Q(status=status)) for status in SubmissionStatus.values}
    rows = (
        scoped.order_by()
        .values("organization__municipality_id")
        .annotate(total=Count("pk"), late=Count("pk", filter=late), on_time=Count("pk", filter=on_time), **counts)
    )
    total, by_municipality = Tally(), {}
    for row in rows:
        tally = Tally(**{name: row[name] for name in ("total", "late", "on_time", *SubmissionStatus.values)})
        by_municipality[row["organization__municipality_id"]] = tally
        for name in ("total", "late", "on_time", *SubmissionStatus.values):
            setattr(total, name, getattr(total, name) + getattr(tally, name))
    names = Municipality.objects.in_bulk([m for m in by_municipality if m is not None])
    municipalities = sorted(((names[m], tally) for m, tally in by_municipality.items() if m in names),
                            key=lambda pair: pair[0].name)
    chosen = names.get(municipality_id) if municipality_id is not None else None
    if municipality_id is not None and chosen is None:
        raise Http404(NOT_FOUND)
    if schools is None:
        schools = municipality_id is not None or len(municipalities) <= 1
    school_rows = []
    if schools:
        listed = scoped.annotate(is_late=ExpressionWrapper(late, output_field=BooleanField()),
                                 is_on_time=ExpressionWrapper(on_time, output_field=BooleanField()))
        if municipality_id is not None:
            listed = listed.filter(organization__municipality_id=municipality_id)
        school_rows = [
            SchoolRow(pk, organization_id, name, municipality, status, submitted_at, due_at, bool(is_late),
                      bool(is_on_time), len(warnings or ()))
            for pk, organization_id, name, municipality, status, submitted_at, warnings, due_at, is_late, is_on_time
            in listed.order_by("organization__name", "id").values_list(
                "id", "organization_id", "organization__name", "organization__municipality_id", "status",
                "submitted_at", "warnings", "due_at", "is_late", "is_on_time")
        ]
    return Progress(campaign=campaign, total=total, municipalities=municipalities, schools=school_rows,
                    municipality=chosen)


def schools_of_user(user, campaign):
    """The campaign's schools the user may fill for (school head), for the import page."""
    return Organization.objects.filter(
        pk__in=submissions_for(user, campaign).values("organization_id")
    ).order_by("name")
