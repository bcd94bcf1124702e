"""Output shapes of API v1 and the query parameters each list accepts. Read-only for now.

Class docstrings here would become descriptions in the public OpenAPI schema, so notes for
developers are comments; texts meant for API users are help_text, in Russian."""

from django.urls import NoReverseMatch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from viewflow.workflow.status import STATUS

from api.selectors import today_in
from orgstructure import privacy
from orgstructure.models import EducationLevel, OrganizationKind, QualificationCategory, Role


# The body of every error: api/exceptions.py.
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="сообщения по полям; non_field_errors — о запросе в целом",
    )


MAX_ID = 2**63 - 1  # BigAutoField; a larger number in a filter would crash the database driver


def id_filter(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID, help_text=help_text)


# --- reference objects ---------------------------------------------------------------------


class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MunicipalityRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganizationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)


# --- organizations -------------------------------------------------------------------------


class OrganizationFilterSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=OrganizationKind.choices, required=False, help_text="вид организации"
    )
    municipality = id_filter("id муниципального образования")
    search = serializers.CharField(required=False, max_length=200, help_text="часть наименования")

    def to_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "kind": data.get("kind", ""),
            "municipality_id": data.get("municipality"),
            "search": data.get("search", ""),
        }


class OrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    short_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    kind_display = serializers.CharField(source="get_kind_display")
    region = RegionRefSerializer()
    municipality = MunicipalityRefSerializer(allow_null=True)
    parent_id = serializers.IntegerField(allow_null=True)
    inn = serializers.CharField()
    email = serializers.CharField()
    head_position = serializers.CharField()
    head_name = serializers.CharField()
    is_low_results = serializers.BooleanField(help_text="школа с низкими образовательными результатами")


# --- persons -------------------------------------------------------------------------------


class PersonFilterSerializer(serializers.Serializer):
    organization = id_filter("id организации")
    category = serializers.ChoiceField(
        choices=QualificationCategory.choices,
        required=False,
        help_text="категория, действующая сегодня (истёкшая первая/высшая считается «без категории»)",
    )
    search = serializers.CharField(required=False, max_length=100, help_text="часть фамилии")

    def to_selector_kwargs(self) -> dict:
        data = self.validated_data
        return {
            "organization_id": data.get("organization"),
            "category": data.get("category", ""),
            "search": data.get("search", ""),
        }


class ExperienceSerializer(serializers.Serializer):
    years = serializers.IntegerField()
    months = serializers.IntegerField()


# A pedagogical worker with the values derived for today (the region's date). СНИЛС and e-mail
# are personal data: null unless orgstructure/privacy.py lets the user see them (those who act on
# the person; the selector annotates it per row) — the same policy as the HTML card. Birth date
# is not exposed.
class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    snils = serializers.SerializerMethodField(
        help_text="СНИЛС; null, если пользователь не ведёт дело педагога (только просмотр)"
    )
    email = serializers.SerializerMethodField(
        help_text="e-mail; null, если пользователь не ведёт дело педагога (только просмотр)"
    )
    organization = OrganizationRefSerializer()
    position = serializers.CharField()
    subjects = serializers.SerializerMethodField(help_text="преподаваемые предметы")
    employed_since = serializers.DateField()
    category = serializers.ChoiceField(
        choices=QualificationCategory.choices, help_text="присвоенная категория"
    )
    category_assigned_on = serializers.DateField(allow_null=True)
    category_valid_until = serializers.DateField(allow_null=True)
    category_in_force = serializers.SerializerMethodField(
        help_text="категория, действующая сегодня: одно из значений category"
    )
    category_in_force_display = serializers.SerializerMethodField()
    education_level = serializers.ChoiceField(choices=EducationLevel.choices)
    education_level_display = serializers.CharField(source="get_education_level_display")
    education_is_pedagogical = serializers.BooleanField()
    has_pedagogical_retraining = serializers.BooleanField()
    is_young_teacher = serializers.SerializerMethodField(help_text="молодой педагог на сегодня")
    specialty_experience = serializers.SerializerMethodField(help_text="стаж по специальности на сегодня")

    def get_snils(self, person) -> str | None:
        return privacy.personal_value(self.context["request"].user, person, "snils")

    def get_email(self, person) -> str | None:
        return privacy.personal_value(self.context["request"].user, person, "email")

    def get_subjects(self, person) -> list[str]:
        return [subject.name for subject in person.subjects.all()]

    # A plain string in the schema: a second enum over the same choices would need
    # SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] to name it.
    @extend_schema_field(OpenApiTypes.STR)
    def get_category_in_force(self, person) -> str:
        return person.category_on(today_in(person.organization.region))

    def get_category_in_force_display(self, person) -> str:
        return QualificationCategory(self.get_category_in_force(person)).label

    def get_is_young_teacher(self, person) -> bool:
        return person.is_young_teacher(today_in(person.organization.region))

    @extend_schema_field(ExperienceSerializer)
    def get_specialty_experience(self, person) -> dict:
        experience = person.specialty_experience_on(today_in(person.organization.region))
        return {"years": experience.years, "months": experience.months}


# --- me --------------------------------------------------------------------------------------


class MembershipSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    role_display = serializers.CharField(source="get_role_display")
    organization = OrganizationRefSerializer()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class MeSerializer(serializers.Serializer):  # serializes api.selectors.Me
    id = serializers.IntegerField(source="user.id")
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField(source="user.get_full_name")
    email = serializers.CharField(source="user.email")
    is_superuser = serializers.BooleanField(source="user.is_superuser")
    person = PersonRefSerializer(allow_null=True, help_text="карточка педагога, если пользователь — педагог")
    memberships = MembershipSerializer(many=True, help_text="действующие роли в организациях")


# --- tasks -----------------------------------------------------------------------------------


class TaskFilterSerializer(serializers.Serializer):
    queue = serializers.BooleanField(
        required=False, default=False, help_text="добавить задачи, которые можно взять в работу"
    )


# A viewflow task. A task whose flow is no longer in the code has no title, brief or page.
class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    process_id = serializers.IntegerField()
    brief = serializers.SerializerMethodField()
    created = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=STATUS.choices)
    status_display = serializers.CharField(source="get_status_display")
    url = serializers.SerializerMethodField(help_text="страница задачи")

    def get_title(self, task) -> str | None:
        return str(task.title) if task.flow_task else None

    def get_brief(self, task) -> str | None:
        return task.brief if task.flow_task else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_url(self, task) -> str | None:
        if task.flow_task is None:
            return None
        try:
            path = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        except NoReverseMatch:  # the flow is not mounted on the site
            return None
        return self.context["request"].build_absolute_uri(path)


# --- token -----------------------------------------------------------------------------------


# DRF's token serializer (the same authenticate() check) with one Russian message.
class TokenRequestSerializer(AuthTokenSerializer):
    def validate(self, attrs):
        try:
            return super().validate(attrs)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(
                "Неверное имя пользователя или пароль", code="invalid_credentials"
            ) from exc


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="передавайте в заголовке «Authorization: Token …»")
