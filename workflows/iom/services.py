"""Every write of the ИОМ process: one transaction each (`step_atomic` where a step calls it),
keyword-only, the status changes through `fire`, errors from common.errors."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.utils import timezone

from common.errors import ActionForbidden, ActionRefused, AlreadyProcessed, InvalidInput
from common.uploads import UploadRefused, check_upload
from common.uploads.storage import store
from documents.errors import DocumentError
from documents.issuing import document_issue, document_preview
from orgstructure import access
from orgstructure.models import Membership, Organization, OrganizationKind, Person, Role
from workflows.core.audit import record_event
from workflows.core.calendar import WorkCalendar, day_off_note, local_date
from workflows.core.flowkit import step_atomic
from workflows.core.state import fire

from . import documents as iom_documents
from . import rules
from .models import (
    CASELOAD_STATUSES,
    REGISTERED_STATUSES,
    Activity,
    ActivityStatus,
    Approval,
    ApprovalStep,
    Decision,
    Deficit,
    IomEvent,
    IomRequest,
    RequestSource,
    Route,
    Status,
)

EDIT_CONFLICT = (
    "Маршрут уже изменил другой участник, пока вы его редактировали. Ваши изменения не сохранены "
    "(они остались в форме): обновите страницу, проверьте изменения коллеги и внесите свои ещё раз."
)
MAX_TEACHERS_PER_REQUEST = 200
REQUESTING_ROLES = {
    RequestSource.INDIVIDUAL: (Role.TEACHER,),
    RequestSource.INSTITUTIONAL: (Role.SCHOOL_HEAD,),
    RequestSource.MUNICIPAL: (Role.MUNI_AUTHORITY, Role.MMS_METHODIST, Role.RMA_MUNI_COORDINATOR),
}
CURATOR_ROLES = (Role.RMA_MEMBER, Role.CNPPM_METHODIST)


def today_in(region) -> dt.date:
    return local_date(timezone.now(), region.timezone)


# --- request ------------------------------------------------------------------------------------


def _requesting_organization(actor, source, persons) -> Organization:
    """Where the request comes from: the teacher's school, the school, the municipal body — and
    a check that the actor may ask for each of the persons."""
    if source == RequestSource.INDIVIDUAL:
        own = access.own_person(actor)
        if own is None or [p.pk for p in persons] != [own.pk]:
            raise ActionForbidden("Индивидуальный запрос педагог подаёт только о себе")
        return own.organization
    roles = REQUESTING_ROLES[source]
    for membership in access.memberships_with_role(actor, *roles):
        organization = membership.organization
        if source == RequestSource.INSTITUTIONAL:
            fits = all(person.organization_id == organization.pk for person in persons)
        else:
            fits = organization.municipality_id is not None and all(
                person.organization.municipality_id == organization.municipality_id for person in persons
            )
        if fits:
            return organization
    if source == RequestSource.INSTITUTIONAL:
        raise ActionForbidden(
            "Запрос от образовательной организации подаёт её руководитель о педагогах этой организации"
        )
    raise ActionForbidden(
        "Муниципальный запрос подаёт орган управления образованием или ММС о педагогах муниципалитета"
    )


def request_validate(*, actor, source, persons, topic) -> Organization:
    """Everything a request needs, checked before any process starts (no writes)."""
    errors = {}
    if source not in RequestSource.values:
        errors["source"] = ["Выберите вид потребности"]
    if not (topic or "").strip():
        errors["topic"] = ["Опишите, с чем нужна помощь (затруднения, дефициты)"]
    if not persons:
        errors["persons"] = ["Выберите хотя бы одного педагога"]
    elif len(persons) > MAX_TEACHERS_PER_REQUEST:
        errors["persons"] = [f"Не больше {MAX_TEACHERS_PER_REQUEST} педагогов в одном запросе"]
    if errors:
        raise InvalidInput(errors)
    without_account = sorted(person.full_name for person in persons if person.user_id is None)
    if without_account:
        raise InvalidInput(
            {
                "persons": [
                    "ИОМ разрабатывается вместе с педагогом, у педагога нет учётной записи: "
                    + ", ".join(without_account)
                ]
            }
        )
    organization = _requesting_organization(actor, source, persons)
    busy = list(Route.objects.filter(person__in=persons).exclude(status=Status.COMPLETED).select_related("person"))
    if busy:
        names = ", ".join(sorted(route.person.full_name for route in busy))
        raise InvalidInput({"persons": [f"У педагога уже есть незавершённый ИОМ: {names}"]})
    return organization


@transaction.atomic
def request_create(*, actor, source, organization, persons, topic) -> IomRequest:
    """The request and one route per teacher (flows.request_submit starts their processes)."""
    request = IomRequest.objects.create(
        region_id=organization.region_id,
        municipality_id=organization.municipality_id,
        organization=organization,
        source=source,
        topic=topic.strip(),
        requested_by=actor,
    )
    record_event(actor=actor, obj=request, event=IomEvent.REQUESTED, data={"teachers": len(persons)})
    return request


@transaction.atomic
def route_create(*, actor, request, person) -> Route:
    try:
        with transaction.atomic():
            route = Route.objects.create(request=request, person=person)
    except IntegrityError as exc:
        raise ActionRefused(f"У педагога {person.full_name} уже есть незавершённый ИОМ") from exc
    record_event(actor=actor, obj=route, event=IomEvent.REQUESTED, to_state=route.status)
    return route


# --- assignment ---------------------------------------------------------------------------------


def curator_candidates(route) -> list[rules.Candidate]:
    """Who may curate the route, best first (rules.rank_candidates): the region's РМА members
    (their memberships carry subjects, orgstructure.memberships) and ЦНППМПР methodists, each
    with their open caseload; a municipal request only the РМА members of its municipality (the
    municipal methodical team, ММК, 003:L1108). Three queries."""
    person = route.person
    school = person.organization
    subjects = set(person.subjects.values_list("pk", flat=True))
    memberships = Membership.objects.filter(
        is_active=True, user__is_active=True, role__in=CURATOR_ROLES, organization__region_id=school.region_id
    ).select_related("user", "organization")
    if route.request.source == RequestSource.MUNICIPAL:
        memberships = memberships.filter(role=Role.RMA_MEMBER, organization__municipality_id=school.municipality_id)
    memberships = list(memberships.prefetch_related("subjects"))
    loads = dict(
        Route.objects.filter(curator_id__in={m.user_id for m in memberships}, status__in=CASELOAD_STATUSES)
        .values("curator_id")
        .annotate(n=Count("id"))
        .values_list("curator_id", "n")
    )
    seen, candidates = set(), []
    for membership in memberships:
        if membership.user_id in seen or membership.user_id == person.user_id:
            continue
        seen.add(membership.user_id)
        member_subjects = {subject.pk for subject in membership.subjects.all()}
        is_member = membership.role == Role.RMA_MEMBER
        candidates.append(
            rules.Candidate(
                user_id=membership.user_id,
                name=membership.user.get_full_name() or membership.user.username,
                role=membership.role,
                organization_id=membership.organization_id,
                load=loads.get(membership.user_id, 0),
                subject_match=is_member and bool(subjects & member_subjects),
                municipality_match=is_member and membership.organization.municipality_id == school.municipality_id,
            )
        )
    return rules.rank_candidates(candidates)


@step_atomic
def route_assign(*, actor, route, curator_id: int, today: dt.date | None = None) -> Route:
    candidates = {candidate.user_id: candidate for candidate in curator_candidates(route)}
    chosen = candidates.get(curator_id)
    if chosen is None:
        raise InvalidInput({"curator": ["Выберите куратора из предложенных: методиста ЦНППМПР или члена РМА"]})
    route.curator_id = chosen.user_id
    route.curator_role = chosen.role
    route.curator_organization_id = chosen.organization_id
    fire(
        route,
        "assign",
        actor=actor,
        event=IomEvent.ASSIGNED,
        comment=f"{chosen.name}; в работе у куратора маршрутов: {chosen.load}",  # after «Назначен куратор ИОМ: »
        data={"curator_id": chosen.user_id, "load": chosen.load},
    )
    _copy_diagnosed_deficits(route)
    return route


def _copy_diagnosed_deficits(route) -> None:
    """The deficits of the teacher's current diagnosis become the route's deficits that must be
    addressed (diagnostics are imported by ЦОПМКП; see diagnostics.selectors.current_diagnosis)."""
    from . import diagnosis_link

    diagnosis = diagnosis_link.current_diagnosis(route.person, today_in(route.person.organization.region))
    if diagnosis is None:
        return
    route.diagnosis = diagnosis
    Route.objects.filter(pk=route.pk).update(diagnosis=diagnosis)
    scores = {row.area: row.score for row in diagnosis.scores.all()}
    Deficit.objects.bulk_create(
        Deficit(route=route, area=row.area, description=row.title, score=scores.get(row.area), diagnosed=True)
        for row in diagnosis.deficits.all()
    )


# --- design (teacher and curator at once: optimistic locking) -----------------------------------


def may_edit(user, route) -> bool:
    return route.status == Status.DESIGN and (route.curator_id == user.pk or route.person.user_id == user.pk)


def _bump(*, actor, route, version, what: str) -> Route:
    """Take the next version of the design, conditionally on the one the editor read."""
    if not may_edit(actor, route):
        raise ActionForbidden("Изменять маршрут могут педагог и куратор, пока маршрут в разработке")
    try:
        version = int(version)
    except (TypeError, ValueError):
        version = -1
    changed = Route.objects.filter(pk=route.pk, version=version, status=Status.DESIGN).update(version=F("version") + 1)
    if changed != 1:
        raise AlreadyProcessed(EDIT_CONFLICT)
    route.version = version + 1
    record_event(actor=actor, obj=route, event=IomEvent.EDITED, comment=what, data={"version": route.version})
    return route


@transaction.atomic
def route_update(*, actor, route, version, period_from, period_to, theme, goal, planned_results) -> Route:
    settings = (
        route.person.organization.region.iom_settings
        if hasattr(route.person.organization.region, "iom_settings")
        else None
    )
    max_months = settings.max_period_months if settings else rules.DEFAULT_MAX_PERIOD_MONTHS
    errors = rules.period_errors(period_from, period_to, max_months=max_months)
    if errors:
        raise InvalidInput({"period_to": errors})
    _bump(actor=actor, route=route, version=version, what="цель, период и результаты")
    Route.objects.filter(pk=route.pk).update(
        period_from=period_from,
        period_to=period_to,
        theme=theme.strip(),
        goal=goal.strip(),
        planned_results=planned_results.strip(),
    )
    route.period_from, route.period_to = period_from, period_to
    route.theme, route.goal, route.planned_results = theme.strip(), goal.strip(), planned_results.strip()
    return route


@transaction.atomic
def deficit_add(*, actor, route, version, area, description, goal="") -> Deficit:
    if not (description or "").strip():
        raise InvalidInput({"description": ["Опишите дефицит"]})
    if area not in rules.CompetencyArea.values:
        raise InvalidInput({"area": ["Выберите область компетенций"]})
    _bump(actor=actor, route=route, version=version, what=f"добавлен дефицит «{description.strip()}»")
    return Deficit.objects.create(route=route, area=area, description=description.strip(), goal=goal.strip())


@transaction.atomic
def deficit_update(*, actor, route, version, deficit_id, goal="", area=None, description=None) -> Deficit:
    """The task set for a deficit (deficits → goals), and for one added by hand its wording; a
    deficit found by the diagnosis keeps its area and wording. The same lock as every design edit."""
    deficit = _design_row(Deficit, route, version, deficit_id, "Дефицит не найден")
    if not deficit.diagnosed:
        if not (description or "").strip():
            raise InvalidInput({"description": ["Опишите дефицит"]})
        if area not in rules.CompetencyArea.values:
            raise InvalidInput({"area": ["Выберите область компетенций"]})
        deficit.area, deficit.description = area, description.strip()
    deficit.goal = (goal or "").strip()
    _bump(actor=actor, route=route, version=version, what=f"изменён дефицит «{deficit.description}»")
    deficit.save(update_fields=["area", "description", "goal"])
    return deficit


@transaction.atomic
def deficit_remove(*, actor, route, version, deficit_id) -> None:
    deficit = _design_row(Deficit, route, version, deficit_id, "Дефицит не найден")
    if deficit.diagnosed:
        raise ActionRefused("Дефицит, выявленный диагностикой, удалить нельзя: его нужно закрыть мероприятием")
    if deficit.activities.exists():
        raise ActionRefused("Сначала удалите мероприятия, которые закрывают этот дефицит")
    _bump(actor=actor, route=route, version=version, what=f"удалён дефицит «{deficit.description}»")
    deficit.delete()


ACTIVITY_FIELDS = (
    "deficit",
    "kind",
    "title",
    "provider",
    "provider_text",
    "mentor",
    "programme",
    "hours",
    "starts_on",
    "due_on",
    "expected_result",
)


def _apply_activity(activity, values) -> Activity:
    """Set the plan line's fields from the form's values; a programme of the catalogue names the
    line (unless it is named), brings its ФР ДПП flag and, if none is chosen, its provider."""
    for name in ACTIVITY_FIELDS:
        if name in values:
            setattr(activity, name, values[name])
    programme = activity.programme if activity.programme_id else None
    activity.programme_title = programme.title if programme is not None else ""
    activity.in_federal_register = programme.in_federal_register if programme is not None else False
    if programme is not None and not activity.provider_id:
        activity.provider = programme.provider
    activity.title = (activity.title or "").strip() or activity.programme_title
    activity.provider_text = (activity.provider_text or "").strip()
    activity.expected_result = (activity.expected_result or "").strip()
    return activity


def _working_due(activity) -> dt.date | None:
    """A due date on a day off moves to the next working day, as the deadline of the activity's
    task does (ГК РФ ст. 193): the plan, DOC-3 and the teacher's task then show one date, not the
    Sunday over a task due on Monday. Returns the date asked for when it moved."""
    asked = activity.due_on
    if asked is None:
        return None
    activity.due_on = WorkCalendar.load().roll_forward(asked)
    return asked if activity.due_on != asked else None


def moved_due_note(activity) -> str:
    """«31.01.2027 — выходной день, срок — 01.02.2027» when the line's due date was moved off a day
    off as it was saved (or nothing)."""
    return day_off_note(getattr(activity, "due_asked", None), activity.due_on)


def _checked(route, activity) -> None:
    """The line's due date on a working day, then its checks (refused with the reasons)."""
    activity.due_asked = _working_due(activity)
    errors = _activity_errors(route, activity)
    if errors:
        if activity.due_asked is not None:
            errors.insert(0, f"«{activity.title or 'мероприятие'}»: {moved_due_note(activity)}")
        raise InvalidInput({"__all__": errors})


def _activity_errors(route, activity) -> list[str]:
    """What is wrong with a plan line, checked against the route's period (an activity outside it
    is refused)."""
    errors = []
    if not activity.title:
        errors.append("Назовите мероприятие")
    if activity.deficit_id and activity.deficit.route_id != route.pk:
        errors.append("Дефицит из другого маршрута")
    if not activity.expected_result:
        errors.append("Укажите форму отчётности (продукт)")
    if route.period_from is None or route.period_to is None:
        errors.append("Сначала укажите период маршрута")
    return errors + rules.activity_errors(activity, route.period_from, route.period_to)


@transaction.atomic
def activity_add(*, actor, route, version, **values) -> Activity:
    """A line of the plan, checked against the route's period (an activity outside it is refused)."""
    activity = _apply_activity(Activity(route=route), values)
    _checked(route, activity)
    _bump(actor=actor, route=route, version=version, what=f"добавлено мероприятие «{activity.title}»")
    activity.save()
    return activity


def _design_row(model, route, version, pk, missing: str):
    """The route's deficit or plan line, or — when it is gone — the conflict message if the
    editor's version is stale (a colleague removed it meanwhile), else «не найдено»."""
    row = model.objects.filter(route=route, pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        if str(version) != str(Route.objects.filter(pk=route.pk).values_list("version", flat=True).first()):
            raise AlreadyProcessed(EDIT_CONFLICT)
        raise InvalidInput({"__all__": [missing]})
    return row


def _design_activity(route, version, activity_id) -> Activity:
    return _design_row(Activity, route, version, activity_id, "Мероприятие не найдено")


@transaction.atomic
def activity_update(*, actor, route, version, activity_id, **values) -> Activity:
    """Change a line of the plan while the route is designed: the same checks as a new line, and
    the same optimistic lock (the later of two concurrent edits is refused, nothing is lost)."""
    activity = _design_activity(route, version, activity_id)
    was = activity.title
    _apply_activity(activity, values)
    _checked(route, activity)
    what = f"изменено мероприятие «{activity.title}»" + (f" (было «{was}»)" if was != activity.title else "")
    _bump(actor=actor, route=route, version=version, what=what)
    activity.save()
    return activity


@transaction.atomic
def activity_remove(*, actor, route, version, activity_id) -> None:
    activity = _design_activity(route, version, activity_id)
    _bump(actor=actor, route=route, version=version, what=f"удалено мероприятие «{activity.title}»")
    activity.delete()


def route_check(route) -> list[str]:
    """What keeps the route from being submitted (rules.route_errors over its saved design)."""
    settings = getattr(route.person.organization.region, "iom_settings", None)
    return rules.route_errors(
        period_from=route.period_from,
        period_to=route.period_to,
        goal=route.goal,
        deficits=list(route.deficits.all()),
        activities=list(route.activities.all()),
        max_months=settings.max_period_months if settings else rules.DEFAULT_MAX_PERIOD_MONTHS,
    )


class RouteChanged(ActionRefused):
    """The route changed since the curator's page was read; `current` is its version now."""

    def __init__(self, message, *, current):
        super().__init__(message)
        self.current = current


SUBMIT_STALE = (
    "Пока страница была открыта, маршрут изменили (версия {read} → {current}). Проверьте план выше и "
    "нажмите «Направить на согласование» ещё раз."
)


@step_atomic
def route_submit(*, actor, route, version=None) -> Route:
    """The curator sends the route on (a route with an unaddressed deficit cannot go). With
    `version` (the one the curator's page showed), a route changed since — the teacher saved
    something meanwhile — is not sent unseen: the row is locked, so an edit cannot slip in
    between this check and the change of status."""
    if version is not None:
        current = Route.objects.select_for_update().filter(pk=route.pk).values_list("version", flat=True).first()
        if current != int(version):
            raise RouteChanged(SUBMIT_STALE.format(read=version, current=current), current=current)
        route.refresh_from_db()
    errors = route_check(route)
    if errors:
        raise InvalidInput({"__all__": errors})
    route.return_comment = ""
    return fire(route, "submit", actor=actor, event=IomEvent.SUBMITTED, comment=f"версия {route.version}")


# --- approval -----------------------------------------------------------------------------------


def _signer(actor, role, organization=None) -> tuple[str, str]:
    """(position, name) of the one who decides, for the «Лист согласования»: the teacher record's
    position and name where the user has one, else the membership's position and the account's
    name (surname first)."""
    person = access.own_person(actor)
    name = person.full_name if person else " ".join(p for p in (actor.last_name, actor.first_name) if p)
    name = name or actor.username
    position = person.position if person else ""
    for membership in access.memberships_with_role(actor, role):
        if organization is None or membership.organization_id == organization.pk:
            position = membership.position or position
            head = membership.organization
            if not position and role == Role.SCHOOL_HEAD and head.head_position and head.head_name.startswith(name):
                position = head.head_position  # the head themself (a deputy holds the role too)
            break
    position = position or DEFAULT_POSITIONS.get(role, Role(role).label)
    return position[:1].upper() + position[1:], name


DEFAULT_POSITIONS = {
    Role.SCHOOL_HEAD: "руководитель образовательной организации",
    Role.CNPPM_METHODIST: "методист ЦНППМПР",
    Role.RMA_MEMBER: "региональный методист (член РМА)",
}


def _approval(*, route, actor, step, role, decision, comment="", organization=None) -> Approval:
    position, name = _signer(actor, role, organization)
    return Approval.objects.create(
        route=route, step=step, user=actor, position=position, name=name, decision=decision, comment=comment
    )


def _needs_comment(agree: bool, comment: str) -> str:
    comment = (comment or "").strip()
    if not agree and not comment:
        raise InvalidInput({"comment": ["Напишите замечания: что доработать"]})
    return comment


@step_atomic
def route_agree(*, actor, route, agree: bool, comment: str = "") -> Route:
    comment = _needs_comment(agree, comment)
    if agree:
        fire(route, "agree", actor=actor, event=IomEvent.AGREED, comment=comment)
    else:
        route.return_comment = comment
        fire(route, "teacher_return", actor=actor, event=IomEvent.TEACHER_RETURNED, comment=comment)
    _approval(
        route=route,
        actor=actor,
        step=ApprovalStep.TEACHER,
        role=Role.TEACHER,
        decision=Decision.AGREED if agree else Decision.RETURNED,
        comment=comment,
    )
    return route


@step_atomic
def route_endorse(*, actor, route, endorse: bool, comment: str = "") -> Route:
    comment = _needs_comment(endorse, comment)
    if endorse:
        fire(route, "endorse", actor=actor, event=IomEvent.ENDORSED, comment=comment)
    else:
        route.return_comment = comment
        fire(route, "school_return", actor=actor, event=IomEvent.SCHOOL_RETURNED, comment=comment)
    _approval(
        route=route,
        actor=actor,
        step=ApprovalStep.SCHOOL,
        role=Role.SCHOOL_HEAD,
        decision=Decision.AGREED if endorse else Decision.RETURNED,
        comment=comment,
        organization=route.person.organization,
    )
    return route


def registry_body(route) -> Organization:
    """The ЦНППМПР of the teacher's region: it keeps the «Реестр ИОМ» and its numbering register."""
    body = Organization.objects.filter(region_id=route.person.organization.region_id, kind=OrganizationKind.CNPPMPR)
    found = body.order_by("id").first()
    if found is None:
        raise ActionRefused("В регионе нет ЦНППМПР: реестр ИОМ вести некому")
    return found


@step_atomic
def route_register(*, actor, route, issued_on: dt.date | None = None) -> Route:
    """The curator registers the route: DOC-3 is numbered in the ЦНППМПР's register (gap-free,
    under its row lock) and the route carries its number. A document that cannot be rendered
    leaves the route unregistered and takes no number."""
    region = route.person.organization.region
    issued_on = issued_on or today_in(region)
    _approval(
        route=route,
        actor=actor,
        step=ApprovalStep.CURATOR,
        role=route.curator_role or Role.CNPPM_METHODIST,
        decision=Decision.REGISTERED,
    )
    route.registered_on = issued_on
    try:
        document = document_issue(
            kind=iom_documents.IOM_KIND,
            issuing_organization=registry_body(route),
            artefact=route,
            context=iom_documents.route_context(route),
            signatory=iom_documents.school_signatory(route),
            issued_on=issued_on,
            actor=actor,
            person=route.person,
        )
    except DocumentError as exc:
        raise ActionRefused(f"ИОМ не зарегистрирован: {exc}") from exc
    route.number = document.number
    return fire(
        route,
        "register",
        actor=actor,
        event=IomEvent.REGISTERED,
        comment=f"№ {document.number}",
        data={"document_id": document.pk, "number": document.number},
    )


def route_document_copy(*, route) -> bytes:
    """DOC-3 of a registered route as it stands now: the plan with its «Отметка о выполнении»
    (done with its evidence, skipped with its reason), under the route's number and date of
    registration — the current copy for the teacher's portfolio, the curator and the school. The
    document issued at registration stays in the archive as it was approved; nothing is numbered
    or stored here."""
    if route.status not in REGISTERED_STATUSES or not route.number:
        raise ActionRefused("Маршрут ещё не зарегистрирован в реестре ИОМ: отметок о выполнении нет")
    try:
        return document_preview(
            kind=iom_documents.IOM_KIND,
            issuing_organization=registry_body(route),
            context=iom_documents.route_context(route),
            signatory=iom_documents.school_signatory(route),
            issued_on=route.registered_on,
            number=route.number,
        )
    except DocumentError as exc:
        raise ActionRefused(f"Копия ИОМ не сформирована: {exc}") from exc


# --- implementation -----------------------------------------------------------------------------


def _open_activity(activity) -> Activity:
    if activity.route.status != Status.IN_PROGRESS:
        raise ActionRefused("Маршрут не реализуется: отметить мероприятие нельзя")
    if activity.status != ActivityStatus.PLANNED:
        raise AlreadyProcessed("Мероприятие уже отмечено")
    return activity


def _may_mark(actor, activity) -> None:
    route = activity.route
    if route.person.user_id != actor.pk and route.curator_id != actor.pk:
        raise ActionForbidden("Отметить мероприятие могут педагог и куратор маршрута")


@step_atomic
def activity_done(*, actor, activity, done_on, evidence=None, link: str = "", note: str = "") -> Activity:
    _may_mark(actor, activity)
    _open_activity(activity)
    today = today_in(activity.route.person.organization.region)
    errors = rules.done_errors(
        has_file=evidence is not None, link=link, note=note, done_on=done_on, starts_on=activity.starts_on, today=today
    )
    if errors:
        raise InvalidInput({"__all__": errors})
    if evidence is not None:
        try:
            checked = check_upload(evidence, label="Подтверждение")
        except UploadRefused as exc:
            raise InvalidInput({"evidence": exc.messages}) from exc
        store(activity.evidence, checked.data)
        activity.evidence_name = checked.name[:255]
    claimed = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.PLANNED).update(status=ActivityStatus.DONE)
    if claimed != 1:
        raise AlreadyProcessed("Мероприятие уже отмечено")
    activity.status = ActivityStatus.DONE
    activity.done_on, activity.evidence_link, activity.note = done_on, (link or "").strip(), (note or "").strip()
    activity.save(update_fields=["done_on", "evidence", "evidence_name", "evidence_link", "note", "status"])
    record_event(
        actor=actor,
        obj=activity.route,
        event=IomEvent.ACTIVITY_DONE,
        comment=activity.title,
        data={"activity_id": activity.pk},
    )
    return activity


@step_atomic
def activity_skip(*, actor, activity, reason: str) -> Activity:
    _may_mark(actor, activity)
    _open_activity(activity)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": ["Укажите причину, по которой мероприятие не выполнено"]})
    claimed = Activity.objects.filter(pk=activity.pk, status=ActivityStatus.PLANNED).update(
        status=ActivityStatus.SKIPPED, skip_reason=reason
    )
    if claimed != 1:
        raise AlreadyProcessed("Мероприятие уже отмечено")
    activity.status, activity.skip_reason = ActivityStatus.SKIPPED, reason
    record_event(
        actor=actor,
        obj=activity.route,
        event=IomEvent.ACTIVITY_SKIPPED,
        comment=f"{activity.title}: {reason}",
        data={"activity_id": activity.pk},
    )
    return activity


# --- completion ---------------------------------------------------------------------------------


@step_atomic
def route_report(*, actor, route, self_report: str) -> Route:
    self_report = (self_report or "").strip()
    if not self_report:
        raise InvalidInput({"self_report": ["Опишите, что сделано и каков результат"]})
    left = rules.open_activities(route.activities.all())
    if left:
        titles = "; ".join(activity.title for activity in left)
        raise InvalidInput({"__all__": [f"Не отмечены мероприятия: {titles}. Отметьте выполнение или причину"]})
    route.self_report = self_report
    return fire(route, "report", actor=actor, event=IomEvent.REPORTED)


@step_atomic
def route_confirm(
    *, actor, route, confirm: bool, result: str = "", comment: str = "", issued_on: dt.date | None = None
) -> Route:
    """The curator confirms the result (and the справка о выполнении ИОМ is issued) or returns
    the self-report with a comment."""
    if not confirm:
        comment = _needs_comment(False, comment)
        route.return_comment = comment
        return fire(route, "return_report", actor=actor, event=IomEvent.REPORT_RETURNED, comment=comment)
    result = (result or "").strip()
    if not result:
        raise InvalidInput({"result": ["Запишите подтверждённый результат («от ИОМа к результату»)"]})
    region = route.person.organization.region
    route.result = result
    route.completed_on = issued_on or today_in(region)
    fire(route, "confirm", actor=actor, event=IomEvent.CONFIRMED, comment=result)
    try:
        document_issue(
            kind=iom_documents.COMPLETION_KIND,
            issuing_organization=registry_body(route),
            artefact=route,
            context=iom_documents.completion_context(route),
            signatory=None,
            issued_on=route.completed_on,
            actor=actor,
            person=route.person,
        )
    except DocumentError as exc:
        raise ActionRefused(f"Справка о выполнении ИОМ не сформирована, результат не подтверждён: {exc}") from exc
    return route


@transaction.atomic
def round_table_select(*, actor, routes, selected: bool = True) -> int:
    """The coordinator selects completed routes for the expert round table (003:L1520)."""
    count = 0
    for route in routes:
        if not access.reaches(actor, (Role.CNPPM_COORDINATOR,), person=route.person):
            raise ActionForbidden("Отбирать маршруты для круглого стола может координатор ЦНППМПР")
        if route.status != Status.COMPLETED:
            raise ActionRefused(f"{route}: на круглый стол отбираются только завершённые маршруты")
        if route.round_table == selected:
            continue
        Route.objects.filter(pk=route.pk).update(round_table=selected)
        record_event(actor=actor, obj=route, event=IomEvent.ROUND_TABLE, comment="отобран" if selected else "снят")
        count += 1
    return count


def persons_for_request(actor, source, ids) -> list[Person]:
    persons = list(access.scope_queryset(actor, Person.objects.filter(pk__in=ids)).select_related("organization"))
    if len(persons) != len(set(ids)):
        raise InvalidInput({"persons": ["Педагог не найден"]})
    return persons
