"""Programmes of additional professional education (ДПП) and their groups (потоки).

What a programme addresses is recorded as competency areas — the five the regional diagnostics
measures («процедуры диагностики предметных, методических, психолого-педагогических,
коммуникативных и ИТ-компетенций», 003:L1229) — and subjects. ИОМ matches a diagnosed deficit of
an area to programmes of that area. Whether a programme is in the federal register ФР ДПП
(«Разработка ДПП для включения в ФР ДПП … Перечень ДПП, утвержденных и размещенных в ФР ДПП»,
003:L1499) feeds IND-03 and IND-07 (003:L552, L558)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from orgstructure.models import Organization, Subject


class CompetencyArea(models.TextChoices):
    """The five areas of the regional diagnostics (003:L1229), in the seed's order."""

    SUBJECT = "subject", "Предметные компетенции"
    METHODICAL = "methodical", "Методические компетенции"
    PSYCHOLOGICAL = "psychological", "Психолого-педагогические компетенции"
    COMMUNICATIVE = "communicative", "Коммуникативные компетенции"
    IT = "it", "ИТ-компетенции"


class ProgrammeKind(models.TextChoices):
    """«повышение квалификации», «профессиональная переподготовка» (000:L123)."""

    ADVANCED_TRAINING = "pk", "Повышение квалификации (ПК)"
    RETRAINING = "pp", "Профессиональная переподготовка (ПП)"


class StudyForm(models.TextChoices):
    FULL_TIME = "full_time", "Очная"
    MIXED = "mixed", "Очно-заочная"
    PART_TIME = "part_time", "Заочная"
    DISTANCE = "distance", "Заочная с применением ДОТ"


class Programme(models.Model):
    """One ДПП of one provider. A register number is kept only for a programme in ФР ДПП."""

    title = models.CharField("наименование программы", max_length=1000)
    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="programmes", verbose_name="организация-разработчик"
    )
    kind = models.CharField(
        "вид программы", max_length=8, choices=ProgrammeKind.choices, default=ProgrammeKind.ADVANCED_TRAINING
    )
    hours = models.PositiveSmallIntegerField("объём, часов", validators=[MinValueValidator(1), MaxValueValidator(3000)])
    form = models.CharField("форма обучения", max_length=16, choices=StudyForm.choices, default=StudyForm.FULL_TIME)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="programmes", verbose_name="предметы")
    annotation = models.TextField("аннотация", blank=True)
    in_federal_register = models.BooleanField("размещена в ФР ДПП", default=False)
    federal_register_number = models.CharField(
        "номер в ФР ДПП", max_length=64, blank=True, help_text="только для программ, размещённых в ФР ДПП"
    )
    is_active = models.BooleanField("реализуется", default=True, help_text="снятая с реализации остаётся в каталоге")
    created_at = models.DateTimeField("добавлена", auto_now_add=True)
    updated_at = models.DateTimeField("изменена", auto_now=True)

    SCOPE_PATHS = {
        "region": "provider__region_id",
        "municipality": "provider__municipality_id",
        "organization": "provider_id",
    }

    class Meta:
        verbose_name = "программа ДПП"
        verbose_name_plural = "программы ДПП"
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "title", "hours"], name="programme_unique_in_provider"),
            models.CheckConstraint(
                condition=Q(in_federal_register=True) | Q(federal_register_number=""),
                name="programme_register_number_only_in_register",
            ),
        ]
        indexes = [models.Index(fields=["provider", "in_federal_register"])]

    def __str__(self):
        return f"«{self.title}» ({self.hours} ч)"

    def next_group(self, on_date=None):
        """The first group that has not ended by the date (today), else None (prefetched `groups`)."""
        on_date = on_date or timezone.localdate()
        return next(
            (g for g in sorted(self.groups.all(), key=lambda g: (g.starts_on, g.pk)) if g.ends_on >= on_date), None
        )

    @property
    def upcoming_group(self):
        return self.next_group()

    @property
    def area_codes(self) -> list[str]:
        """The programme's areas in CompetencyArea's order (uses a prefetched `areas` if there)."""
        codes = {row.area for row in self.areas.all()}
        return [value for value in CompetencyArea.values if value in codes]


class ProgrammeArea(models.Model):
    """A competency area a programme addresses (several per programme)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField("область компетенций", max_length=16, choices=CompetencyArea.choices)

    class Meta:
        verbose_name = "область компетенций программы"
        verbose_name_plural = "области компетенций программы"
        constraints = [models.UniqueConstraint(fields=["programme", "area"], name="programme_area_unique")]
        indexes = [models.Index(fields=["area", "programme"])]

    def __str__(self):
        return self.get_area_display()


class ProgrammeGroup(models.Model):
    """A group (поток) of a programme with its dates, e.g. «ноябрь 2021» for a school list (000:L224)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField("номер группы", max_length=64, blank=True)
    starts_on = models.DateField("начало обучения")
    ends_on = models.DateField("окончание обучения")
    seats = models.PositiveSmallIntegerField("мест", null=True, blank=True)
    venue = models.CharField("место проведения", max_length=300, blank=True)

    class Meta:
        verbose_name = "группа (поток)"
        verbose_name_plural = "группы (потоки)"
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="programme_group_dates_ordered"),
        ]
        indexes = [models.Index(fields=["programme", "starts_on"])]

    def __str__(self):
        label = f"группа {self.code}" if self.code else "группа"
        return f"{label}: {self.starts_on:%d.%m.%Y} – {self.ends_on:%d.%m.%Y}"
