"""ИОМ's indicators in the kit's registry (workflows/core/indicators.py); monitoring reads them
from the registry, never from here. Every figure hangs off an organization: a teacher's route
off the teacher's school, an РМА member off the organization of the membership."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from orgstructure.models import Membership, Role
from workflows.core.indicators import Level, Territory, Unit, indicator, on_staff, teacher_share

from .models import CASELOAD_STATUSES, REGISTERED_STATUSES, Activity, ActivityStatus, DiagnosisResult, Route, Status
from .rules import ActivityKind


@indicator(
    code="IND-01",
    name="Доля педагогических работников, прошедших диагностику профессиональных дефицитов",
    levels=(Level.ORGANIZATION, Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="педагогические работники с результатом диагностики (ЦОПМКП, загрузка или ввод) за период: "
    "с начала периода (если задан) по дату",
    denominator="все педагогические работники образовательных организаций на дату",
    source="003:L548; 001:L20, L59",
)
def diagnosed_teachers(territory: Territory, on_date: dt.date, *, period_start=None):
    results = DiagnosisResult.objects.filter(diagnosed_on__lte=on_date)
    if period_start:
        results = results.filter(diagnosed_on__gte=period_start)
    return teacher_share(territory, on_date, condition=Q(pk__in=results.values("person_id")))


def _registered_by(on_date: dt.date):
    return Route.objects.filter(status__in=REGISTERED_STATUSES, registered_on__lte=on_date)


@indicator(
    code="IND-02",
    name="Доля педагогических работников, для которых разработаны ИОМ на основе результатов диагностики "
    "профессиональных дефицитов",
    levels=(Level.ORGANIZATION, Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="педагогические работники с ИОМ, зарегистрированным в реестре ИОМ не позднее даты, в котором "
    "есть дефицит, выявленный диагностикой",
    denominator="все педагогические работники образовательных организаций на дату",
    source="003:L550 («доля педагогических работников, для которых разработаны ИОМ…»); 001:L69",
)
def routes_on_diagnosis(territory: Territory, on_date: dt.date, *, period_start=None):
    routes = _registered_by(on_date).filter(deficits__diagnosed=True)
    if period_start:
        routes = routes.filter(registered_on__gte=period_start)
    return teacher_share(territory, on_date, condition=Q(pk__in=routes.values("person_id")))


@indicator(
    code="IND-03",
    name="Доля педагогических работников, освоивших программы ДПО, вошедшие в ФР ДПП и подобранные с учетом "
    "диагностики профессиональных дефицитов",
    levels=(Level.ORGANIZATION, Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="педагогические работники, выполнившие в ИОМ курсы по программе из ФР ДПП, закрывающие дефицит "
    "маршрута (отметка о выполнении не позднее даты)",
    denominator="все педагогические работники образовательных организаций на дату",
    source="000:L217 («к 2024 году – не менее 30%»); 003:L552, L1315",
)
def federal_register_courses(territory: Territory, on_date: dt.date, *, period_start=None):
    done = Activity.objects.filter(
        kind=ActivityKind.COURSE,
        in_federal_register=True,
        deficit__isnull=False,
        status=ActivityStatus.DONE,
        done_on__lte=on_date,
    )
    if period_start:
        done = done.filter(done_on__gte=period_start)
    return teacher_share(territory, on_date, condition=Q(pk__in=done.values("route__person_id")))


@indicator(
    code="IND-08",
    name="Количество педагогических работников, закрепленных за одним региональным методистом",
    levels=(Level.REGION,),
    unit=Unit.RATIO,
    numerator="педагогические работники с маршрутом в работе у куратора — члена РМА на дату",
    denominator="действующие члены РМА (по членствам в роли «Член РМА»)",
    source="003:L1321",
)
def teachers_per_methodist(territory: Territory, on_date: dt.date, *, period_start=None):
    members = Membership.objects.filter(territory.organizations("organization"), role=Role.RMA_MEMBER, is_active=True)
    assigned = (
        Route.objects.filter(
            territory.organizations("person__organization"),
            on_staff(on_date, "person"),
            status__in=CASELOAD_STATUSES,
            curator_role=Role.RMA_MEMBER,
        )
        .order_by()
        .values("person__organization_id")
        .annotate(n=Count("person_id", distinct=True))
    )
    counts: dict[int, list[int]] = {}
    for row in members.order_by().values("organization_id").annotate(n=Count("user_id", distinct=True)):
        counts.setdefault(row["organization_id"], [0, 0])[1] += row["n"]
    for row in assigned:
        counts.setdefault(row["person__organization_id"], [0, 0])[0] += row["n"]
    return {org: (n, d) for org, (n, d) in counts.items()}


@indicator(
    code="IND-21",
    name="Доля завершённых ИОМ с зафиксированным результатом (от ИОМа к результату)",
    levels=(Level.MUNICIPALITY, Level.REGION),
    unit=Unit.SHARE,
    numerator="завершённые ИОМ, результат которых подтверждён куратором и записан",
    denominator="завершённые ИОМ (результат подтверждён не позднее даты)",
    source="003:L1339; 003:L1487 («от ИОМа к результату»)",
)
def completed_with_result(territory: Territory, on_date: dt.date, *, period_start=None):
    completed = Route.objects.filter(
        territory.organizations("person__organization"), status=Status.COMPLETED, completed_on__lte=on_date
    )
    if period_start:
        completed = completed.filter(completed_on__gte=period_start)
    rows = (
        completed.order_by()
        .values("person__organization_id")
        .annotate(total=Count("id"), with_result=Count("id", filter=~Q(result="")))
    )
    return {row["person__organization_id"]: (row["with_result"], row["total"]) for row in rows}
