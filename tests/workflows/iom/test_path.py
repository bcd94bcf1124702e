"""The whole path of an ИОМ through the real pages (issue 13): a teacher's request, the curator
proposed and assigned, the design by teacher and curator, the teacher's agreement, the school's
return with comments and its endorsement on the second pass, registration with a number and DOC-3,
the activities done with evidence or skipped with a reason, the self-report and the confirmed
result with its справка."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.models import IssuedDocument
from tests import corpus
from workflows.core.audit import history
from workflows.core.calendar import WorkCalendar
from workflows.core.flowkit import flow_url
from workflows.core.models import TaskDeadline
from workflows.iom import services
from workflows.iom.documents import COMPLETION_KIND, IOM_KIND
from workflows.iom.flows import ActivityFlow, RouteFlow
from workflows.iom.models import ActivityStatus, Approval, Route, Status

from .conftest import TODAY, client, do, open_task

pytestmark = pytest.mark.django_db


def request_route(world, user=None, source="individual", persons=None):
    persons = persons or [world.person]
    response = client(user or world.teacher).post(
        flow_url(RouteFlow, "request_new"),
        {"source": source, "persons": [p.pk for p in persons], "topic": "Затруднения с формирующим оцениванием"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    return Route.objects.filter(person__in=persons).order_by("id")


def design(world, route, user=None):
    user = user or world.methodist
    c = client(user)
    design_url = flow_url(RouteFlow, "design", route.pk)
    route.refresh_from_db()
    start, end = TODAY, TODAY + dt.timedelta(days=180)
    r = c.post(
        design_url,
        {
            "action": "header",
            "version": route.version,
            "period_from": start,
            "period_to": end,
            "theme": "Формирующее оценивание",
            "goal": "Освоить приёмы формирующего оценивания",
            "planned_results": "Комплект заданий",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    route.refresh_from_db()
    r = c.post(
        design_url,
        {"action": "deficit", "version": route.version, "area": "methodical", "description": "Формирующее оценивание"},
    )
    assert r.status_code == 302
    route.refresh_from_db()
    deficit = route.deficits.get()
    for kind, extra in (
        ("self_study", {"title": "Изучение методических рекомендаций", "provider_text": "ШМО"}),
        ("mentoring", {"title": "Наставничество опытного коллеги", "mentor": world.mentor.pk}),
    ):
        route.refresh_from_db()
        r = c.post(
            design_url,
            {
                "action": "activity",
                "version": route.version,
                "deficit": deficit.pk,
                "kind": kind,
                "hours": 12,
                "starts_on": start,
                "due_on": start + dt.timedelta(days=30),
                "expected_result": "конспект",
                **extra,
            },
        )
        assert r.status_code == 302, r.content.decode()[:3000]
    route.refresh_from_db()
    return route


def test_the_whole_path_from_request_to_confirmed_result(world, settings):
    route = request_route(world).get()
    assert route.status == Status.REQUESTED
    task = open_task(route, RouteFlow.assign)
    assert task.owner == world.coordinator
    assert TaskDeadline.objects.get(task=task).due_at is not None

    # the coordinator sees the proposal: the РМА member of the teacher's subject and municipality first
    page = client(world.coordinator).get(flow_url(RouteFlow, "index"))
    assert page.status_code == 200
    candidates = services.curator_candidates(route)
    assert candidates[0].user_id == world.member.pk
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route.refresh_from_db()
    assert route.status == Status.DESIGN and route.curator == world.methodist

    design(world, route, world.teacher)  # the teacher designs too
    do(world.methodist, route, RouteFlow.design)
    route.refresh_from_db()
    assert route.status == Status.AGREEMENT

    do(world.teacher, route, RouteFlow.agree, {"decision": "agree"})
    route.refresh_from_db()
    assert route.status == Status.ENDORSEMENT
    assert open_task(route, RouteFlow.endorse).owner == world.head

    # the school returns it with comments; a return without comments is refused
    response = do(world.head, route, RouteFlow.endorse, {"decision": "return", "comment": ""}, expect=200)
    assert "Напишите замечания" in response.content.decode()
    do(world.head, route, RouteFlow.endorse, {"decision": "return", "comment": "Добавьте открытый урок"})
    route.refresh_from_db()
    assert route.status == Status.DESIGN and route.return_comment == "Добавьте открытый урок"
    design_task = open_task(route, RouteFlow.design)
    assert design_task.owner == world.methodist
    assert TaskDeadline.objects.get(task=design_task).due_at is not None  # each pass has its due date
    do(world.methodist, route, RouteFlow.design)
    do(world.teacher, route, RouteFlow.agree, {"decision": "agree"})
    do(world.head, route, RouteFlow.endorse, {"decision": "agree"})
    route.refresh_from_db()
    assert route.status == Status.REGISTRATION

    do(world.methodist, route, RouteFlow.registration)
    route.refresh_from_db()
    assert route.status == Status.IN_PROGRESS and route.number == "1/ИОМ"
    doc = IssuedDocument.objects.get(kind=IOM_KIND)
    assert doc.number == "1/ИОМ" and doc.organization_id == world.cnppm.pk
    steps = list(Approval.objects.filter(route=route).values_list("step", "decision"))
    assert steps == [
        ("teacher", "agreed"),
        ("school", "returned"),
        ("teacher", "agreed"),
        ("school", "agreed"),
        ("curator", "registered"),
    ]

    # the activities are in the teacher's inbox with the plan's due dates
    activities = list(route.activities.all())
    first, second = activities
    task = open_task(first, ActivityFlow.carry_out)
    assert task.owner == world.teacher
    # the report cannot come before every activity is closed
    response = do(world.teacher, route, RouteFlow.report, {"self_report": "Готово"}, expect=200)
    assert "Не отмечены мероприятия" in response.content.decode()
    evidence = SimpleUploadedFile("konspekt.pdf", corpus.PDF, content_type="application/pdf")
    do(world.teacher, first, ActivityFlow.carry_out, {"decision": "done", "done_on": TODAY, "evidence": evidence})
    response = do(world.teacher, second, ActivityFlow.carry_out, {"decision": "skip", "reason": ""}, expect=200)
    assert "Укажите причину" in response.content.decode()
    do(world.teacher, second, ActivityFlow.carry_out, {"decision": "skip", "reason": "наставник на больничном"})
    first.refresh_from_db()
    assert first.status == ActivityStatus.DONE and first.evidence.name.startswith("iom/")

    page = client(world.teacher).get(flow_url(RouteFlow, "my"))
    assert "2 из 2 мероприятий (100 %)" in page.content.decode()

    do(world.teacher, route, RouteFlow.report, {"self_report": "Разработан комплект заданий"})
    do(world.methodist, route, RouteFlow.confirm, {"decision": "confirm", "result": "Комплект применяется в ШМО"})
    route.refresh_from_db()
    assert route.status == Status.COMPLETED and route.completed_on == services.today_in(world.region)
    assert IssuedDocument.objects.filter(kind=COMPLETION_KIND, artefact_id=str(route.pk)).exists()
    events = [e.event for e in history(route)]
    assert events[0] == "iom.requested" and events[-1] == "iom.confirmed"
    assert "iom.school_returned" in events and "iom.registered" in events


def test_a_route_with_an_unaddressed_diagnosed_deficit_cannot_be_submitted(world):
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route = design(world, route)
    diagnosed = route.deficits.create(area="it", description="Цифровые инструменты", diagnosed=True)
    response = do(world.methodist, route, RouteFlow.design, expect=200)
    assert "Дефицит «Цифровые инструменты» не закрыт ни одним мероприятием" in response.content.decode()
    route.refresh_from_db()
    assert route.status == Status.DESIGN and diagnosed.pk


def test_an_activity_outside_the_period_is_refused_with_a_russian_message(world):
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route = design(world, route)
    late = route.period_to + dt.timedelta(days=5)
    response = client(world.teacher).post(
        flow_url(RouteFlow, "design", route.pk),
        {
            "action": "activity",
            "version": route.version,
            "kind": "self_study",
            "title": "Летняя школа",
            "hours": 6,
            "starts_on": route.period_to,
            "due_on": late,
            "expected_result": "эссе",
        },
    )
    assert response.status_code == 200
    assert "вне периода маршрута" in response.content.decode()
    assert route.activities.count() == 2


def test_the_later_of_two_concurrent_edits_is_refused_and_keeps_its_input(world):
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route = design(world, route)
    read_version = route.version
    url = flow_url(RouteFlow, "design", route.pk)
    first = client(world.methodist).post(
        url, {"action": "deficit", "version": read_version, "area": "it", "description": "Цифровые инструменты"}
    )
    assert first.status_code == 302
    second = client(world.teacher).post(
        url,
        {"action": "deficit", "version": read_version, "area": "subject", "description": "Решение олимпиадных задач"},
    )
    assert second.status_code == 200
    body = second.content.decode()
    assert "Маршрут уже изменил другой участник" in body and "Решение олимпиадных задач" in body
    assert list(route.deficits.values_list("description", flat=True)) == [
        "Формирующее оценивание",
        "Цифровые инструменты",
    ]


def test_a_foreign_teacher_gets_404_on_the_route_like_a_missing_one(world):
    route = request_route(world).get()
    c = client(world.colleague)
    assert c.get(flow_url(RouteFlow, "route", route.pk)).status_code == 404
    assert c.get(flow_url(RouteFlow, "route", 999999)).status_code == 404
    assert client(world.teacher).get(flow_url(RouteFlow, "route", route.pk)).status_code == 200


def test_a_school_requests_for_several_teachers_at_once(world):
    routes = request_route(world, world.head, "institutional", [world.person, world.colleague_person])
    assert routes.count() == 2 and len({r.request_id for r in routes}) == 1
    # a second request for a teacher with an open route is refused whole
    response = client(world.head).post(
        flow_url(RouteFlow, "request_new"),
        {"source": "institutional", "persons": [world.person.pk], "topic": "ещё"},
    )
    assert response.status_code == 200 and "уже есть незавершённый ИОМ" in response.content.decode()


def test_a_municipal_request_goes_to_the_municipal_rma_coordinator(world):
    route = request_route(world, world.authority, "municipal").get()
    task = open_task(route, RouteFlow.assign_municipal)
    assert task.owner == world.muni_coord
    candidates = services.curator_candidates(route)
    assert {c.user_id for c in candidates} == {world.member.pk, world.russian_member.pk}  # ММК of the municipality
    assert candidates[0].user_id == world.member.pk


def test_the_diagnosed_deficits_come_from_the_teachers_current_diagnosis(world):
    from workflows.iom.models import DiagnosisDeficit, DiagnosisResult, DiagnosisScore, DiagnosisSource

    result = DiagnosisResult.objects.create(
        person=world.person,
        diagnosed_on=TODAY - dt.timedelta(days=30),
        instrument="ФОС-2026",
        organization=world.cnppm,
        source=DiagnosisSource.MANUAL,
        entered_by=world.coordinator,
    )
    DiagnosisScore.objects.create(result=result, area="it", score=41)
    DiagnosisDeficit.objects.create(result=result, area="it", title="Цифровые образовательные ресурсы")
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route.refresh_from_db()
    assert route.diagnosis == result
    deficit = route.deficits.get()
    assert (deficit.area, deficit.description, deficit.diagnosed, deficit.score) == (
        "it",
        "Цифровые образовательные ресурсы",
        True,
        41,
    )
    # the curator now sees the teacher's diagnosis (diagnostics' handlers)
    from orgstructure import access

    assert access.can(world.methodist, result) and not access.can(world.far_member, result)
    response = client(world.methodist).post(
        flow_url(RouteFlow, "design", route.pk),
        {"action": "remove_deficit", "version": route.version, "target": deficit.pk},
    )
    assert route.deficits.count() == 1 and response.status_code == 200


def test_a_region_without_teacher_agreement_and_school_endorsement_goes_straight_to_registration(world):
    from workflows.iom.models import IomRegionSettings

    IomRegionSettings.objects.create(region=world.region, teacher_agreement=False, school_endorsement=False)
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    design(world, route)
    do(world.methodist, route, RouteFlow.design)
    route.refresh_from_db()
    assert route.status == Status.REGISTRATION
    assert open_task(route, RouteFlow.registration).owner == world.methodist


def test_the_teacher_returns_the_route_and_the_curator_reworks_it(world):
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    design(world, route)
    do(world.methodist, route, RouteFlow.design)
    do(world.teacher, route, RouteFlow.agree, {"decision": "return", "comment": "Сдвиньте сроки на весну"})
    route.refresh_from_db()
    assert route.status == Status.DESIGN and route.return_comment == "Сдвиньте сроки на весну"
    page = client(world.methodist).get(flow_url(RouteFlow, "route", route.pk)).content.decode()
    assert "Сдвиньте сроки на весну" in page
    # the design task is the curator's: the coordinator who assigned it gets 404 on it
    do(world.coordinator, route, RouteFlow.design, expect=404)


def test_an_activity_due_on_a_day_off_is_due_on_the_next_working_day_like_its_task(world):
    """One date for a plan line and its task: the task's deadline moves off a day off (ГК РФ
    ст. 193), the plan and DOC-3 kept the Sunday — «срок 31.01.2027» in «Мой маршрут» over a task
    due 01.02.2027 (seen walking the demo as teacher). The page says the date moved."""
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route = design(world, route)
    sunday = route.period_from + dt.timedelta(days=(6 - route.period_from.weekday()) % 7 + 7)
    assert sunday.weekday() == 6
    response = client(world.methodist).post(
        flow_url(RouteFlow, "design", route.pk),
        {"action": "activity", "version": route.version, "kind": "self_study", "title": "Эссе о практике",
         "provider_text": "ШМО", "hours": 4, "starts_on": route.period_from, "due_on": sunday,
         "expected_result": "эссе"},
        follow=True,
    )
    monday = WorkCalendar.load().roll_forward(sunday)  # the Monday, or after a holiday the next working day
    assert monday > sunday
    assert route.activities.get(title="Эссе о практике").due_on == monday
    assert f"{sunday:%d.%m.%Y} — выходной день, срок — {monday:%d.%m.%Y}" in response.content.decode()


def test_the_history_names_the_curator_once(world):
    """«Назначен куратор ИОМ: Куратор: Ольга Карпова; …» said «куратор» twice in the route's
    history (seen walking the demo as methodist)."""
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    page = client(world.methodist).get(flow_url(RouteFlow, "route", route.pk)).content.decode()
    assert "Назначен куратор ИОМ: Ольга Карпова; в работе у куратора маршрутов: 0" in page
