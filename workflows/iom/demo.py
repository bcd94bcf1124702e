"""ИОМ routes in the demo region, loaded idempotently by `manage.py load_iom_demo` (after
`load_demo`): a route in every status, each made through the real entry points and steps by its
demo user, for teachers of the demo school (МАОУ «СОШ № 7» г. Березники) — invented people of
orgstructure/demo.py, each given a demo account `iom_teacher_N` (password as every demo user) so
that their own steps can be done. The `teacher` user (Ларионова Д.А.) is left without a route: the
walk-through (workflows/iom/README.md) starts with her request in the UI.

Idempotency: a route is keyed by its teacher; a teacher who already has one is left as they are.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from orgstructure.demo import DEMO_PASSWORD, USER_PERSONS_BY_KEY
from orgstructure.models import Membership, Person, Role
from workflows.core import demo
from workflows.core.calendar import local_date
from workflows.core.deadline_defaults import install_deadline_defaults
from workflows.core.demo import DemoNotLoaded, DemoReport  # noqa: F401  (the command catches DemoNotLoaded)
from workflows.core.roles import sync_all_role_groups

from . import flows, services
from .models import Route, Status

DEMO_USERS = ("school_head", "cnppm", "methodist")
STATES = (
    Status.REQUESTED, Status.DESIGN, Status.AGREEMENT, Status.ENDORSEMENT, Status.REGISTRATION,
    Status.IN_PROGRESS, Status.REPORTED, Status.COMPLETED,
)
THEMES = ("Формирующее оценивание", "Функциональная грамотность", "Цифровые образовательные ресурсы",
          "Работа с детьми с ОВЗ")


def _teachers(region):
    """Demo-school teachers for the routes: deterministic, the `teacher` and `rma_member` users'
    persons left out."""
    reserved = [USER_PERSONS_BY_KEY[key].snils for key in ("teacher", "rma_member")]
    school = Person.objects.get(snils=USER_PERSONS_BY_KEY["teacher"].snils).organization
    return school, list(
        Person.objects.filter(organization=school).exclude(snils__in=reserved).order_by("snils")[: len(STATES)]
    )


def _account(person, n):
    User = get_user_model()
    user = person.user or User.objects.filter(username=f"iom_teacher_{n}").first()
    if user is None:
        user = User.objects.create(
            username=f"iom_teacher_{n}", first_name=person.first_name, last_name=person.last_name,
            email=f"iom_teacher_{n}@demo.example.org", password=make_password(DEMO_PASSWORD),
        )
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    Membership.objects.get_or_create(user=user, role=Role.TEACHER, organization=person.organization)
    return user


def _step(actor, artefact, flow_class, perform):
    return demo.complete_open_task(actor=actor, artefact=artefact, flow_class=flow_class, perform=perform)


def _lower_first(theme: str) -> str:
    """«Работа с детьми с ОВЗ» → «работа с детьми с ОВЗ»: the abbreviation stays upper-case."""
    return theme[:1].lower() + theme[1:]


def _route_to(target, person, teacher, users, today: dt.date, n: int) -> None:
    request = flows.request_submit(actor=teacher, source="individual", persons=[person],
                                   topic=f"Затруднения: {_lower_first(THEMES[n % len(THEMES)])}")
    route = request.routes.get()
    cnppm, methodist, head = users["cnppm"], users["methodist"], users["school_head"]
    if target == Status.REQUESTED:
        return
    _step(cnppm, route, flows.RouteFlow,
          lambda a: services.route_assign(actor=cnppm, route=route, curator_id=methodist.pk))
    route.refresh_from_db()
    start, end = today - dt.timedelta(days=60), today + dt.timedelta(days=200)
    services.route_update(actor=methodist, route=route, version=route.version, period_from=start, period_to=end,
                          theme=THEMES[n % len(THEMES)], goal=f"Устранить дефицит: {THEMES[n % len(THEMES)].lower()}",
                          planned_results="Открытый урок для ШМО, методическая разработка")
    deficit = services.deficit_add(actor=methodist, route=route, version=route.version, area="methodical",
                                   description=THEMES[n % len(THEMES)])
    deficit.diagnosed = True
    deficit.save(update_fields=["diagnosed"])
    for title, kind, extra in (
        ("Изучение методических рекомендаций ЦНППМПР", "self_study", {"provider_text": "ЦНППМПР"}),
        ("Открытый урок для ШМО", "open_lesson", {"provider_text": "ШМО учителей школы"}),
    ):
        services.activity_add(actor=methodist, route=route, version=route.version, deficit=deficit, kind=kind,
                              title=title, hours=8, starts_on=start, due_on=today + dt.timedelta(days=30),
                              expected_result="конспект", **extra)
    if target == Status.DESIGN:
        return
    _step(methodist, route, flows.RouteFlow, lambda a: services.route_submit(actor=methodist, route=route))
    if target == Status.AGREEMENT:
        return
    _step(teacher, route, flows.RouteFlow, lambda a: services.route_agree(actor=teacher, route=route, agree=True))
    if target == Status.ENDORSEMENT:
        return
    _step(head, route, flows.RouteFlow, lambda a: services.route_endorse(actor=head, route=route, endorse=True))
    if target == Status.REGISTRATION:
        return
    _step(methodist, route, flows.RouteFlow, lambda a: services.route_register(actor=methodist, route=route))
    for activity in route.activities.all():
        _step(teacher, activity, flows.ActivityFlow,
              lambda a, activity=activity: services.activity_done(actor=teacher, activity=activity, done_on=today,
                                                                   note="Конспект размещён на сайте школы"))
        if target == Status.IN_PROGRESS:
            return  # one activity done, one still in the teacher's inbox
    _step(teacher, route, flows.RouteFlow,
          lambda a: services.route_report(actor=teacher, route=route, self_report="Мероприятия выполнены"))
    if target == Status.REPORTED:
        return
    _step(methodist, route, flows.RouteFlow,
          lambda a: services.route_confirm(actor=methodist, route=route, confirm=True,
                                           result="Приёмы применяются на уроках; открытый урок проведён"))
    route.refresh_from_db()
    services.round_table_select(actor=cnppm, routes=[route])


def load_iom_demo() -> DemoReport:
    report = DemoReport(title="ИОМ", what="демо-маршруты ИОМ")
    region = demo.demo_region()
    report.rules_created = install_deadline_defaults(region_code=region.code, process_code="iom")
    users = demo.demo_users(*DEMO_USERS)
    school, persons = _teachers(region)
    today = local_date(timezone.now(), region.timezone)
    for n, (target, person) in enumerate(zip(STATES, persons, strict=False), start=1):
        teacher = _account(person, n)
        sync_all_role_groups()
        report.once(
            f"ИОМ в статусе «{target.label}»: {person.full_name} (вход iom_teacher_{n})",
            done=lambda person=person: Route.objects.filter(person=person).exists(),
            make=lambda target=target, person=person, teacher=teacher, n=n: _route_to(
                target, person, teacher, users, today, n
            ),
        )
    return report
