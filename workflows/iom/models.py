"""Individual educational routes (ИОМ, issue 13): the requests of the «Реестр запросов на оказание
консультационно-методического сопровождения» and the routes of the «Реестр ИОМ» (003:L1518–1519).

The approval chain — inferred, no seed gives it (the Perm «Положение об ИОМ», 003:L1512, is not in
the corpus; DOMAIN.md §3.1 A12):

1. a request comes from a teacher (индивидуальный), a school for several teachers
   (институциональный) or a municipality (муниципальный, 003:L1518): one route per teacher;
2. the ЦНППМПР coordinator — for a municipal request the municipal РМА coordinator — assigns a
   curator: a methodist of ЦНППМПР or an РМА member (003:L761, L963); the system proposes the
   least-loaded РМА member of the teacher's subject and municipality (caseload = IND-08, 003:L1321);
3. the teacher and the curator design the route together (003:L1154: «разработка совместно с
   региональным методистом»); the curator submits it;
4. the teacher agrees (optional per region), the school's methodical council / head endorses
   (optional per region; 003:L1134, L1140 — the school plans ПК) and may return it with comments
   (a loop, each pass with its due date); the curator registers it in the «Реестр ИОМ» with a
   number from the ЦНППМПР's numbering register, and DOC-3 («Лист согласования») is issued;
5. the teacher carries out each activity (done with evidence, or skipped with a reason), each an
   inbox task with its due date;
6. the teacher reports, the curator confirms the result («от ИОМа к результату», 003:L1487) and the
   справка о выполнении ИОМ is issued; the coordinator selects routes for the expert round table
   (003:L1520), whose themes make the «ТОП ведущих тематик ИОМ».

The chain is configurable per region (`IomRegionSettings`: teacher agreement, school endorsement).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from common.indexes import PatternOpsIndex
from orgstructure import access
from orgstructure.access import Handler, Level
from orgstructure.models import Municipality, Organization, Person, Region, Role
from workflows.core.state import register_events

from . import rules

# The diagnostics models live in `diagnostics/models.py` (the results the route starts from).
from .diagnostics.models import (  # noqa: F401, E402
    DiagnosisDeficit,
    DiagnosisImport,
    DiagnosisRegionSettings,
    DiagnosisResult,
    DiagnosisScore,
    DiagnosisSource,
)
from .rules import ActivityKind, CompetencyArea


class RequestSource(models.TextChoices):
    INDIVIDUAL = "individual", "Индивидуальная (педагог)"
    INSTITUTIONAL = "institutional", "Институциональная (образовательная организация)"
    MUNICIPAL = "municipal", "Муниципальная"


class Status(models.TextChoices):
    REQUESTED = "requested", "Запрос принят, куратор не назначен"
    DESIGN = "design", "Разработка маршрута"
    AGREEMENT = "agreement", "Согласование педагогом"
    ENDORSEMENT = "endorsement", "Согласование в образовательной организации"
    REGISTRATION = "registration", "Регистрация в реестре ИОМ"
    IN_PROGRESS = "in_progress", "Реализуется"
    REPORTED = "reported", "Самоотчёт на проверке у куратора"
    COMPLETED = "completed", "Завершён, результат подтверждён"


REGISTERED_STATUSES = (Status.IN_PROGRESS, Status.REPORTED, Status.COMPLETED)
OPEN_STATUSES = tuple(s for s in Status if s != Status.COMPLETED)
CASELOAD_STATUSES = tuple(s for s in Status if s not in (Status.REQUESTED, Status.COMPLETED))


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", "Запланировано"
    DONE = "done", "Выполнено"
    SKIPPED = "skipped", "Не выполнено (с указанием причины)"


class Decision(models.TextChoices):
    AGREED = "agreed", "согласовано"
    RETURNED = "returned", "на доработку"
    REGISTERED = "registered", "зарегистрировано"


class ApprovalStep(models.TextChoices):
    TEACHER = "teacher", "Педагогический работник"
    SCHOOL = "school", "Руководитель (заместитель руководителя) ОО / методический совет"
    CURATOR = "curator", "Региональный методист (РМА) / методист ЦНППМПР"


@register_events
class IomEvent(models.TextChoices):
    REQUESTED = "iom.requested", "Запрос на сопровождение ИОМ принят"
    ASSIGNED = "iom.assigned", "Назначен куратор ИОМ"
    EDITED = "iom.edited", "Маршрут изменён"
    SUBMITTED = "iom.submitted", "Маршрут направлен на согласование"
    AGREED = "iom.agreed", "Педагог согласовал маршрут"
    TEACHER_RETURNED = "iom.teacher_returned", "Педагог вернул маршрут на доработку"
    ENDORSED = "iom.endorsed", "Образовательная организация согласовала маршрут"
    SCHOOL_RETURNED = "iom.school_returned", "Образовательная организация вернула маршрут на доработку"
    REGISTERED = "iom.registered", "Маршрут зарегистрирован в реестре ИОМ"
    ACTIVITY_DONE = "iom.activity_done", "Мероприятие выполнено"
    ACTIVITY_SKIPPED = "iom.activity_skipped", "Мероприятие не выполнено"
    REPORTED = "iom.reported", "Педагог представил самоотчёт"
    REPORT_RETURNED = "iom.report_returned", "Куратор вернул самоотчёт"
    CONFIRMED = "iom.confirmed", "Куратор подтвердил результат"
    ROUND_TABLE = "iom.round_table", "Маршрут отобран для экспертного круглого стола"


class IomRegionSettings(models.Model):
    """The region's approval chain (inferred, see the module docstring) and its limits."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="iom_settings")
    teacher_agreement = models.BooleanField("педагог согласует маршрут", default=True)
    school_endorsement = models.BooleanField("образовательная организация согласует маршрут", default=True)
    max_period_months = models.PositiveSmallIntegerField(
        "наибольший срок маршрута, месяцев", default=rules.DEFAULT_MAX_PERIOD_MONTHS
    )

    class Meta:
        verbose_name = "настройки ИОМ региона"
        verbose_name_plural = "настройки ИОМ регионов"

    def __str__(self):
        return f"ИОМ: {self.region}"

    @classmethod
    def for_region(cls, region_id) -> IomRegionSettings:
        found = cls.objects.filter(region_id=region_id).first()
        return found or cls(region_id=region_id)

    def chain(self) -> rules.Chain:
        return rules.Chain(teacher_agreement=self.teacher_agreement, school_endorsement=self.school_endorsement)


class IomRequest(models.Model):
    """An entry of the «Реестр запросов на оказание консультационно-методического сопровождения»."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="заявитель (организация)"
    )
    source = models.CharField("потребность", max_length=16, choices=RequestSource.choices)
    topic = models.TextField("тема запроса (затруднения, дефициты)")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("поступил", auto_now_add=True)

    SCOPE_PATHS = {
        "region": "region_id",
        "municipality": "municipality_id",
        "organization": "organization_id",
        "person": "routes__person_id",
    }

    class Meta:
        verbose_name = "запрос на сопровождение ИОМ"
        verbose_name_plural = "реестр запросов на сопровождение ИОМ"
        indexes = [models.Index(fields=["region", "-created_at", "-id"], name="iom_request_page")]

    def __str__(self):
        return f"Запрос № {self.pk}"


def can_assign(route, user) -> bool:
    if route.request.source == RequestSource.MUNICIPAL:
        return access.reaches(user, (Role.RMA_MUNI_COORDINATOR,), person=route.person) or access.reaches(
            user, (Role.CNPPM_COORDINATOR,), person=route.person
        )
    return access.reaches(user, (Role.CNPPM_COORDINATOR,), person=route.person)


def is_curator(route, user) -> bool:
    return route.curator_id is not None and route.curator_id == user.pk


def is_teacher(route, user) -> bool:
    return route.person.user_id is not None and route.person.user_id == user.pk


def can_endorse(route, user) -> bool:
    return access.reaches(user, (Role.SCHOOL_HEAD,), organization=route.person.organization)


class Route(ConcurrentTransitionMixin, models.Model):
    """One teacher's ИОМ, from the request to the confirmed result."""

    request = models.ForeignKey(IomRequest, on_delete=models.PROTECT, related_name="routes", verbose_name="запрос")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="iom_routes", verbose_name="педагог")
    status = FSMField("статус", max_length=16, choices=Status.choices, default=Status.REQUESTED, protected=True)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="куратор",
    )
    curator_role = models.CharField("роль куратора", max_length=32, blank=True)
    curator_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    diagnosis = models.ForeignKey(
        "iom.DiagnosisResult", on_delete=models.PROTECT, null=True, blank=True, related_name="routes",
        verbose_name="диагностика, на которой построен маршрут",
    )
    period_from = models.DateField("начало периода", null=True, blank=True)
    period_to = models.DateField("окончание периода", null=True, blank=True)
    theme = models.CharField("тема маршрута (основной дефицит)", max_length=300, blank=True)
    goal = models.TextField("цель ИОМ", blank=True)
    planned_results = models.TextField("планируемые результаты", blank=True)
    # optimistic locking of the design (teacher and curator edit at once): every save of the
    # design raises it by one, conditionally on the version the editor read
    version = models.PositiveIntegerField("версия", default=1)
    return_comment = models.TextField("замечания при возврате", blank=True)
    number = models.CharField("номер в реестре ИОМ", max_length=40, blank=True)
    registered_on = models.DateField("зарегистрирован", null=True, blank=True)
    self_report = models.TextField("самоотчёт педагога", blank=True)
    result = models.TextField("подтверждённый результат", blank=True)
    completed_on = models.DateField("результат подтверждён", null=True, blank=True)
    round_table = models.BooleanField("отобран для экспертного круглого стола", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATHS = {
        "region": "person__organization__region_id",
        "municipality": "person__organization__municipality_id",
        "organization": "person__organization_id",
        "person": "person_id",
    }
    # Personal data (the deficits of a named teacher, 152-ФЗ): those who handle the case — the
    # teacher, the school head, the coordinators who assign (the municipal one for its
    # municipality), the curator (scope_also) — and no one else; the ministry reads indicators.
    SCOPE_HANDLERS = {
        Role.TEACHER: Handler(Level.PERSON),
        Role.SCHOOL_HEAD: Handler(Level.ORGANIZATION),
        Role.CNPPM_COORDINATOR: Handler(Level.REGION),
        Role.RMA_MUNI_COORDINATOR: Handler(Level.MUNICIPALITY, when=Q(request__source=RequestSource.MUNICIPAL)),
    }
    CHANGED_MESSAGE = "Маршрут уже изменён другим пользователем: обновите страницу"

    class Meta:
        verbose_name = "индивидуальный образовательный маршрут"
        verbose_name_plural = "реестр ИОМ"
        indexes = [
            models.Index(fields=["status", "-id"], name="iom_route_status"),
            models.Index(fields=["curator", "status"], name="iom_route_caseload"),
            models.Index(fields=["-registered_on", "-id"], name="iom_route_register"),
            # the register's search by number (selectors.route_register_filtered: istartswith)
            PatternOpsIndex(Upper("number"), name="iom_route_number_prefix"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="completed"),
                name="iom_one_open_route_per_person",
            )
        ]

    def __str__(self):
        return (
            f"ИОМ № {self.number}: {self.person}" if self.number else f"ИОМ (запрос № {self.request_id}): {self.person}"
        )

    @staticmethod
    def scope_also(user) -> Q:
        return Q(curator=user)

    def chain(self) -> rules.Chain:
        return IomRegionSettings.for_region(self.person.organization.region_id).chain()

    @transition(field=status, source=Status.REQUESTED, target=Status.DESIGN, permission=can_assign)
    def assign(self):
        """The coordinator assigns the curator."""

    @transition(
        field=status,
        source=Status.DESIGN,
        target=RETURN_VALUE(Status.AGREEMENT, Status.ENDORSEMENT, Status.REGISTRATION),
        permission=is_curator,
    )
    def submit(self):
        """The curator sends the designed route along the region's chain."""
        return self.chain().after(rules.DESIGN)

    @transition(
        field=status,
        source=Status.AGREEMENT,
        target=RETURN_VALUE(Status.ENDORSEMENT, Status.REGISTRATION),
        permission=is_teacher,
    )
    def agree(self):
        return self.chain().after(rules.AGREEMENT)

    @transition(field=status, source=Status.AGREEMENT, target=Status.DESIGN, permission=is_teacher)
    def teacher_return(self):
        """The teacher does not agree and says why."""

    @transition(field=status, source=Status.ENDORSEMENT, target=Status.REGISTRATION, permission=can_endorse)
    def endorse(self):
        """The school's methodical council / head endorses."""

    @transition(field=status, source=Status.ENDORSEMENT, target=Status.DESIGN, permission=can_endorse)
    def school_return(self):
        """…or returns it with comments."""

    @transition(field=status, source=Status.REGISTRATION, target=Status.IN_PROGRESS, permission=is_curator)
    def register(self):
        """The curator registers it in the «Реестр ИОМ» with a number."""

    @transition(field=status, source=Status.IN_PROGRESS, target=Status.REPORTED, permission=is_teacher)
    def report(self):
        """The teacher's self-report, once every activity is closed."""

    @transition(field=status, source=Status.REPORTED, target=Status.IN_PROGRESS, permission=is_curator)
    def return_report(self):
        """The curator asks for more."""

    @transition(field=status, source=Status.REPORTED, target=Status.COMPLETED, permission=is_curator)
    def confirm(self):
        """The curator confirms the result."""


class Deficit(models.Model):
    """A professional deficit the route addresses: from the diagnosis (must be addressed) or added
    by the teacher and curator."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="deficits")
    area = models.CharField("область компетенций", max_length=24, choices=CompetencyArea.choices)
    description = models.CharField("дефицит", max_length=500)
    score = models.DecimalField("результат диагностики, %", max_digits=5, decimal_places=2, null=True, blank=True)
    diagnosed = models.BooleanField("выявлен диагностикой", default=False)
    goal = models.TextField("задача (цель по дефициту)", blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.description


class Activity(models.Model):
    """A line of the «План реализации ИОМ»."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="activities")
    deficit = models.ForeignKey(
        Deficit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="дефицит (задача)",
    )
    kind = models.CharField("форма", max_length=24, choices=ActivityKind.choices)
    title = models.CharField("мероприятие / образовательный модуль", max_length=500)
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="организация (стажировочная площадка, провайдер)",
    )
    provider_text = models.CharField("организация / ресурс", max_length=300, blank=True)
    mentor = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="наставник"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="программа ДПП из каталога",
    )
    programme_title = models.CharField("программа ДПП (из каталога)", max_length=500, blank=True)
    in_federal_register = models.BooleanField("программа из ФР ДПП", default=False)
    hours = models.PositiveSmallIntegerField("объём, часов")
    starts_on = models.DateField("начало")
    due_on = models.DateField("срок")
    expected_result = models.CharField("форма отчётности (продукт)", max_length=300)
    status = models.CharField("выполнение", max_length=12, choices=ActivityStatus.choices, default="planned")
    done_on = models.DateField("выполнено", null=True, blank=True)
    evidence = models.FileField("подтверждение (файл)", upload_to="iom/", blank=True)
    evidence_name = models.CharField("имя файла", max_length=255, blank=True)
    evidence_link = models.URLField("ссылка на подтверждение", max_length=500, blank=True)
    note = models.TextField("комментарий", blank=True)
    skip_reason = models.TextField("причина невыполнения", blank=True)

    SCOPE_VIA = "route"

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = "мероприятие ИОМ"
        verbose_name_plural = "мероприятия ИОМ"

    def __str__(self):
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status != ActivityStatus.PLANNED


class Approval(models.Model):
    """A row of the «Лист согласования ИОМ», one per decision (every pass of the loop is kept)."""

    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="approvals")
    step = models.CharField("этап", max_length=12, choices=ApprovalStep.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    position = models.CharField("должность", max_length=300)
    name = models.CharField("ФИО", max_length=300)
    decision = models.CharField("решение", max_length=12, choices=Decision.choices)
    comment = models.TextField("замечания", blank=True)
    decided_at = models.DateTimeField("дата", auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]

    def __str__(self):
        return f"{self.get_step_display()}: {self.get_decision_display()}"


class RouteProcess(Process):
    class Meta:
        proxy = True
        permissions = [
            ("assign_curator", "Может назначать куратора ИОМ"),
            ("design_route", "Может разрабатывать и сопровождать ИОМ как куратор"),
            ("agree_route", "Может согласовывать свой ИОМ и отчитываться о нём"),
            ("endorse_route", "Может согласовывать ИОМ педагогов своей организации"),
        ]


class ActivityProcess(Process):
    class Meta:
        proxy = True
