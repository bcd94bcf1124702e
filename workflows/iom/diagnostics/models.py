"""A diagnosis result of one teacher: date, instrument (ФОС), the organization that diagnosed
(ЦОПМКП), a score in each of the five competency areas (003:L1229) and the deficits found, each
tied to its area so that ИОМ can match catalogue programmes of that area to it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from orgstructure.access import Handler, Level
from orgstructure.models import Organization, Person, Region, Role
from programmes.models import CompetencyArea

DEFAULT_REUSE_MONTHS = 12  # «Ежегодно» (003:L1493): the diagnosis is annual


class DiagnosisSource(models.TextChoices):
    IMPORT = "import", "Загружен из файла"
    MANUAL = "manual", "Внесён вручную"


class DiagnosisImport(models.Model):
    """One accepted .xlsx file (all its rows or none): who loaded it, when, how many rows."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="diagnosis_imports", verbose_name="организация"
    )
    file_name = models.CharField("имя файла", max_length=255)
    checksum = models.CharField("SHA-256 файла", max_length=64)
    rows = models.PositiveIntegerField("строк")
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="загрузил"
    )
    loaded_at = models.DateTimeField("загружен", auto_now_add=True)

    SCOPE_PATHS = {
        "region": "organization__region_id",
        "municipality": "organization__municipality_id",
        "organization": "organization_id",
    }

    class Meta:
        verbose_name = "загрузка результатов диагностики"
        verbose_name_plural = "загрузки результатов диагностики"
        ordering = ["-loaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} ({self.rows} строк)"


class DiagnosisResult(models.Model):
    """The result of one diagnostic procedure of one teacher (personal data: 152-ФЗ)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="diagnoses", verbose_name="педагогический работник"
    )
    diagnosed_on = models.DateField("дата диагностики")
    instrument = models.CharField(
        "диагностический инструментарий", max_length=500, help_text="ФОС, по которому проведена диагностика"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="diagnoses_made",
        verbose_name="организация, проводившая диагностику",
    )
    source = models.CharField("способ внесения", max_length=8, choices=DiagnosisSource.choices)
    batch = models.ForeignKey(
        DiagnosisImport,
        on_delete=models.PROTECT,
        related_name="results",
        null=True,
        blank=True,
        verbose_name="загрузка",
    )
    comment = models.TextField("примечание", blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="внёс"
    )
    entered_at = models.DateTimeField("внесён", auto_now_add=True)

    SCOPE_PATHS = {
        "region": "person__organization__region_id",
        "municipality": "person__organization__municipality_id",
        "organization": "person__organization_id",
        "person": "person_id",
    }
    # Personal data (152-ФЗ): the teacher sees their own results; the school head those of the
    # school (the school plans its teachers' ПК and endorses their ИОМ, 003:L1134, L1140); ЦОПМКП,
    # which diagnoses, and the ЦНППМПР coordinator, who organizes the routes (003:L923), the
    # region's. Anyone else — a methodist, an РМА member — only the teachers whose route they
    # handle (`scope_also`, filled by the ИОМ process through `handled_persons`).
    SCOPE_HANDLERS = {
        Role.TEACHER: Handler(Level.PERSON),
        Role.SCHOOL_HEAD: Handler(Level.ORGANIZATION),
        Role.COPMKP_ASSESSOR: Handler(Level.REGION),
        Role.CNPPM_COORDINATOR: Handler(Level.REGION),
    }

    class Meta:
        verbose_name = "результат диагностики"
        verbose_name_plural = "результаты диагностики"
        ordering = ["-diagnosed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "diagnosed_on", "instrument"], name="diagnosis_unique_person_day_instrument"
            )
        ]
        indexes = [
            models.Index(fields=["person", "-diagnosed_on"]),
            models.Index(fields=["organization", "-diagnosed_on"]),
        ]

    def __str__(self):
        return f"Диагностика {self.diagnosed_on:%d.%m.%Y}: {self.person}"

    @classmethod
    def scope_also(cls, user):
        from .handlers import handled_persons_condition

        return handled_persons_condition(user)

    def score_for(self, area: str):
        """The score of an area or None (uses a prefetched `scores`)."""
        return next((row.score for row in self.scores.all() if row.area == area), None)


class DiagnosisScore(models.Model):
    """The result in one competency area, per cent."""

    result = models.ForeignKey(DiagnosisResult, on_delete=models.CASCADE, related_name="scores")
    area = models.CharField("область компетенций", max_length=16, choices=CompetencyArea.choices)
    score = models.DecimalField(
        "результат, %", max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "результат по области компетенций"
        verbose_name_plural = "результаты по областям компетенций"
        constraints = [
            models.UniqueConstraint(fields=["result", "area"], name="diagnosis_score_unique_area"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100), name="diagnosis_score_percent"),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.score}"


class DiagnosisDeficit(models.Model):
    """A professional deficit the diagnosis found, in its area («формирующее оценивание»)."""

    result = models.ForeignKey(DiagnosisResult, on_delete=models.CASCADE, related_name="deficits")
    area = models.CharField("область компетенций", max_length=16, choices=CompetencyArea.choices)
    title = models.CharField("дефицит", max_length=500)

    class Meta:
        verbose_name = "выявленный дефицит"
        verbose_name_plural = "выявленные дефициты"
        ordering = ["result", "id"]
        indexes = [models.Index(fields=["area", "result"])]

    def __str__(self):
        return f"{self.get_area_display()}: {self.title}"


class DiagnosisRegionSettings(models.Model):
    """How long a region trusts a diagnosis: a result younger than `reuse_months` is reused for a
    new ИОМ instead of a new diagnosis (DOMAIN §2(b): «existing result ≤ N months reused»). The
    seeds give no figure; the diagnosis is annual («Ежегодно», 003:L1493), so 12 by default."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="diagnosis_settings")
    reuse_months = models.PositiveSmallIntegerField(
        "результат действителен, месяцев",
        default=DEFAULT_REUSE_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="результат моложе этого срока используется для ИОМ вместо новой диагностики",
    )

    SCOPE_PATHS = {"region": "region_id"}

    class Meta:
        verbose_name = "настройки диагностики региона"
        verbose_name_plural = "настройки диагностики регионов"

    def __str__(self):
        return f"Диагностика: {self.region}"

    @classmethod
    def for_region(cls, region_id) -> DiagnosisRegionSettings:
        return cls.objects.filter(region_id=region_id).first() or cls(region_id=region_id)
