"""Adding a measure to the plan (a module of its own: it starts MeasureFlow, whose step page calls
measures_services.py — no flows ↔ services cycle)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.errors import ActionForbidden, InvalidInput
from orgstructure.models import Membership
from workflows.core.audit import record_event
from workflows.core.calendar import WorkCalendar, local_date

from .analysis_models import MEASURE_OWNER_ROLES, ManagementEvent, Measure, can_manage
from .measures_flows import MeasureFlow
from .models import Campaign


@transaction.atomic
def measure_add(*, actor, campaign: Campaign, title: str, indicator_code: str, owner_membership: Membership,
                due) -> Measure:
    """A measure of the plan: its task goes to the owner's inbox with the measure's due date (a day
    off moved to the next working day; the returned measure holds the date kept)."""
    municipality_id = owner_membership.organization.municipality_id if owner_membership else None
    if not (can_manage(actor, campaign) or can_manage(actor, campaign, municipality_id)):
        raise ActionForbidden()
    errors = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = ["Опишите меру"]
    if not campaign.indicators.filter(code=indicator_code).exists():
        errors["indicator_code"] = ["Выберите показатель кампании, на который направлена мера"]
    if (owner_membership is None or owner_membership.organization.region_id != campaign.region_id
            or owner_membership.role not in MEASURE_OWNER_ROLES):
        errors["owner"] = ["Выберите ответственного — должностное лицо организации территории"]
    today = local_date(timezone.now(), campaign.region.timezone)
    if due is None or due < today:
        errors["due"] = ["Укажите срок не раньше сегодняшнего дня"]
    if errors:
        raise InvalidInput(errors)
    # A day off moves to the next working day (ГК РФ ст. 193), as the task's due date does: the
    # plan, the приказ and the task then show one date, not 27.12 over a task due 28.12.
    due = WorkCalendar.load().roll_forward(due)
    measure = Measure.objects.create(
        campaign=campaign, title=title, indicator_code=indicator_code, owner_id=owner_membership.user_id,
        owner_organization=owner_membership.organization,
        owner_position=owner_membership.position or owner_membership.get_role_display(),
        due=due, created_by=actor,
    )
    record_event(actor=actor, obj=measure, event=ManagementEvent.MEASURE_PLANNED, from_state="",
                 to_state=measure.status, comment=title)
    MeasureFlow.start.run(measure=measure)
    return measure
