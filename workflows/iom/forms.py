from django import forms

from orgstructure.models import Organization, OrganizationKind, Person

from .models import RequestSource
from .rules import ActivityKind, CompetencyArea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECISION_AGREE = (("agree", "Согласовать"), ("return", "Вернуть на доработку с замечаниями"))


class RequestForm(forms.Form):
    source = forms.ChoiceField(label="Потребность", choices=RequestSource.choices)
    persons = forms.ModelMultipleChoiceField(
        label="Педагоги", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    topic = forms.CharField(label="Тема запроса: затруднения, дефициты", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, persons, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = persons
        self.fields["persons"].label_from_instance = lambda p: f"{p.full_name} — {p.position}"
        self.fields["source"].choices = [(value, RequestSource(value).label) for value in sources]
        if len(sources) == 1:
            self.fields["source"].initial = sources[0]


class AssignForm(forms.Form):
    curator = forms.TypedChoiceField(label="Куратор", coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        roles = {"rma_member": "член РМА", "cnppm_methodist": "методист ЦНППМПР"}
        choices = []
        for n, c in enumerate(candidates):
            marks = []
            if c.subject_match:
                marks.append("предмет педагога")
            if c.municipality_match:
                marks.append("муниципалитет педагога")
            hint = f" ({', '.join(marks)})" if marks else ""
            first = " — предложен: наименьшая нагрузка" if n == 0 else ""
            choices.append(
                (c.user_id, f"{c.name}, {roles.get(c.role, c.role)}{hint}; маршрутов в работе: {c.load}{first}")
            )
        self.fields["curator"].choices = choices
        if candidates:
            self.fields["curator"].initial = candidates[0].user_id


class SubmitForm(forms.Form):
    pass


class DesignSubmitForm(forms.Form):
    """The version of the route the curator's page showed (optimistic lock of the submission)."""

    version = forms.IntegerField(label="Версия маршрута", widget=forms.HiddenInput, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Решение", choices=DECISION_AGREE, widget=forms.RadioSelect)
    comment = forms.CharField(label="Замечания", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    self_report = forms.CharField(
        label="Самоотчёт: что сделано, какой результат", widget=forms.Textarea(attrs={"rows": 5})
    )


class ConfirmForm(forms.Form):
    decision = forms.ChoiceField(
        label="Решение",
        choices=(("confirm", "Подтвердить результат"), ("return", "Вернуть самоотчёт")),
        widget=forms.RadioSelect,
    )
    result = forms.CharField(label="Подтверждённый результат", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(
        label="Замечания (при возврате)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ActivityForm(forms.Form):
    decision = forms.ChoiceField(
        label="Отметка",
        choices=(("done", "Выполнено"), ("skip", "Не выполнено")),
        widget=forms.RadioSelect,
    )
    done_on = forms.DateField(label="Дата выполнения", required=False, widget=DATE)
    evidence = forms.FileField(label="Подтверждение (удостоверение, сертификат, продукт)", required=False)
    link = forms.URLField(label="Ссылка на подтверждение", required=False, assume_scheme="https")
    note = forms.CharField(label="Описание результата", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label="Причина невыполнения", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RouteHeaderForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    period_from = forms.DateField(label="Начало периода", widget=DATE)
    period_to = forms.DateField(label="Окончание периода", widget=DATE)
    theme = forms.CharField(label="Тема маршрута (основной дефицит)", max_length=300)
    goal = forms.CharField(label="Цель ИОМ", widget=forms.Textarea(attrs={"rows": 2}))
    planned_results = forms.CharField(
        label="Планируемые результаты", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DeficitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    area = forms.ChoiceField(label="Область компетенций", choices=CompetencyArea.choices)
    description = forms.CharField(label="Дефицит", max_length=500)
    goal = forms.CharField(label="Задача", required=False, max_length=500)


class DeficitEditForm(DeficitForm):
    """A deficit's task; a diagnosed deficit's area and wording are the diagnosis's (shown, not edited)."""

    goal = forms.CharField(label="Задача (что освоить, чтобы закрыть дефицит)", required=False, max_length=500)

    def __init__(self, *args, diagnosed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if diagnosed:
            for name in ("area", "description"):
                self.fields[name].disabled = True
                self.fields[name].required = False


class ActivityAddForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    deficit = forms.ModelChoiceField(label="Дефицит (задача)", queryset=None, required=False)
    kind = forms.ChoiceField(label="Форма", choices=ActivityKind.choices)
    title = forms.CharField(label="Мероприятие / образовательный модуль", max_length=500, required=False)
    programme = forms.ModelChoiceField(label="Программа ДПП из каталога", queryset=None, required=False)
    provider = forms.ModelChoiceField(label="Организация (стажировочная площадка)", queryset=None, required=False)
    provider_text = forms.CharField(label="Ресурс (ШМО, сообщество, платформа)", max_length=300, required=False)
    mentor = forms.ModelChoiceField(label="Наставник", queryset=None, required=False)
    hours = forms.IntegerField(label="Объём, часов", min_value=1, max_value=500)
    starts_on = forms.DateField(label="Начало", widget=DATE)
    due_on = forms.DateField(label="Срок", widget=DATE)
    expected_result = forms.CharField(label="Форма отчётности (продукт)", max_length=300)

    def __init__(self, *args, route, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        region_id = route.person.organization.region_id
        self.fields["deficit"].queryset = route.deficits.all()
        self.fields["programme"].queryset = programmes
        self.fields["provider"].queryset = Organization.objects.filter(
            region_id=region_id, kind__in=(OrganizationKind.SCHOOL, OrganizationKind.IRO, OrganizationKind.CNPPMPR)
        ).order_by("name")
        self.fields["mentor"].queryset = (
            Person.objects.filter(organization_id=route.person.organization_id)
            .exclude(pk=route.person_id)
            .order_by("last_name", "first_name")
        )
        self.fields["mentor"].label_from_instance = lambda p: f"{p.full_name} — {p.position}"
