
import pytest
from django.test import Client
from viewflow.workflow.models import Task

from orgstructure.models import OrganizationKind, Role, Subject
from tests.documents.conftest import soffice  # noqa: F401  (LibreOffice, or the test is skipped)
from tests.factories import make_municipality, make_organization, make_person, make_region, make_user, region_today
from workflows.core.flowkit import task_action_url
from workflows.core.flowkit.steps import OPEN
from workflows.iom.flows import ActivityFlow, RouteFlow

TODAY = region_today()


class World:
    pass


@pytest.fixture
def world(db):
    w = World()
    w.region = make_region(name="Край (тест ИОМ)", code="96")
    w.north, w.south = make_municipality(w.region, "Северный (ИОМ)"), make_municipality(w.region, "Южный (ИОМ)")
    w.cnppm = make_organization(w.region, kind=OrganizationKind.CNPPMPR, name="ЦНППМПР (тест ИОМ)")
    w.cnppm.head_name, w.cnppm.head_position = "Субботина Елена Сергеевна", "руководитель ЦНППМПР"
    w.cnppm.save()
    w.school = make_organization(w.region, municipality=w.north, name="МАОУ «СОШ № 5» (тест ИОМ)")
    w.school.head_name, w.school.head_position = "Фомина Галина Анатольевна", "директор"
    w.school.save()
    w.other_school = make_organization(w.region, municipality=w.north, name="МАОУ «СОШ № 9» (тест ИОМ)")
    w.far_school = make_organization(w.region, municipality=w.south, name="МАОУ «СОШ № 2» (тест ИОМ)")
    w.uo = make_organization(
        w.region, kind=OrganizationKind.MUNI_AUTHORITY, municipality=w.north, name="УО Северного (тест ИОМ)"
    )
    w.math, _ = Subject.objects.get_or_create(name="Математика")
    w.russian, _ = Subject.objects.get_or_create(name="Русский язык")
    w.person = make_person(w.school, last_name="Ларионова", first_name="Дарья", middle_name="Андреевна")
    w.person.subjects.add(w.math)
    w.teacher = make_user("iom_teacher", role=Role.TEACHER, organization=w.school, person=w.person)
    w.colleague_person = make_person(w.school, last_name="Голубева", first_name="Мария", middle_name="Юрьевна")
    w.colleague = make_user("iom_colleague", role=Role.TEACHER, organization=w.school, person=w.colleague_person)
    w.mentor = make_person(w.school, last_name="Кравцова", first_name="Ольга", middle_name="Петровна")
    w.head = make_user("iom_head", role=Role.SCHOOL_HEAD, organization=w.school)
    w.coordinator = make_user("iom_coord", role=Role.CNPPM_COORDINATOR, organization=w.cnppm)
    w.methodist = make_user("iom_methodist", role=Role.CNPPM_METHODIST, organization=w.cnppm)
    w.methodist.first_name, w.methodist.last_name = "Ольга", "Карпова"
    w.methodist.save()
    w.member = _member("iom_member", w.other_school, w.math, "Щербакова")
    w.russian_member = _member("iom_member_ru", w.other_school, w.russian, "Борисова")
    w.far_member = _member("iom_member_far", w.far_school, w.math, "Дальняя")
    w.muni_coord = make_user("iom_muni", role=Role.RMA_MUNI_COORDINATOR, organization=w.uo)
    w.authority = make_user("iom_uo", role=Role.MUNI_AUTHORITY, organization=w.uo)
    return w


@pytest.fixture
def registered(world):
    """A route through its real pages up to registration: in implementation, DOC-3 issued, its
    two activities and the self-report in the teacher's inbox."""
    from workflows.iom.models import Status

    from .test_path import design, request_route

    route = request_route(world).get()
    do(world.coordinator, route, RouteFlow.assign, {"curator": world.methodist.pk})
    route = design(world, route)
    do(world.methodist, route, RouteFlow.design)
    do(world.teacher, route, RouteFlow.agree, {"decision": "agree"})
    do(world.head, route, RouteFlow.endorse, {"decision": "agree"})
    do(world.methodist, route, RouteFlow.registration)
    route.refresh_from_db()
    assert route.status == Status.IN_PROGRESS
    return route


def _member(username, school, subject, last_name):
    from orgstructure.models import Membership

    user = make_user(username, role=Role.RMA_MEMBER, organization=school)
    user.last_name, user.first_name = last_name, "Марина"
    user.save()
    Membership.objects.get(user=user, role=Role.RMA_MEMBER).subjects.add(subject)
    return user


def client(user):
    c = Client()
    c.force_login(user)
    return c


def open_task(artefact, node):
    flow_class = ActivityFlow if node.flow_class is ActivityFlow else RouteFlow
    return Task.objects.get(
        process__flow_class=flow_class, process__artifact_object_id=artefact.pk, flow_task=node, status__in=OPEN
    )


def do(user, artefact, node, data=None, *, expect=302):
    task = open_task(artefact, node)
    response = client(user).post(task_action_url(task, "execute"), data or {})
    assert response.status_code == expect, response.content.decode()[:3000]
    return response
