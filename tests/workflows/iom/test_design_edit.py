"""Editing the plan of a route while it is designed (issue 13, item 5): teacher and curator change
or remove an activity after adding it, under the same optimistic lock as the rest of the design —
the later of two concurrent changes is refused with a Russian message and keeps its input, the
earlier one stays; nothing is overwritten silently."""

import datetime as dt

import pytest

from workflows.core.audit import history
from workflows.core.calendar import WorkCalendar
from workflows.core.flowkit import flow_url
from workflows.iom import services
from workflows.iom.flows import RouteFlow
from workflows.iom.models import Activity, IomEvent

from .conftest import TODAY, client, do
from .test_path import design, request_route

pytestmark = pytest.mark.django_db

CONFLICT = "Маршрут уже изменил другой участник"


@pytest.fixture
def route(world):
    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    return design(world, route)


def _edit(activity, **changes):
    values = {
        "action": "update_activity",
        "target": activity.pk,
        "deficit": activity.deficit_id,
        "kind": activity.kind,
        "title": activity.title,
        "provider_text": activity.provider_text,
        "mentor": activity.mentor_id or "",
        "hours": activity.hours,
        "starts_on": activity.starts_on,
        "due_on": activity.due_on,
        "expected_result": activity.expected_result,
    }
    return {**values, **changes}


def test_the_teacher_changes_an_activity_and_the_history_says_what_was_changed(world, route):
    activity = route.activities.get(kind="self_study")
    url = flow_url(RouteFlow, "design", route.pk)
    page = client(world.teacher).get(f"{url}?edit={activity.pk}")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="activity-edit-form"' in body and 'value="Изучение методических рекомендаций"' in body

    response = client(world.teacher).post(
        url,
        _edit(activity, version=route.version, title="Изучение рекомендаций ЦНППМПР и конспект",
              hours=16, due_on=TODAY + dt.timedelta(days=60)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    activity.refresh_from_db()
    assert (activity.title, activity.hours, activity.due_on) == (
        "Изучение рекомендаций ЦНППМПР и конспект", 16,
        WorkCalendar.load().roll_forward(TODAY + dt.timedelta(days=60)),  # a day off moves to a working day
    )
    old_version = route.version
    route.refresh_from_db()
    assert route.version == old_version + 1
    edited = [e for e in history(route) if e.event == IomEvent.EDITED][-1]
    assert edited.actor == world.teacher
    assert "изменено мероприятие «Изучение рекомендаций ЦНППМПР и конспект»" in edited.comment
    assert "было «Изучение методических рекомендаций»" in edited.comment


def test_a_programme_of_the_catalogue_chosen_on_edit_names_the_line_and_brings_its_flag(world, route):
    from programmes.models import Programme

    programme = Programme.objects.create(
        title="Формирующее оценивание на уроке", provider=world.cnppm, hours=18, in_federal_register=True
    )
    activity = route.activities.get(kind="self_study")
    services.activity_update(
        actor=world.methodist, route=route, version=route.version, activity_id=activity.pk,
        **{**{name: getattr(activity, name) for name in services.ACTIVITY_FIELDS},
           "kind": "course", "title": "", "programme": programme, "provider": None},
    )
    activity.refresh_from_db()
    assert (activity.title, activity.programme_title, activity.in_federal_register, activity.provider) == (
        "Формирующее оценивание на уроке", "Формирующее оценивание на уроке", True, world.cnppm
    )
    route.refresh_from_db()
    services.activity_update(
        actor=world.methodist, route=route, version=route.version, activity_id=activity.pk,
        **{**{name: getattr(activity, name) for name in services.ACTIVITY_FIELDS},
           "kind": "self_study", "title": "Самостоятельное изучение", "programme": None},
    )
    activity.refresh_from_db()
    assert (activity.programme_title, activity.in_federal_register) == ("", False)


def test_an_edit_outside_the_period_is_refused_and_changes_nothing(world, route):
    activity = route.activities.get(kind="self_study")
    before = (activity.title, activity.due_on, route.version)
    response = client(world.methodist).post(
        flow_url(RouteFlow, "design", route.pk),
        _edit(activity, version=route.version, title="Поздний конспект", due_on=route.period_to + dt.timedelta(days=1)),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "вне периода маршрута" in body and 'value="Поздний конспект"' in body  # the input stays
    activity.refresh_from_db()
    route.refresh_from_db()
    assert (activity.title, activity.due_on, route.version) == before


def test_the_later_of_two_concurrent_edits_of_an_activity_is_refused_and_keeps_its_input(world, route):
    activity = route.activities.get(kind="self_study")
    read_version = route.version  # both opened the page at this version
    url = flow_url(RouteFlow, "design", route.pk)
    first = client(world.methodist).post(url, _edit(activity, version=read_version, hours=20))
    assert first.status_code == 302
    second = client(world.teacher).post(url, _edit(activity, version=read_version, title="Моё название"))
    assert second.status_code == 200
    body = second.content.decode()
    assert CONFLICT in body and 'value="Моё название"' in body
    activity.refresh_from_db()
    assert (activity.title, activity.hours) == ("Изучение методических рекомендаций", 20)  # the first one stays


def test_an_edit_of_an_activity_a_colleague_removed_meanwhile_says_so(world, route):
    activity = route.activities.get(kind="self_study")
    read_version = route.version
    url = flow_url(RouteFlow, "design", route.pk)
    removed = client(world.methodist).post(
        url, {"action": "remove_activity", "version": read_version, "target": activity.pk}
    )
    assert removed.status_code == 302
    assert not Activity.objects.filter(pk=activity.pk).exists()
    late = client(world.teacher).post(url, _edit(activity, version=read_version, title="Моё название"))
    assert late.status_code == 200
    body = late.content.decode()
    assert CONFLICT in body and 'value="Моё название"' in body
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_a_stale_remove_is_refused_and_the_activity_stays(world, route):
    activity = route.activities.get(kind="self_study")
    read_version = route.version
    url = flow_url(RouteFlow, "design", route.pk)
    assert client(world.teacher).post(url, _edit(activity, version=read_version, hours=10)).status_code == 302
    response = client(world.methodist).post(
        url, {"action": "remove_activity", "version": read_version, "target": activity.pk}, follow=True
    )
    assert CONFLICT in response.content.decode()
    activity.refresh_from_db()
    assert activity.hours == 10


def test_only_teacher_and_curator_edit_and_only_while_designing(world, route):
    activity = route.activities.get(kind="self_study")
    url = flow_url(RouteFlow, "design", route.pk)
    assert client(world.head).post(url, _edit(activity, version=route.version, hours=30)).status_code == 404
    assert client(world.colleague).get(f"{url}?edit={activity.pk}").status_code == 404
    do(world.methodist, route, RouteFlow.design)  # submitted: the design is closed
    route.refresh_from_db()
    assert client(world.methodist).post(url, _edit(activity, version=route.version, hours=30)).status_code == 404
    activity.refresh_from_db()
    assert activity.hours == 12


def test_a_task_is_set_for_a_diagnosed_deficit_whose_wording_stays_the_diagnosiss(world, route):
    from workflows.iom import documents as iom_documents
    from workflows.iom import selectors

    deficit = route.deficits.get()
    deficit.diagnosed = True
    deficit.save(update_fields=["diagnosed"])
    url = flow_url(RouteFlow, "design", route.pk)
    page = client(world.teacher).get(f"{url}?deficit={deficit.pk}").content.decode()
    assert 'id="deficit-edit-form"' in page and "область и формулировка — из её результатов" in page
    response = client(world.teacher).post(url, {
        "action": "update_deficit", "target": deficit.pk, "version": route.version,
        "area": "it", "description": "Другая формулировка", "goal": "Освоить приёмы обратной связи на уроке",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    deficit.refresh_from_db()
    assert (deficit.area, deficit.description, deficit.goal) == (
        "methodical", "Формирующее оценивание", "Освоить приёмы обратной связи на уроке"
    )
    page = client(world.methodist).get(flow_url(RouteFlow, "route", route.pk)).content.decode()
    assert "задача: Освоить приёмы обратной связи на уроке" in page
    items = iom_documents.route_context(selectors.route_for(world.methodist, route.pk))["items"]
    expected = "Формирующее оценивание (задача: Освоить приёмы обратной связи на уроке)"
    assert {item["deficit"] for item in items} == {expected}


def test_a_deficit_added_by_hand_is_reworded_and_a_stale_change_is_refused(world, route):
    deficit = route.deficits.get()
    read_version = route.version
    url = flow_url(RouteFlow, "design", route.pk)
    first = client(world.methodist).post(url, {
        "action": "update_deficit", "target": deficit.pk, "version": read_version,
        "area": "methodical", "description": "Формирующее оценивание на уроках математики", "goal": "",
    })
    assert first.status_code == 302
    second = client(world.teacher).post(url, {
        "action": "update_deficit", "target": deficit.pk, "version": read_version,
        "area": "methodical", "description": "Формирующее оценивание", "goal": "Моя задача",
    })
    assert second.status_code == 200
    body = second.content.decode()
    assert CONFLICT in body and 'value="Моя задача"' in body
    deficit.refresh_from_db()
    assert (deficit.description, deficit.goal) == ("Формирующее оценивание на уроках математики", "")
    route.refresh_from_db()
    empty = client(world.methodist).post(url, {
        "action": "update_deficit", "target": deficit.pk, "version": route.version,
        "area": "methodical", "description": " ", "goal": "",
    })
    assert empty.status_code == 200 and "Обязательное поле" in empty.content.decode()
    deficit.refresh_from_db()
    assert deficit.description == "Формирующее оценивание на уроках математики"


def test_a_route_changed_while_the_curator_looked_is_not_submitted_unseen(world, route):
    import re

    from workflows.core.flowkit import task_action_url
    from workflows.iom.models import Status

    from .conftest import open_task

    submit_url = task_action_url(open_task(route, RouteFlow.design), "execute")
    page = client(world.methodist).get(submit_url).content.decode()
    shown = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    assert shown == route.version
    activity = route.activities.get(kind="self_study")
    assert client(world.teacher).post(
        flow_url(RouteFlow, "design", route.pk), _edit(activity, version=route.version, hours=14)
    ).status_code == 302  # the teacher changes the plan meanwhile

    refused = client(world.methodist).post(submit_url, {"version": shown})
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Пока страница была открыта, маршрут изменили" in body
    route.refresh_from_db()
    assert route.status == Status.DESIGN
    again = int(re.search(r'name="version" value="(\d+)"', body).group(1))
    assert again == route.version  # the page now shows the current plan and sends that one
    assert client(world.methodist).post(submit_url, {"version": again}).status_code == 302
    route.refresh_from_db()
    assert route.status == Status.AGREEMENT
