"""The call and the application (issue 14, step 2): the coordinator opens a call with its scheme,
a school applies with programmes and a file, the ММС of its municipality returns it with a
reason, the school revises, the ММС endorses — through the real pages; routing, due dates,
foreign = missing, Russian errors that lose nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role
from tests import corpus
from tests.factories import make_municipality, make_organization, make_region, make_user, region_today
from workflows.core.audit import history
from workflows.core.flowkit import flow_url, task_action_url, task_url
from workflows.core.models import TaskDeadline
from workflows.internships import rules, services
from workflows.internships.flows import InternshipsFlow
from workflows.internships.models import Application, ApplicationFile, ApplicationStatus, Call, InternshipEvent

pytestmark = pytest.mark.django_db

TODAY = region_today()


@pytest.fixture
def world():
    region = make_region(name="Край (тест площадок)", code="97")
    north, south = make_municipality(region, "Северный (тест)"), make_municipality(region, "Южный (тест)")
    cnppm = make_organization(region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР (тест)")
    school = make_organization(region, municipality=north, name="МАОУ «СОШ № 11» (тест)")
    mms = make_organization(region, kind=OrganizationKind.MMS, municipality=north, name="ММС Северного")
    other_mms = make_organization(region, kind=OrganizationKind.MMS, municipality=south, name="ММС Южного")
    return type(
        "World",
        (),
        {
            "region": region,
            "school": school,
            "mms": mms,
            "coordinator": make_user("coord", role=Role.CNPPM_COORDINATOR, organization=cnppm),
            "head": make_user("head", role=Role.SCHOOL_HEAD, organization=school),
            "methodist": make_user("methodist", role=Role.MMS_METHODIST, organization=mms),
            "foreign": make_user("foreign", role=Role.MMS_METHODIST, organization=other_mms),
            "teacher": make_user("teacher", role=Role.TEACHER, organization=school),
        },
    )


def client(user):
    c = Client()
    c.force_login(user)
    return c


def call_post(**overrides):
    data = {
        "kind": "internship",
        "title": "Отбор стажировочных площадок 2027",
        "themes": "Медиаобразование\nТочка роста",
        "applications_due": (TODAY + dt.timedelta(days=20)).isoformat(),
        "status_from": (TODAY + dt.timedelta(days=60)).isoformat(),
        "status_to": (TODAY + dt.timedelta(days=60 + 3 * 365)).isoformat(),
        "criteria": rules.criteria_text(rules.DEFAULT_CRITERIA),
        "pass_threshold": "60",
        "experts_per_application": "3",
        "experts_needed": "2",
        "spread_limit": "25",
        "municipality_conflict": "on",
    }
    data.update(overrides)
    return data


def open_call(world):
    response = client(world.coordinator).post(flow_url(InternshipsFlow, "call_new"), call_post())
    assert response.status_code == 302, response.content.decode()[:2000]
    return Call.objects.get()


def apply_post(**overrides):
    data = {
        "experience": "Победители конкурса «Школа года», 12 лет проектной работы",
        "resources": "Центр «Точка роста», 4 наставника высшей категории",
        "programmes-TOTAL_FORMS": "3",
        "programmes-INITIAL_FORMS": "0",
        "programmes-MIN_NUM_FORMS": "1",
        "programmes-MAX_NUM_FORMS": "10",
        "programmes-0-theme": "Медиаобразование",
        "programmes-0-target_group": "учителя информатики",
        "programmes-0-format": "групповая",
        "programmes-0-hours": "36",
        "files": SimpleUploadedFile("opyt.pdf", corpus.PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


def test_the_coordinator_opens_a_call_with_the_default_scheme(world):
    call = open_call(world)
    assert call.themes == ["Медиаобразование", "Точка роста"]
    assert [c["code"] for c in call.criteria] == [c["code"] for c in rules.DEFAULT_CRITERIA]
    scheme = call.scheme()
    assert scheme.experts_needed == 2 and scheme.pass_threshold == 60
    assert history(call)[0].event == InternshipEvent.CALL_OPENED
    page = client(world.teacher).get(flow_url(InternshipsFlow, "call", call.pk))
    assert page.status_code == 200 and "Отбор стажировочных площадок 2027" in page.content.decode()


def test_only_a_coordinator_opens_a_call_and_nonsense_gets_russian_errors(world):
    assert client(world.head).get(flow_url(InternshipsFlow, "call_new")).status_code == 404
    c = client(world.coordinator)
    bad = c.post(
        flow_url(InternshipsFlow, "call_new"),
        call_post(status_to=(TODAY + dt.timedelta(days=30)).isoformat(), experts_per_application="1"),
    )
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert errors["status_to"] == ["Окончание срока статуса должно быть позже его начала"]
    assert "не меньше 2" in errors["criteria"][0]
    typo = c.post(flow_url(InternshipsFlow, "call_new"), call_post(criteria="Опыт; три; 10"))
    assert typo.context["form"].errors["criteria"] == ["Строка 1: вес — число, максимальный балл — целое число"]
    assert not Call.objects.exists()


def test_apply_return_revise_endorse_through_the_pages(world):
    call = open_call(world)
    head = client(world.head)
    assert 'id="apply"' in head.get(flow_url(InternshipsFlow, "call", call.pk)).content.decode()
    response = head.post(flow_url(InternshipsFlow, "apply", call.pk), apply_post())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    assert [p.hours for p in application.programmes.all()] == [36]
    assert ApplicationFile.objects.get().original_name == "opyt.pdf"

    task = Task.objects.get(process__artifact_object_id=application.pk, flow_task=InternshipsFlow.endorse)
    deadline = TaskDeadline.objects.get(task=task)
    assert task.owner == world.methodist and deadline.organization == world.mms and deadline.due_at is not None

    methodist = client(world.methodist)
    assert methodist.get(flow_url(InternshipsFlow, "application", application.pk)).status_code == 200
    empty = methodist.post(task_action_url(task, "execute"), {"decision": "return", "reason": " "})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"] == ["Укажите, что нужно доработать"]
    assert (
        methodist.post(task_action_url(task, "execute"), {"decision": "return", "reason": "Нет часов"}).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.RETURNED and application.return_reason == "Нет часов"

    revise = Task.objects.get(process__artifact_object_id=application.pk, flow_task=InternshipsFlow.revise)
    assert revise.owner == world.head
    assert (
        head.post(task_action_url(revise, "execute"), {"experience": "Обновлено", "resources": "Те же"}).status_code
        == 302
    )

    again = Task.objects.exclude(status="DONE").get(
        process__artifact_object_id=application.pk, flow_task=InternshipsFlow.endorse
    )
    assert methodist.post(task_action_url(again, "execute"), {"decision": "endorse", "reason": ""}).status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENDORSED and application.experience == "Обновлено"
    assert [e.event for e in history(application)] == [
        InternshipEvent.SUBMITTED,
        InternshipEvent.RETURNED,
        InternshipEvent.RESUBMITTED,
        InternshipEvent.ENDORSED,
    ]


def test_a_foreign_methodist_sees_neither_the_application_nor_its_task(world):
    call = open_call(world)
    client(world.head).post(flow_url(InternshipsFlow, "apply", call.pk), apply_post())
    application = Application.objects.get()
    task = Task.objects.get(process__artifact_object_id=application.pk, flow_task=InternshipsFlow.endorse)
    foreign = client(world.foreign)
    assert foreign.get(flow_url(InternshipsFlow, "application", application.pk)).status_code == 404
    assert foreign.get(flow_url(InternshipsFlow, "application", 999999)).status_code == 404
    assert foreign.post(task_action_url(task, "execute"), {"decision": "endorse"}).status_code == 404
    assert foreign.get(flow_url(InternshipsFlow, "apply", call.pk)).status_code == 404


def test_a_bad_application_keeps_the_form_and_saves_nothing(world):
    call = open_call(world)
    head = client(world.head)
    hostile = head.post(
        flow_url(InternshipsFlow, "apply", call.pk),
        apply_post(files=SimpleUploadedFile("opyt.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")),
    )
    assert hostile.status_code == 200 and hostile.context["form"].errors["files"]
    no_programme = head.post(
        flow_url(InternshipsFlow, "apply", call.pk),
        apply_post(
            **{
                "programmes-0-theme": "",
                "programmes-0-target_group": "",
                "programmes-0-format": "",
                "programmes-0-hours": "",
            }
        ),
    )
    assert no_programme.status_code == 200
    assert not Application.objects.exists() and not Task.objects.filter(flow_task=InternshipsFlow.endorse).exists()
    assert head.post(flow_url(InternshipsFlow, "apply", call.pk), apply_post()).status_code == 302
    twice = head.post(flow_url(InternshipsFlow, "apply", call.pk), apply_post())
    assert "уже подала заявку" in twice.content.decode() and Application.objects.count() == 1


def test_applications_close_after_the_deadline(world):
    call = open_call(world)
    later = call.applications_due + dt.timedelta(days=1)
    with pytest.raises(services.ActionRefused, match="Приём заявок"):
        services.application_submit(
            actor=world.head,
            call=call,
            organization=world.school,
            experience="о",
            resources="р",
            programmes=[{"theme": "т", "target_group": "ц", "format": "ф", "hours": 10}],
            today=later,
        )
    assert rules.accepts_applications(True, call.applications_due, call.applications_due)
    assert not rules.accepts_applications(False, call.applications_due, call.applications_due)


def test_the_index_opens_for_every_role(world):
    open_call(world)
    for user in (world.coordinator, world.head, world.methodist, world.foreign, world.teacher):
        assert client(user).get(flow_url(InternshipsFlow, "index")).status_code == 200, user.username


def test_an_endorsement_in_the_queue_is_offered_to_the_municipal_methodists_only(world):
    """Two methodists at the ММС: the endorsement waits in their queue; the coordinator (who sees
    the application) gets no button for it, a methodist gets one that opens the form."""
    second = make_user("methodist2", role=Role.MMS_METHODIST, organization=world.mms)
    call = open_call(world)
    client(world.head).post(flow_url(InternshipsFlow, "apply", call.pk), apply_post())
    application = Application.objects.get()
    task = Task.objects.get(process__artifact_object_id=application.pk, flow_task=InternshipsFlow.endorse)
    assert task.owner_id is None
    url = flow_url(InternshipsFlow, "application", application.pk)
    for user in (world.coordinator, world.head):
        page = client(user).get(url)
        assert page.status_code == 200 and f'data-task="{task.pk}"' not in page.content.decode(), user.username
    methodist = client(second)
    assert f'data-task="{task.pk}"' in methodist.get(url).content.decode()
    button = methodist.get(task_url(task))
    assert button.status_code == 302 and methodist.get(button["Location"]).status_code == 200
