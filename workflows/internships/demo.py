"""The selection of sites in the demo region, loaded idempotently by `manage.py load_internships_demo`
(after `load_demo`). Everything goes through the real entry points and services, each step by its
demo user, so the processes, tasks, audit trail and documents are what the UI would have made.

* A past call, decided: «Отбор стажировочных площадок <год−2>–<год+1> (демо)» (three experts — `methodist`,
  `iro`, `rma_member` — scored four Березники schools; the ЦНППМПР coordinator `cnppm` proposed,
  the minister `signatory` approved: the protocol, приказ DOC-2, the справки on the status). Its
  register: three sites — one has submitted its first annual report (the next one is open), one
  is late with it (overdue in its head's queue, escalated to `cnppm`; `cnppm` has proposed a
  probation of 90 days for it: the приказ waits in `signatory`'s inbox), one had its status revoked
  by приказ (proposed by `cnppm`, signed by `signatory`).
* An open call, «Отбор стажировочных площадок <год+1>–<год+4> (демо)», with an application in every state:
  at the ММС (`mms_berezniki`'s inbox), returned to its school, endorsed and waiting for the experts,
  under review (`methodist` has scored, `iro` has the task), reviewed. МАОУ «СОШ № 7» has not applied:
  `school_head` applies in the walk-through (workflows/internships/README.md).

The experts `methodist` and `iro` have no teacher record in orgstructure's demo; one is made for
each here (invented names of their demo users), so that they are in the region's pool of experts.
The other schools (five of Березники, the municipality of `mms_berezniki`; both calls take the
same ones) have no head among the demo users: `admin` files their applications.
Idempotency: each call is keyed by its title; a call that exists is left as it is.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from orgstructure.demo import DEMO_MUNICIPALITY, DEMO_USER_SPECS_BY_USERNAME
from orgstructure.identifiers import snils_from_number
from orgstructure.models import EducationLevel, Organization, OrganizationKind, Person, QualificationCategory, Sex
from workflows.core import demo
from workflows.core.calendar import local_date
from workflows.core.deadline_defaults import install_deadline_defaults
from workflows.core.demo import DemoNotLoaded, DemoReport  # noqa: F401  (the command catches DemoNotLoaded)
from workflows.core.roles import sync_all_role_groups

from . import decision_services, flows, register_services, review_services, rules, services
from .models import Application, Call, Site, StatusChangeKind


def decided_title(today: dt.date) -> str:
    return f"Отбор стажировочных площадок {today.year - 2}–{today.year + 1} (демо)"


def open_title(today: dt.date) -> str:
    return f"Отбор стажировочных площадок {today.year + 1}–{today.year + 4} (демо)"


DEMO_USERS = ("cnppm", "methodist", "iro", "rma_member", "mms_berezniki", "signatory", "school_head", "admin")
EXPERT_PERSONS = {"methodist": "cnppmpr", "iro": "iro"}

PROGRAMMES = [
    [
        {
            "theme": "Медиаобразование и школьные медиа",
            "target_group": "учителя информатики",
            "format": "групповая",
            "hours": 36,
        },
        {
            "theme": "Наставничество молодых педагогов",
            "target_group": "молодые педагоги",
            "format": "групповая",
            "hours": 16,
        },
    ],
    [
        {
            "theme": "Проектная деятельность на оборудовании «Точки роста»",
            "target_group": "учителя физики и химии",
            "format": "индивидуальная",
            "hours": 24,
        }
    ],
    [
        {
            "theme": "Функциональная грамотность на уроках математики",
            "target_group": "учителя математики",
            "format": "групповая",
            "hours": 18,
        }
    ],
    [
        {
            "theme": "Инклюзивное образование",
            "target_group": "учителя начальных классов",
            "format": "групповая",
            "hours": 24,
        }
    ],
    [{"theme": "Формирующее оценивание", "target_group": "учителя-предметники", "format": "групповая", "hours": 12}],
]
HIGH = {"k1": 9, "k2": 8, "k3": 8, "k4": 7, "k5": 9}
GOOD = {"k1": 8, "k2": 7, "k3": 7, "k4": 6, "k5": 8}
FAIR = {"k1": 7, "k2": 7, "k3": 6, "k4": None, "k5": 7}
LOW = {"k1": 4, "k2": 5, "k3": 4, "k4": 3, "k5": 5}


def _sheet(scores: dict) -> dict:
    return {
        code: (score, "обосновано материалами заявки" if score is not None else "нет сведений в заявке")
        for code, score in scores.items()
    }


def _expert(user, body_kind, region) -> Person:
    """The teacher record of a demo expert (invented: the name of their demo user)."""
    person = Person.objects.filter(user=user).select_related("organization").first()
    if person is not None:
        return person
    spec = DEMO_USER_SPECS_BY_USERNAME[user.username]
    organization = Organization.objects.filter(region=region, kind=body_kind).order_by("id").first()
    return Person.objects.create(
        user=user,
        organization=organization,
        snils=snils_from_number(990_000_000 + user.pk),
        last_name=spec.last_name,
        first_name=spec.first_name,
        middle_name=spec.middle_name,
        sex=Sex.FEMALE if spec.middle_name.endswith("на") else Sex.MALE,
        birth_date=dt.date(1980, 4, 12),
        position="методист" if body_kind == OrganizationKind.CNPPMPR else "старший преподаватель",
        employed_since=dt.date(2012, 9, 1),
        category=QualificationCategory.HIGHEST,
        category_assigned_on=dt.date(2023, 12, 20),
        category_valid_until=dt.date(2028, 12, 19),
        education_level=EducationLevel.HIGHER,
        education_is_pedagogical=True,
        specialty_experience_since=dt.date(2008, 9, 1),
    )


def _schools(region, demo_school) -> list[Organization]:
    return list(
        Organization.objects.filter(region=region, municipality__name=DEMO_MUNICIPALITY, kind=OrganizationKind.SCHOOL)
        .exclude(pk=demo_school.pk)
        .order_by("name")[:5]
    )


def _call(users, *, title, today, status_from, status_to, applications_due, experts, municipality_conflict):
    return services.call_open(
        actor=users["cnppm"],
        kind="internship",
        title=title,
        themes=["Медиаобразование", "Функциональная грамотность", "Наставничество"],
        applications_due=applications_due,
        status_from=status_from,
        status_to=status_to,
        criteria=list(rules.DEFAULT_CRITERIA),
        pass_threshold=rules.DEFAULT_PASS_THRESHOLD,
        experts_per_application=experts,
        experts_needed=2,
        spread_limit=rules.DEFAULT_SPREAD_LIMIT,
        municipality_conflict=municipality_conflict,
        today=today,
    )


def _apply(users, call, school, index, *, today) -> Application:
    return flows.apply(
        actor=users["admin"],
        call=call,
        organization=school,
        experience=(
            "Победитель регионального конкурса инновационных проектов; опыт проведения курсов и "
            "методических семинаров для педагогов муниципалитета (демо)"
        ),
        resources="Центр «Точка роста», медиастудия, 6 педагогов высшей категории, наставники (демо)",
        curator=f"Заместитель директора по учебной работе школы № {index + 1} (демо)",
        programmes=PROGRAMMES[index % len(PROGRAMMES)],
        today=today,
    )


def _endorse(users, application):
    demo.complete_open_task(
        actor=users["mms_berezniki"],
        artefact=application,
        flow_class=flows.InternshipsFlow,
        perform=lambda a: services.application_endorse(actor=users["mms_berezniki"], application=application),
    )


def _appoint(users, application, experts):
    review_services.experts_appoint(
        actor=users["cnppm"],
        application=application,
        experts=experts,
        start_task=lambda assignment: flows.ExpertFlow.start.run(assignment=assignment),
    )


def _score(user, application, scores):
    assignment = application.assignments.get(expert__user=user)
    demo.complete_open_task(
        actor=user,
        artefact=assignment,
        flow_class=flows.ExpertFlow,
        perform=lambda a: review_services.sheet_submit(actor=user, assignment=assignment, sheet=_sheet(scores)),
    )


def _decided_call(users, experts, schools, region, today):
    """A call of the past with its decision approved, and the register it made."""
    opened = dt.date(today.year - 2, 3, 1)
    call = _call(
        users,
        title=decided_title(today),
        today=opened,
        applications_due=dt.date(today.year - 2, 4, 30),
        status_from=dt.date(today.year - 2, 9, 1),
        status_to=dt.date(today.year + 1, 8, 31),
        experts=3,
        municipality_conflict=False,  # a small pool: the rule a region may switch off
    )
    outcome = [HIGH, GOOD, FAIR, LOW]
    applications = []
    for index, school in enumerate(schools[:4]):
        application = _apply(users, call, school, index, today=opened)
        _endorse(users, application)
        _appoint(users, application, experts)
        for user_key, scores in (("methodist", outcome[index]), ("iro", outcome[index])):
            _score(users[user_key], Application.objects.get(pk=application.pk), scores)
        applications.append(Application.objects.get(pk=application.pk))
    decision_day = dt.date(today.year - 2, 8, 20)
    choices = {
        a.pk: (bool(a.passed), "" if a.passed else rules.not_passed_reason(call.pass_threshold)) for a in applications
    }
    decision, _ = decision_services.decision_propose(
        actor=users["cnppm"],
        call=Call.objects.get(pk=call.pk),
        protocol_date=decision_day,
        commission=(
            "Субботина Елена Сергеевна, координатор ЦНППМПР, председатель комиссии\n"
            "Карпова Ольга Александровна, методист ЦНППМПР\n"
            "Медведев Константин Ильич, старший преподаватель ИРО\n"
            "Щербакова Марина Владимировна, член РМА"
        ),
        regulation=rules.DEFAULT_REGULATION,
        report_due=dt.date(today.year - 1, 6, 30),
        choices=choices,
        today=decision_day,
    )
    flows.DecisionFlow.start.run(decision=decision)
    demo.complete_open_task(
        actor=users["signatory"],
        artefact=decision,
        flow_class=flows.DecisionFlow,
        perform=lambda a: decision_services.decision_approve(
            actor=users["signatory"],
            decision=decision,
            start_report=flows.start_report,
            issued_on=dt.date(today.year - 2, 8, 25),
        ),
    )
    sites = list(Site.objects.filter(application__call=call).order_by("application_id"))
    first, second, third = sites[:3]
    report = first.reports.get(number=1)
    demo.complete_open_task(
        actor=users["admin"],
        artefact=report,
        flow_class=flows.SiteReportFlow,
        perform=lambda a: register_services.report_submit(
            actor=users["admin"],
            report=report,
            trainees=18,
            programmes_run=2,
            summary="Две группы стажёров из пяти школ; открытые уроки и мастер-классы (демо)",
            start_report=flows.start_report,
        ),
    )
    revocation = flows.propose_status_change(
        actor=users["cnppm"],
        site=third,
        kind=StatusChangeKind.REVOKE,
        reason="площадка не провела ни одной стажировки за учебный год, годовой отчёт не представлен (демо)",
        today=today,
    )
    demo.complete_open_task(
        actor=users["signatory"],
        artefact=revocation,
        flow_class=flows.SiteStatusFlow,
        perform=lambda a: register_services.status_change_approve(
            actor=users["signatory"], change=revocation, start_report=flows.start_report
        ),
    )
    flows.propose_status_change(
        actor=users["cnppm"],
        site=second,
        kind=StatusChangeKind.PROBATION,
        reason="годовой отчёт о деятельности площадки не представлен в установленный срок (демо)",
        probation_until=today + dt.timedelta(days=90),
        today=today,
    )
    return call


def _open_call(users, experts, schools, today):
    """The open call: one application in every state (the walk-through school is left out)."""
    call = _call(
        users,
        title=open_title(today),
        today=today,
        applications_due=today + dt.timedelta(days=30),
        status_from=dt.date(today.year + 1, 9, 1),
        status_to=dt.date(today.year + 4, 8, 31),
        experts=2,
        municipality_conflict=True,
    )
    at_mms, returned, endorsed, reviewing, reviewed = (
        _apply(users, call, school, index, today=today) for index, school in enumerate(schools[:5])
    )
    demo.complete_open_task(
        actor=users["mms_berezniki"],
        artefact=returned,
        flow_class=flows.InternshipsFlow,
        perform=lambda a: services.application_return(
            actor=users["mms_berezniki"],
            application=returned,
            reason="Добавьте сведения о результатах стажировок прошлых лет и подтверждающие документы",
        ),
    )
    for application in (endorsed, reviewing, reviewed):
        _endorse(users, application)
    for application in (reviewing, reviewed):
        _appoint(users, Application.objects.get(pk=application.pk), experts)
    _score(users["methodist"], Application.objects.get(pk=reviewing.pk), GOOD)
    _score(users["methodist"], Application.objects.get(pk=reviewed.pk), HIGH)
    _score(users["iro"], Application.objects.get(pk=reviewed.pk), GOOD)
    return call, at_mms


def load_internships_demo() -> DemoReport:
    report = DemoReport(title="стажировочных площадок", what="демо-отборы площадок")
    region = demo.demo_region()
    report.rules_created = install_deadline_defaults(region_code=region.code, process_code="internships")
    sync_all_role_groups()
    users = demo.demo_users(*DEMO_USERS)
    today = local_date(timezone.now(), region.timezone)
    demo_school = users["school_head"].memberships.get().organization
    schools = _schools(region, demo_school)
    if len(schools) < 5:
        raise DemoNotLoaded("В демо-муниципалитете меньше шести школ: выполните manage.py load_demo")
    people = [_expert(users[key], kind, region) for key, kind in EXPERT_PERSONS.items()]
    rma_member = Person.objects.get(user=users["rma_member"])
    report.once(
        f"решённый отбор с реестром площадок: «{decided_title(today)}»",
        done=lambda: Call.objects.filter(title=decided_title(today)).exists(),
        make=lambda: _decided_call(users, [*people, rma_member], schools, region, today),
    )
    report.once(
        f"открытый отбор с заявками во всех состояниях: «{open_title(today)}»",
        done=lambda: Call.objects.filter(title=open_title(today)).exists(),
        make=lambda: _open_call(users, people, schools, today),
    )
    return report
