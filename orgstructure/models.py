"""Who is who: the region → municipality → organization tree, teachers and the users who act
through memberships (role × organization). What a user may see is answered in access.py."""

import datetime as dt
import zoneinfo

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .identifiers import validate_snils

YOUNG_TEACHER_MAX_AGE = 35  # «в возрасте до 35 лет» [003:L576]
YOUNG_TEACHER_MAX_YEARS_AT_ORGANIZATION = 3  # «в первые три года работы в образовательной организации»


def validate_timezone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"Неизвестный часовой пояс: {value}") from exc


class Region(models.Model):
    """A subject of the Russian Federation; deadlines end at 23:59:59 in its time zone."""

    name = models.CharField("наименование", max_length=200, unique=True)
    code = models.CharField("код", max_length=10, unique=True, help_text="код субъекта РФ, например 59")
    timezone = models.CharField(
        "часовой пояс", max_length=64, default="Europe/Moscow", validators=[validate_timezone]
    )

    SCOPE_PATHS = {"region": "id"}

    class Meta:
        verbose_name = "регион"
        verbose_name_plural = "регионы"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def tzinfo(self):
        return zoneinfo.ZoneInfo(self.timezone)


class Municipality(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField("наименование", max_length=200)
    kind = models.CharField(
        "вид", max_length=100, blank=True, help_text="городской округ, муниципальный район, …"
    )

    SCOPE_PATHS = {"region": "region_id", "municipality": "id"}

    class Meta:
        verbose_name = "муниципальное образование"
        verbose_name_plural = "муниципальные образования"
        ordering = ["region__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="municipality_unique_name_in_region")
        ]

    def __str__(self):
        return self.name


class OrganizationKind(models.TextChoices):
    MINISTRY = "ministry", "Министерство (РОИВ)"
    CNPPMPR = "cnppmpr", "ЦНППМПР"
    IRO = "iro", "Институт развития образования (ИРО)"
    COPMKP = "copmkp", "ЦОПМКП"
    DPO = "dpo", "Иная организация ДПО"
    MUNI_AUTHORITY = "muni_authority", "Орган управления образованием МО"
    MMS = "mms", "Муниципальная методическая служба (ММС)"
    SCHOOL = "school", "Общеобразовательная организация"
    KINDERGARTEN = "kindergarten", "Дошкольная образовательная организация"
    ADDITIONAL = "additional", "Организация дополнительного образования"
    COLLEGE = "college", "Профессиональная образовательная организация"
    UNIVERSITY = "university", "Образовательная организация высшего образования"


REGIONAL_KINDS = {
    OrganizationKind.MINISTRY,
    OrganizationKind.CNPPMPR,
    OrganizationKind.IRO,
    OrganizationKind.COPMKP,
    OrganizationKind.DPO,
    OrganizationKind.UNIVERSITY,
}


class Organization(models.Model):
    """A node of the tree. Regional bodies have no municipality; municipal bodies and schools
    have one. `parent` records subordination (ЦНППМПР is a unit of ИРО), not scope."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organizations")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organizations", null=True, blank=True
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="children", null=True, blank=True
    )
    kind = models.CharField("вид", max_length=32, choices=OrganizationKind.choices)
    name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("сокращённое наименование", max_length=200, blank=True)
    inn = models.CharField("ИНН", max_length=12, blank=True)
    email = models.EmailField("e-mail", blank=True)
    head_position = models.CharField("должность руководителя", max_length=300, blank=True)
    head_name = models.CharField("ФИО руководителя", max_length=300, blank=True)
    is_low_results = models.BooleanField("ШНОР", default=False, help_text="школа с низкими результатами")

    SCOPE_PATHS = {"region": "region_id", "municipality": "municipality_id", "organization": "id"}

    class Meta:
        verbose_name = "организация"
        verbose_name_plural = "организации"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organization_unique_name_in_region"),
            models.CheckConstraint(
                condition=~Q(kind__in=["muni_authority", "mms", "school", "kindergarten"])
                | Q(municipality__isnull=False),
                name="organization_municipal_kinds_have_municipality",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "kind"])]

    def __str__(self):
        return self.short_name or self.name

    @property
    def place(self) -> str:
        """The municipality to name after the organization, or "" where its name already says
        where it is: «МАОУ «СОШ № 7» г. Березники» needs no «, Березники» (a case ending after
        the name counts too: «… г. Кунгура»). Reads `municipality` — select it with the
        organization."""
        municipality = self.municipality
        if municipality is None:
            return ""
        if municipality.name.casefold() in f"{self.name} {self.short_name}".casefold():
            return ""
        return municipality.name

    def clean(self):
        if self.municipality_id and self.municipality.region_id != self.region_id:
            raise ValidationError({"municipality": "Муниципалитет относится к другому региону"})


class Subject(models.Model):
    """A school subject (учебный предмет) a teacher teaches."""

    name = models.CharField("наименование", max_length=200, unique=True)

    class Meta:
        verbose_name = "предмет"
        verbose_name_plural = "предметы"
        ordering = ["name"]

    def __str__(self):
        return self.name


class QualificationCategory(models.TextChoices):
    NONE = "none", "Без категории"
    CONFORMITY = "conformity", "Соответствие занимаемой должности"
    FIRST = "first", "Первая"
    HIGHEST = "highest", "Высшая"


class EducationLevel(models.TextChoices):
    SECONDARY_VOCATIONAL = "secondary_vocational", "Среднее профессиональное"
    HIGHER = "higher", "Высшее"
    HIGHER_BACHELOR = "higher_bachelor", "Высшее — бакалавриат"
    HIGHER_SPECIALIST = "higher_specialist", "Высшее — специалитет"
    HIGHER_MASTER = "higher_master", "Высшее — магистратура"
    POSTGRADUATE = "postgraduate", "Высшее — подготовка кадров высшей квалификации"


HIGHER_EDUCATION_LEVELS = {
    EducationLevel.HIGHER,
    EducationLevel.HIGHER_BACHELOR,
    EducationLevel.HIGHER_SPECIALIST,
    EducationLevel.HIGHER_MASTER,
    EducationLevel.POSTGRADUATE,
}


class Sex(models.TextChoices):
    MALE = "m", "Мужской"
    FEMALE = "f", "Женский"


class Person(models.Model):
    """A pedagogical worker. Experience in the specialty is stored as the date from which it is
    counted (shifted by any breaks), so it can be computed on any date; the young-teacher flag
    is derived from the birth date and `employed_since`, never stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="staff", verbose_name="место работы"
    )
    snils = models.CharField(
        "СНИЛС", max_length=14, unique=True, help_text="XXX-XXX-XXX YY", validators=[validate_snils]
    )
    last_name = models.CharField("фамилия", max_length=100)
    first_name = models.CharField("имя", max_length=100)
    middle_name = models.CharField("отчество", max_length=100, blank=True)
    sex = models.CharField("пол", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("дата рождения")
    position = models.CharField("должность", max_length=200)
    subjects = models.ManyToManyField(Subject, blank=True, related_name="teachers", verbose_name="предметы")
    employed_since = models.DateField("работает в организации с")
    category = models.CharField(
        "квалификационная категория",
        max_length=16,
        choices=QualificationCategory.choices,
        default=QualificationCategory.NONE,
    )
    category_assigned_on = models.DateField("дата присвоения категории", null=True, blank=True)
    category_valid_until = models.DateField("категория действительна до", null=True, blank=True)
    education_level = models.CharField("уровень образования", max_length=32, choices=EducationLevel.choices)
    education_is_pedagogical = models.BooleanField("педагогическое образование", default=False)
    has_pedagogical_retraining = models.BooleanField(
        "профессиональная переподготовка по педагогическому профилю", default=False
    )
    specialty_experience_since = models.DateField(
        "стаж по специальности исчисляется с",
        help_text="дата, от которой стаж непрерывен; перерывы сдвигают её вперёд",
    )
    email = models.EmailField("e-mail", blank=True)

    SCOPE_PATHS = {
        "region": "organization__region_id",
        "municipality": "organization__municipality_id",
        "organization": "organization_id",
        "person": "id",
    }

    class Meta:
        verbose_name = "педагогический работник"
        verbose_name_plural = "педагогические работники"
        ordering = ["last_name", "first_name", "middle_name", "id"]
        indexes = [models.Index(fields=["organization", "last_name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(category="none")
                | Q(category="conformity")
                | Q(category_assigned_on__isnull=False, category_valid_until__isnull=False),
                name="person_category_has_dates",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return " ".join(part for part in (self.last_name, self.first_name, self.middle_name) if part)

    full_name.fget.short_description = "ФИО"

    def age_on(self, on_date: dt.date) -> int:
        return relativedelta(on_date, self.birth_date).years

    def specialty_experience_on(self, on_date: dt.date) -> relativedelta:
        if on_date <= self.specialty_experience_since:
            return relativedelta()
        return relativedelta(on_date, self.specialty_experience_since)

    def category_on(self, on_date: dt.date) -> str:
        """The category in force on the date: a lapsed category counts as none."""
        if self.category in (QualificationCategory.FIRST, QualificationCategory.HIGHEST):
            if self.category_valid_until and self.category_valid_until < on_date:
                return QualificationCategory.NONE
        return self.category

    @property
    def has_higher_education(self) -> bool:
        return self.education_level in HIGHER_EDUCATION_LEVELS

    def is_young_teacher(self, on_date: dt.date) -> bool:
        """«находящиеся на педагогических должностях в первые три года работы в образовательной
        организации, в возрасте до 35 лет» [003:L576]."""
        years_here = relativedelta(on_date, self.employed_since).years
        return (
            self.age_on(on_date) < YOUNG_TEACHER_MAX_AGE
            and years_here < YOUNG_TEACHER_MAX_YEARS_AT_ORGANIZATION
        )


class Role(models.TextChoices):
    MINISTRY_OFFICER = "ministry_officer", "Специалист министерства"
    MINISTRY_SIGNATORY = "ministry_signatory", "Министр / заместитель министра"
    CNPPM_COORDINATOR = "cnppm_coordinator", "Координатор ЦНППМПР"
    CNPPM_METHODIST = "cnppm_methodist", "Методист ЦНППМПР"
    IRO_STAFF = "iro_staff", "Специалист ИРО"
    COPMKP_ASSESSOR = "copmkp_assessor", "Эксперт ЦОПМКП"
    RMA_MEMBER = "rma_member", "Член РМА"
    RMA_MUNI_COORDINATOR = "rma_muni_coordinator", "Муниципальный координатор РМА"
    MUNI_AUTHORITY = "muni_authority", "Специалист органа управления образованием"
    MMS_METHODIST = "mms_methodist", "Методист ММС"
    SCHOOL_HEAD = "school_head", "Руководитель / заместитель руководителя ОО"
    TEACHER = "teacher", "Педагогический работник"
    PD_ADMIN = "pd_admin", "Администратор системы"


class Membership(models.Model):
    """A user acts as a role on behalf of an organization. Several per user."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("роль", max_length=32, choices=Role.choices)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    is_active = models.BooleanField("действует", default=True)
    # What a role held because of a process carries for the others (orgstructure.memberships):
    # the subjects of an РМА member (ИОМ assigns routes by subject and municipality), the act
    # that granted or took the role, and how the holder signs and answers the phone in this role.
    subjects = models.ManyToManyField(Subject, blank=True, related_name="+", verbose_name="предметы (направления)")
    basis = models.CharField("основание", max_length=300, blank=True, help_text="например, приказ о включении в РМА")
    position = models.CharField("должность в этой роли", max_length=300, blank=True)
    phone = models.CharField("служебный телефон", max_length=40, blank=True)

    class Meta:
        verbose_name = "членство (роль в организации)"
        verbose_name_plural = "членства (роли в организациях)"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organization"], name="membership_unique_user_role_org"
            )
        ]
        indexes = [models.Index(fields=["role", "organization"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.organization})"
