"""The monitoring campaign of a territory and period, its indicator set, and one submission per
school (issue 12). A submission is the artefact of one process (MonitoringFlow): the school head
fills it in by the profile's «monitoring.collection» deadline."""

from __future__ import annotations

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from orgstructure import access
from orgstructure.models import Municipality, Organization, Region, Role
from workflows.core.state import register_events


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "Готовится"
    COLLECTING = "collecting", "Идёт сбор"
    CLOSED = "closed", "Сбор завершён"


class Campaign(models.Model):
    """A monitoring campaign of a region, or of one municipality (Нижняя Тура's roadmap, 001, is
    municipal), for a period: a year, or a half-year where the profile says so (003:L1476)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="регион")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="муниципальное образование", help_text="пусто — кампания всего региона",
    )
    title = models.CharField("название", max_length=300)
    period_start = models.DateField("период с")
    period_end = models.DateField("период по")
    opens_on = models.DateField("приём данных с")
    status = FSMField("статус", max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT,
                      protected=True)
    created_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+", verbose_name="создал")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    SCOPE_PATHS = {"region": "region_id", "municipality": "municipality_id"}

    class Meta:
        verbose_name = "кампания мониторинга"
        verbose_name_plural = "кампании мониторинга"
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="monitoring_campaign_period_order"),
        ]

    def __str__(self):
        return self.title

    def schools(self):
        """The organizations of the territory that submit (schools)."""
        from orgstructure.models import OrganizationKind

        rows = Organization.objects.filter(region_id=self.region_id, kind=OrganizationKind.SCHOOL)
        if self.municipality_id:
            rows = rows.filter(municipality_id=self.municipality_id)
        return rows

    @transition(field=status, source=CampaignStatus.DRAFT, target=CampaignStatus.COLLECTING)
    def open(self):
        """Collection opens: every school of the territory gets its submission."""


class ValueKind(models.TextChoices):
    NUMBER = "number", "Число"
    SHARE = "share", "Доля (числитель / знаменатель)"
    PERCENT = "percent", "Процент (0–100)"
    YES_NO = "yes_no", "Да / нет"
    TEXT = "text", "Текст"
    FILE = "file", "Файл-подтверждение"


class CampaignIndicator(models.Model):
    """One indicator of the campaign's set: from the catalogue (IND-01…22) or the registry of
    computable indicators, with its target where the seeds give one (IND-03 «не менее 30%»,
    IND-06 «не менее 70%», 000:L217–220). The school form is built from these rows."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("код", max_length=32)
    title = models.CharField("показатель", max_length=500)
    kind = models.CharField("вид значения", max_length=8, choices=ValueKind.choices)
    target = models.DecimalField("целевое значение", max_digits=9, decimal_places=2, null=True, blank=True)
    target_text = models.CharField("формулировка цели", max_length=200, blank=True)
    source = models.CharField("источник", max_length=200, blank=True)
    required = models.BooleanField("обязателен", default=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)
    # The kit's registry computes it (workflows.core.indicators): prefilled per school when
    # collection opens, changed by a school only with a reason.
    computed = models.BooleanField("вычисляется системой", default=False)
    max_value = models.DecimalField("наибольшее значение", max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "показатель кампании"
        verbose_name_plural = "показатели кампании"
        ordering = ["campaign", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="monitoring_indicator_once")]

    def __str__(self):
        return f"{self.code}: {self.title}"


PART_LABELS = {"numerator": "числитель", "denominator": "знаменатель", "value": "значение"}
OPERATOR_TEXT = {"<=": "≤", "<": "<", "==": "=", ">=": "≥", ">": ">"}


def operand_label(text: str) -> str:
    """«IND-06.denominator» as an official reads it: «IND-06 (знаменатель)»."""
    code, _, part = text.partition(".")
    return f"{code} ({PART_LABELS.get(part, part)})" if part else code


def rule_text(rule) -> str:
    return f"{operand_label(rule.left)} {OPERATOR_TEXT[rule.operator]} {operand_label(rule.right)}"


class CampaignRule(models.Model):
    """A cross-field rule of the campaign as data: «IND-06.denominator <= IND-14.denominator»
    (operands: an indicator code with its part — numerator, denominator or value — or a number),
    checked on submission when both sides are given (rules.cross_field_errors)."""

    class Operator(models.TextChoices):
        LE = "<=", "≤"
        LT = "<", "<"
        EQ = "==", "="
        GE = ">=", "≥"
        GT = ">", ">"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rules")
    left = models.CharField("левая часть", max_length=40)
    operator = models.CharField("условие", max_length=2, choices=Operator.choices)
    right = models.CharField("правая часть", max_length=40)
    message = models.CharField("сообщение", max_length=500)

    class Meta:
        verbose_name = "правило проверки"
        verbose_name_plural = "правила проверки"
        ordering = ["campaign", "id"]

    def __str__(self):
        return rule_text(self)


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Не начато"
    DRAFT = "draft", "Черновик"
    SUBMITTED = "submitted", "Представлено"
    RETURNED = "returned", "Возвращено на доработку"
    ACCEPTED = "accepted", "Принято"


@register_events
class MonitoringEvent(models.TextChoices):
    CAMPAIGN_OPENED = "monitoring.campaign_opened", "Сбор данных мониторинга открыт"
    SUBMITTED = "monitoring.submitted", "Данные мониторинга представлены"
    DRAFT_SAVED = "monitoring.draft_saved", "Черновик данных мониторинга сохранён"
    REOPENED = "monitoring.reopened", "Форма школы открыта повторно"
    ACCEPTED = "monitoring.accepted", "Данные школы приняты"
    RETURNED = "monitoring.returned", "Данные школы возвращены на доработку"
    IMPORTED = "monitoring.imported", "Данные школы загружены из Excel"
    FILE_ATTACHED = "monitoring.file_attached", "Приложен файл-подтверждение"


def can_submit(submission, user) -> bool:
    return access.reaches(user, (Role.SCHOOL_HEAD,), organization=submission.organization)


def can_reopen(submission, user) -> bool:
    """The municipal methodist of the school's municipality."""
    return access.reaches(user, (Role.MMS_METHODIST,), organization=submission.organization)


def can_load(submission, user) -> bool:
    return access.reaches(user, (Role.SCHOOL_HEAD, Role.MMS_METHODIST), organization=submission.organization)


REGIONAL_RUNNERS = (Role.CNPPM_COORDINATOR, Role.MINISTRY_OFFICER, Role.PD_ADMIN)
MUNICIPAL_RUNNERS = (Role.MUNI_AUTHORITY, Role.MMS_METHODIST)


def can_run_campaign(user, *, region_id, municipality_id=None) -> bool:
    """Who creates and opens a campaign: the regional bodies for their region; for a municipal
    campaign also the municipality's authority and ММС."""
    if access.reaches_region(user, REGIONAL_RUNNERS, region_id=region_id):
        return True
    memberships = access.memberships_with_role(user, *MUNICIPAL_RUNNERS)
    return municipality_id is not None and any(m.organization.municipality_id == municipality_id for m in memberships)


class Submission(ConcurrentTransitionMixin, models.Model):
    """One school's submission to a campaign (one record per school, never a list in a process
    variable). `values` holds {indicator code: value} as the form gives it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="submissions")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="организация")
    status = FSMField("статус", max_length=16, choices=SubmissionStatus.choices,
                      default=SubmissionStatus.NOT_STARTED, protected=True)
    values = models.JSONField("значения", default=dict, blank=True)
    # {code: value} the registry computed when collection opened, and {code: reason} where the
    # school changed one of them (shown to the methodist).
    computed = models.JSONField("вычислено системой", default=dict, blank=True)
    corrections = models.JSONField("причины исправления вычисленных значений", default=dict, blank=True)
    # Jumps against last period's accepted values found at submission: warnings, not errors.
    warnings = models.JSONField("предупреждения", default=list, blank=True)
    submitted_at = models.DateTimeField("представлено", null=True, blank=True)
    reopened_until = models.DateField("открыта повторно до", null=True, blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)

    SCOPE_PATHS = {
        "region": "organization__region_id",
        "municipality": "organization__municipality_id",
        "organization": "organization_id",
    }

    class Meta:
        verbose_name = "данные школы"
        verbose_name_plural = "данные школ"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="monitoring_submission_once"),
        ]

    def __str__(self):
        return f"{self.campaign}: {self.organization.name}"

    @transition(field=status, source=[SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT],
                target=SubmissionStatus.DRAFT, permission=can_submit)
    def save_draft(self):
        """The school saves what it has so far (no validation)."""

    @transition(field=status, source=[SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT],
                target=SubmissionStatus.DRAFT, permission=can_load)
    def load(self):
        """Values loaded from an .xlsx (the head, or the municipality's methodist for many schools):
        a draft the head checks and submits."""

    @transition(field=status, source=[SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT,
                                      SubmissionStatus.RETURNED],
                target=SubmissionStatus.SUBMITTED, permission=can_submit)
    def submit(self):
        """The school head submits the form (validated by services.submission_submit)."""


    @transition(field=status, source=SubmissionStatus.SUBMITTED, target=SubmissionStatus.ACCEPTED,
                permission=can_reopen)
    def accept(self):
        """The municipal methodist accepts the school's data."""

    @transition(field=status, source=SubmissionStatus.SUBMITTED, target=SubmissionStatus.RETURNED,
                permission=can_reopen)
    def send_back(self):
        """The municipal methodist returns the data with a reason the school sees."""


class SubmissionFile(models.Model):
    """An evidence file of one indicator of a submission (stored through common.uploads)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    code = models.CharField("показатель", max_length=32)
    file = models.FileField("файл", upload_to="monitoring/")
    original_name = models.CharField("имя файла", max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField("загружен", auto_now_add=True)

    SCOPE_VIA = "submission"

    class Meta:
        verbose_name = "файл-подтверждение"
        verbose_name_plural = "файлы-подтверждения"
        ordering = ["submission", "code", "id"]

    def __str__(self):
        return self.original_name


class SubmissionProcess(Process):
    class Meta:
        proxy = True
        permissions = [
            ("fill_submission", "Может заполнять данные мониторинга школы"),
            ("review_submission", "Может принимать данные мониторинга школ"),
        ]


from common.uploads import storage as upload_storage  # noqa: E402  (after the model it registers)

upload_storage.register_swept("monitoring", SubmissionFile, "file")

from .analysis_models import (  # noqa: E402,F401  (the analysis and management loop, issue 12 §7-9)
    AnalysisReport,
    CampaignGoal,
    Measure,
    MeasureProcess,
    RecommendationLetter,
    RecommendationText,
)
