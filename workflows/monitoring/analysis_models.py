"""What the analysis and the management loop keep (issue 12 §7-9): the draft of an аналитическая
справка (DOC-5), the library of recommendation texts and the адресные рекомендации letters
(DOC-6), the plan of measures (each one a task in its owner's inbox), and the goals a campaign
starts with (seeded by the effectiveness review of the one before). Imported by models.py, so
Django sees them as the monitoring app's models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from viewflow.workflow.models import Process

from orgstructure import access
from orgstructure.models import Municipality, Organization, Role
from workflows.core.state import register_events


@register_events
class ManagementEvent(models.TextChoices):
    DOCUMENT_ISSUED = "monitoring.document_issued", "Документ по итогам мониторинга выпущен"
    MEASURE_PLANNED = "monitoring.measure_planned", "Мера включена в план"
    MEASURE_DONE = "monitoring.measure_done", "Мера выполнена"
    GOALS_SEEDED = "monitoring.goals_seeded", "Цели следующего цикла заданы по итогам анализа эффективности"


class DraftStatus(models.TextChoices):
    DRAFT = "draft", "Черновик"
    ISSUING = "issuing", "Выпускается"
    ISSUED = "issued", "Выпущен"


class AnalysisReport(models.Model):
    """The аналитическая справка of a campaign's territory, or of one municipality of it, as a
    draft: the figures come from the analysis when it is issued; the official edits the texts
    (basis, goals, analysis and factors, conclusions, recommendations) and issues it with a
    number (rendered in the worker)."""

    campaign = models.ForeignKey("monitoring.Campaign", on_delete=models.PROTECT, related_name="reports")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="муниципальное образование")
    issuing_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                             verbose_name="выпускает")
    status = models.CharField("статус", max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    texts = models.JSONField("тексты справки", default=dict, blank=True)
    error = models.TextField("почему не выпущена", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("изменена", auto_now=True)

    SCOPE_PATHS = {"region": "campaign__region_id", "municipality": "municipality_id"}

    class Meta:
        verbose_name = "аналитическая справка (черновик)"
        verbose_name_plural = "аналитические справки"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "municipality"], name="monitoring_report_once"),
            models.UniqueConstraint(fields=["campaign"], condition=models.Q(municipality__isnull=True),
                                    name="monitoring_report_territory_once"),
        ]

    def __str__(self):
        # the territory by name: «(Пермский край)», «(Березники)» — not «(территория кампании)»
        campaign = self.campaign
        where = (self.municipality or campaign.municipality or campaign.region).name
        return f"Аналитическая справка: {campaign} ({where})"


class RecommendationAddressee(models.TextChoices):
    SCHOOL = "school", "Образовательная организация"
    MUNICIPALITY = "municipality", "Муниципальное образование"


class RecommendationText(models.Model):
    """The editable library: an indicator below target → this recommendation, for a school or a
    municipality (ММС «разрабатывает адресные рекомендации для педагогических коллективов
    образовательных организаций, разных категорий педагогов», 003:L464)."""

    indicator_code = models.CharField("код показателя", max_length=32, db_index=True)
    addressee = models.CharField("кому", max_length=16, choices=RecommendationAddressee.choices)
    text = models.TextField("рекомендация")
    responsible = models.CharField("ответственный", max_length=300)
    due_months = models.PositiveSmallIntegerField("срок, месяцев", default=6)
    is_active = models.BooleanField("действует", default=True)
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "текст адресной рекомендации"
        verbose_name_plural = "библиотека адресных рекомендаций"
        ordering = ["indicator_code", "addressee", "position", "id"]

    def __str__(self):
        return f"{self.indicator_code} → {self.get_addressee_display()}: {self.text[:60]}"


class RecommendationLetter(models.Model):
    """The адресные рекомендации of one addressee (a school, or a municipality's body): rows
    generated from the rules, edited, issued as a letter (DOC-6)."""

    campaign = models.ForeignKey("monitoring.Campaign", on_delete=models.PROTECT, related_name="letters")
    addressee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="адресат")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    level = models.CharField("уровень", max_length=16, choices=RecommendationAddressee.choices)
    issuing_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                             verbose_name="направляет")
    items = models.JSONField("рекомендации", default=list, blank=True)
    status = models.CharField("статус", max_length=16, choices=DraftStatus.choices, default=DraftStatus.DRAFT)
    error = models.TextField("почему не выпущено", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("изменено", auto_now=True)

    SCOPE_PATHS = {"region": "campaign__region_id", "municipality": "municipality_id",
                   "organization": "addressee_id"}

    class Meta:
        verbose_name = "адресные рекомендации"
        verbose_name_plural = "адресные рекомендации"
        constraints = [models.UniqueConstraint(fields=["campaign", "addressee"], name="monitoring_letter_once")]

    def __str__(self):
        return f"Адресные рекомендации: {self.addressee.short_name or self.addressee.name}"


# Who may own a measure of the plan (its task needs monitoring.do_measure): the officials of the
# regional and municipal bodies and the school heads.
MEASURE_OWNER_ROLES = (
    Role.MINISTRY_OFFICER, Role.CNPPM_COORDINATOR, Role.CNPPM_METHODIST, Role.IRO_STAFF,
    Role.MUNI_AUTHORITY, Role.MMS_METHODIST, Role.SCHOOL_HEAD,
)


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "Выполняется"
    DONE = "done", "Выполнена"


def can_report_measure(measure, user) -> bool:
    return user.pk == measure.owner_id or getattr(user, "is_superuser", False)


class Measure(ConcurrentTransitionMixin, models.Model):
    """One row of the plan of measures («Меры, мероприятия, управленческие решения», до 31
    декабря, 001:L89-187): what, who (a user, in an organization), by when, aimed at which
    indicator. Its task sits in the owner's inbox with the due date (MeasureFlow)."""

    campaign = models.ForeignKey("monitoring.Campaign", on_delete=models.PROTECT, related_name="measures")
    title = models.CharField("мера (мероприятие)", max_length=500)
    indicator_code = models.CharField("на какой показатель направлена", max_length=32)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="ответственный")
    owner_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                           verbose_name="организация ответственного")
    owner_position = models.CharField("должность ответственного", max_length=300)
    due = models.DateField("срок")
    status = FSMField("статус", max_length=16, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED,
                      protected=True)
    result = models.TextField("результат", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("создана", auto_now_add=True)

    SCOPE_PATHS = {"region": "campaign__region_id", "municipality": "owner_organization__municipality_id",
                   "organization": "owner_organization_id"}

    class Meta:
        verbose_name = "мера по результатам мониторинга"
        verbose_name_plural = "план мер по результатам мониторинга"
        ordering = ["due", "id"]

    def __str__(self):
        return self.title

    @transition(field=status, source=MeasureStatus.PLANNED, target=MeasureStatus.DONE,
                permission=can_report_measure)
    def complete(self):
        """The owner reports the measure done, with its result."""


class MeasureProcess(Process):
    class Meta:
        proxy = True
        permissions = [("do_measure", "Может выполнять меры по результатам мониторинга")]


class CampaignGoal(models.Model):
    """A goal a campaign starts with (the first component of the cycle, «цели», 002:L91-99): set
    by the official, or seeded by the effectiveness review of the previous cycle for each
    indicator that did not reach its target."""

    campaign = models.ForeignKey("monitoring.Campaign", on_delete=models.CASCADE, related_name="goals")
    text = models.TextField("цель")
    indicator_code = models.CharField("показатель", max_length=32, blank=True)
    seeded_from = models.ForeignKey("monitoring.Campaign", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="по итогам кампании")
    position = models.PositiveSmallIntegerField("порядок", default=0)

    class Meta:
        verbose_name = "цель мониторинга"
        verbose_name_plural = "цели мониторинга"
        ordering = ["campaign", "position", "id"]

    def __str__(self):
        return self.text[:80]


def can_manage(user, campaign, municipality_id=None) -> bool:
    """Who prepares the analysis, the recommendations and the plan: the regional bodies for a
    regional campaign (ЦНППМПР coordinator, ministry), the municipal methodist or authority for a
    municipality's part."""
    regional = (Role.CNPPM_COORDINATOR, Role.MINISTRY_OFFICER, Role.PD_ADMIN)
    if access.reaches_region(user, regional, region_id=campaign.region_id):
        return True
    muni = municipality_id or campaign.municipality_id
    if muni is None:
        return False
    return any(m.organization.municipality_id == muni
               for m in access.memberships_with_role(user, Role.MMS_METHODIST, Role.MUNI_AUTHORITY))
