"""The monitoring demo of Пермский край (`manage.py load_monitoring_demo`, run by `make run` after
load_demo): a whole cycle from opening to the effectiveness analysis, through the real services
and task completions (workflows.core.demo), idempotently.

* «I полугодие 2026» — the closed previous period: every school's data accepted (loaded as the
  accepted data of a finished period, without processes: its collection happened before the
  system), its analysis, the plan of measures with tasks in the owners' inboxes (one done by
  mms_berezniki, one overdue for the school head, one open for ЦНППМПР), the приказ «О принятии
  управленческих решений», the effectiveness review against the current period and the goals of
  the next cycle (a draft campaign «I полугодие 2027»).
* «II полугодие 2026» — the current regional campaign, opened through the fan-out: most schools
  submitted and accepted (schools with no demo head are filled by `admin`, the reviews of
  Березники by mms_berezniki, the others' by `admin`), one school returned and resubmitted, the
  school_head's МАОУ «СОШ № 7» returned with a reason (its task waits in her inbox), two
  submitted awaiting review, four late (their tasks overdue); the аналитическая справка issued,
  адресные рекомендации drafted for the municipalities below target, one issued.

Names are invented (orgstructure/demo.py); the data are generated from a fixed seed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from orgstructure.models import Membership, Organization, OrganizationKind, Role
from workflows.core.calendar import local_date
from workflows.core.demo import DemoReport, age_task, complete_open_task, demo_region, demo_users, open_task
from workflows.core.models import TaskDeadline

from . import analysis_services, effectiveness, measures_planning, measures_services, services
from .analysis_models import AnalysisReport, Measure, RecommendationText
from .flows import MonitoringFlow
from .measures_flows import MeasureFlow
from .models import Campaign, CampaignIndicator, CampaignStatus, Submission, SubmissionStatus, ValueKind
from .opening import campaign_open

PREVIOUS_TITLE = "Мониторинг РС НМС Пермского края, I полугодие 2026 (демо)"
CURRENT_TITLE = "Мониторинг РС НМС Пермского края, II полугодие 2026 (демо)"

SET = (
    ("IND-03", "Доля педагогических работников, освоивших программы ДПО, вошедшие в ФР ДПП и подобранные с "
     "учетом диагностики профессиональных дефицитов", ValueKind.SHARE, 30, "«не менее 30%» [000:L217]"),
    ("IND-06", "Доля педагогических работников в возрасте до 35 лет, участвующих в различных формах поддержки "
     "и сопровождения в первые 3 года работы", ValueKind.SHARE, 70, "«не менее 70%» [000:L220]"),
    ("IND-01", "Доля педагогических работников, прошедших диагностику профессиональных дефицитов",
     ValueKind.SHARE, 50, "[001:L20; 003:L548]"),
    ("IND-22", "Наличие методических структур, обеспечивающих методическую поддержку педагогических работников",
     ValueKind.YES_NO, 80, "[002:L135]"),
    ("IND-18", "Выявленная кадровая потребность (количество вакансий)", ValueKind.NUMBER, None, "[001:L29, L67]"),
    ("NOTE", "Комментарий школы (факторы, влияющие на показатели)", ValueKind.TEXT, None, ""),
)

LIBRARY = (
    ("IND-03", "municipality", "Включить в план муниципальной методической службы направление педагогов на ДПП "
     "из федерального реестра по результатам диагностики профессиональных дефицитов", "ММС", 6),
    ("IND-03", "school", "Составить график прохождения ДПП из ФР ДПП для педагогов с выявленными дефицитами",
     "заместитель директора по УВР", 4),
    ("IND-06", "municipality", "Закрепить наставников за молодыми педагогами первых трёх лет работы; провести "
     "муниципальный клуб молодых педагогов", "ММС", 3),
    ("IND-06", "school", "Закрепить наставника за каждым молодым педагогом (приказ по школе)", "директор", 2),
    ("IND-01", "municipality", "Организовать диагностику профессиональных дефицитов педагогов совместно с ЦОПМКП",
     "ММС", 6),
    ("IND-22", "municipality", "Создать школьные методические объединения в ОО, где их нет", "ММС", 6),
)


def _values(rng: random.Random, strength: float) -> dict:
    def share(low, high, size):
        denominator = rng.randint(*size)
        return {"numerator": str(round(denominator * min(max(rng.uniform(low, high) * strength, 0), 1))),
                "denominator": str(denominator)}

    return {
        "IND-03": share(0.15, 0.45, (20, 70)),
        "IND-06": share(0.45, 0.95, (3, 9)),
        "IND-01": share(0.35, 0.75, (20, 70)),
        "IND-22": rng.random() < 0.75 * strength,
        "IND-18": str(rng.randint(0, 4)),
        "NOTE": rng.choice(["", "", "", "Часть педагогов на курсах во втором полугодии",
                            "Два молодых педагога пришли в сентябре", "Нет методиста в штате"]),
    }


def _campaign(region, admin, title, start, end, opens_on, status=CampaignStatus.DRAFT):
    campaign = Campaign.objects.create(region=region, title=title, period_start=start, period_end=end,
                                       opens_on=opens_on, created_by=admin, status=status)
    CampaignIndicator.objects.bulk_create([
        CampaignIndicator(campaign=campaign, code=code, title=title_, kind=kind, target=target, source=source,
                          position=n, required=code != "NOTE")
        for n, (code, title_, kind, target, source) in enumerate(SET)
    ])
    return campaign


def _fill(actor, submission, values):
    submission = Submission.objects.get(pk=submission.pk)
    complete_open_task(actor=actor, artefact=submission, flow_class=MonitoringFlow,
                       perform=lambda a: services.submission_submit(actor=actor, submission=submission,
                                                                    values=values))


def _review(actor, submission, *, accept, reason=""):
    submission = Submission.objects.get(pk=submission.pk)
    complete_open_task(actor=actor, artefact=submission, flow_class=MonitoringFlow,
                       perform=lambda a: services.submission_review(actor=actor, submission=submission,
                                                                    accept=accept, reason=reason))


def _previous_period(region, users, schools, rng):
    previous = _campaign(region, users["admin"], PREVIOUS_TITLE, dt.date(2026, 1, 1), dt.date(2026, 6, 30),
                         dt.date(2026, 5, 1), status=CampaignStatus.CLOSED)
    Submission.objects.bulk_create([
        Submission(campaign=previous, organization=school, values=_values(rng, 0.85),
                   status=SubmissionStatus.ACCEPTED, submitted_at=timezone.now() - dt.timedelta(days=170))
        for school in schools
    ])
    return previous


def _current_period(region, users, schools, head_school, rng):
    today = timezone.localdate()
    current = _campaign(region, users["admin"], CURRENT_TITLE, dt.date(2026, 7, 1), dt.date(2026, 12, 31),
                        min(today, dt.date(2026, 11, 1)))
    campaign_open(actor=users["cnppm"], campaign=current)
    berezniki = head_school.municipality_id
    others = [school for school in schools if school != head_school]
    late, waiting, returned = others[-4:], others[-6:-4], others[0]
    for school in others:
        if school in late:
            continue
        submission = Submission.objects.get(campaign=current, organization=school)
        _fill(users["admin"], submission, _values(rng, 1.0))
        if school in waiting:
            continue
        reviewer = users["mms_berezniki"] if school.municipality_id == berezniki else users["admin"]
        if school == returned:
            _review(reviewer, submission, accept=False, reason="IND-06: в знаменатель не включены молодые "
                    "педагоги, принятые в сентябре")
            submission.refresh_from_db()
            fixed = dict(submission.values)
            fixed["IND-06"] = {"numerator": fixed["IND-06"]["numerator"],
                               "denominator": str(int(fixed["IND-06"]["denominator"]) + 2)}
            _fill(users["admin"], submission, fixed)
        _review(reviewer, submission, accept=True)
    for school in late:
        submission = Submission.objects.get(campaign=current, organization=school)
        age_task(open_task(MonitoringFlow, submission), arrived_days_ago=25, overdue_working_days=3,
                 tz=region.timezone)
    own = Submission.objects.get(campaign=current, organization=head_school)
    _fill(users["school_head"], own, _values(rng, 1.0))
    _review(users["mms_berezniki"], own, accept=False,
            reason="IND-03: укажите в знаменателе всех педагогических работников, включая совместителей")
    return current


def _analysis(current, users):
    for code, addressee, text, responsible, months in LIBRARY:
        RecommendationText.objects.get_or_create(indicator_code=code, addressee=addressee, text=text,
                                                 defaults={"responsible": responsible, "due_months": months})
    report = analysis_services.report_prepare(actor=users["cnppm"], campaign=current)
    analysis_services.report_issue(actor=users["cnppm"], report=report, later=False)
    letters = analysis_services.letters_generate(actor=users["cnppm"], campaign=current)
    if letters:
        analysis_services.letter_issue(actor=users["cnppm"], letter=letters[0], later=False)


def _measures(previous, users, head_school):
    today = timezone.localdate()
    memberships = {name: Membership.objects.filter(user=users[name], is_active=True).first()
                   for name in ("mms_berezniki", "school_head", "cnppm")}
    def add(code, owner, title, days):
        return measures_planning.measure_add(actor=users["cnppm"], campaign=previous, indicator_code=code,
                                             owner_membership=memberships[owner], title=title,
                                             due=today + dt.timedelta(days=days))

    done = add("IND-03", "mms_berezniki", "Направить педагогов Березников с дефицитами на ДПП из ФР ДПП", 20)
    overdue = add("IND-06", "school_head", "Закрепить наставников за молодыми педагогами СОШ № 7", 10)
    add("IND-01", "cnppm", "Провести региональную диагностику профессиональных дефицитов", 25)
    complete_open_task(actor=users["mms_berezniki"], artefact=done, flow_class=MeasureFlow,
                       perform=lambda a: measures_services.measure_complete(
                           actor=users["mms_berezniki"], measure=done,
                           result="Обучены 18 педагогов по ДПП из ФР ДПП (ЦНППМПР, 36 ч)"))
    task = open_task(MeasureFlow, overdue)
    age_task(task, arrived_days_ago=30, overdue_working_days=2, tz=head_school.region.timezone)
    # the measure's own date is its task's: the step page and the plan said «срок 12.12.2026» over
    # a task overdue since 30.11 (a measure is added with a future date, then made history here)
    due_at = TaskDeadline.objects.get(task_id=task.pk).due_at
    Measure.objects.filter(pk=overdue.pk).update(due=local_date(due_at, head_school.region.timezone))
    measures_services.decisions_issue(actor=users["cnppm"], campaign=previous, later=False)
    effectiveness.effectiveness_issue(actor=users["cnppm"], campaign=previous, later=False)
    effectiveness.goals_seed(actor=users["cnppm"], campaign=previous)


def load_monitoring_demo() -> DemoReport:
    region = demo_region()
    users = demo_users("admin", "cnppm", "mms_berezniki", "school_head")
    # The executor of a letter is printed with a phone: the demo coordinator gets an invented one.
    Membership.objects.filter(user=users["cnppm"], phone="").update(phone="(342) 200-00-00")
    head_school = Membership.objects.get(user=users["school_head"], role=Role.SCHOOL_HEAD).organization
    schools = list(Organization.objects.filter(region=region, kind=OrganizationKind.SCHOOL).order_by("id"))
    rng = random.Random(2026)
    report = DemoReport(title="мониторинга", what="демо-кампании мониторинга")

    def previous():
        return Campaign.objects.filter(region=region, title=PREVIOUS_TITLE).first()

    def current():
        return Campaign.objects.filter(region=region, title=CURRENT_TITLE).first()

    report.once("прошлый период «I полугодие 2026»: данные всех школ приняты", done=lambda: previous() is not None,
                make=lambda: _previous_period(region, users, schools, rng))
    report.once("текущая кампания «II полугодие 2026»: приняты, возвращены, на проверке, просрочены",
                done=lambda: current() is not None,
                make=lambda: _current_period(region, users, schools, head_school, rng))
    report.once("аналитическая справка и адресные рекомендации", done=lambda: AnalysisReport.objects.filter(
        campaign=current()).exists(), make=lambda: _analysis(current(), users))
    report.once("план мер, приказ о принятии управленческих решений, анализ эффективности и цели следующего цикла",
                done=lambda: Measure.objects.filter(campaign=previous()).exists(),
                make=lambda: _measures(previous(), users, head_school))
    return report
