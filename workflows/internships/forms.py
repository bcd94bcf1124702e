from django import forms

from . import rules
from .models import SiteKind, SiteStatus, StatusChangeKind


def _site_statuses():
    return SiteStatus.choices


ISO = "%Y-%m-%d"  # what a browser's date input shows and sends


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class CallForm(forms.Form):
    kind = forms.ChoiceField(label="Вид площадки", choices=SiteKind.choices)
    title = forms.CharField(label="Название отбора", max_length=300)
    themes = forms.CharField(label="Темы (направления), по одной в строке", widget=forms.Textarea(attrs={"rows": 4}))
    applications_due = forms.DateField(label="Приём заявок до", widget=forms.DateInput(attrs={"type": "date"}))
    status_from = forms.DateField(label="Статус с", widget=forms.DateInput(attrs={"type": "date"}))
    status_to = forms.DateField(label="Статус по", widget=forms.DateInput(attrs={"type": "date"}))
    criteria = forms.CharField(
        label="Критерии: «название; вес; максимальный балл», по одному в строке",
        widget=forms.Textarea(attrs={"rows": 6}),
        initial=rules.criteria_text(rules.DEFAULT_CRITERIA),
    )
    pass_threshold = forms.DecimalField(
        label="Проходной балл (из 100)", min_value=0, max_value=100, initial=rules.DEFAULT_PASS_THRESHOLD
    )
    experts_per_application = forms.IntegerField(
        label="Экспертов на заявку", min_value=1, max_value=9, initial=rules.DEFAULT_EXPERTS_PER_APPLICATION
    )
    experts_needed = forms.IntegerField(
        label="Оценок для завершения экспертизы", min_value=1, max_value=9, initial=rules.DEFAULT_EXPERTS_NEEDED
    )
    spread_limit = forms.DecimalField(
        label="Допустимое расхождение оценок экспертов (баллов из 100)",
        min_value=0,
        max_value=100,
        initial=rules.DEFAULT_SPREAD_LIMIT,
    )
    municipality_conflict = forms.BooleanField(
        label="Отводить экспертов из муниципалитета заявителя", required=False, initial=True
    )

    def clean_themes(self):
        return [line.strip() for line in self.cleaned_data["themes"].splitlines() if line.strip()]

    def clean_criteria(self):
        try:
            return rules.parse_criteria(self.cleaned_data["criteria"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class ApplicationForm(forms.Form):
    experience = forms.CharField(
        label="Успешный педагогический и управленческий опыт", widget=forms.Textarea(attrs={"rows": 5})
    )
    resources = forms.CharField(
        label="Кадровые и материально-технические ресурсы", widget=forms.Textarea(attrs={"rows": 4})
    )
    curator = forms.CharField(
        label="Куратор площадки: ФИО, должность",
        max_length=300,
        required=False,
        help_text="Печатается в перечне площадок; если не указан — руководитель организации",
    )
    files = MultipleFileField(label="Подтверждающие документы (PDF, DOCX, JPEG, PNG)", required=False)


class ProgrammeForm(forms.Form):
    theme = forms.CharField(label="Тема (направление)", max_length=500)
    target_group = forms.CharField(label="Целевая категория педагогов", max_length=300)
    format = forms.CharField(label="Формат", max_length=100, help_text="например: групповая, индивидуальная")
    hours = forms.IntegerField(label="Объём, часов", min_value=1, max_value=500)


ProgrammeFormSet = forms.formset_factory(ProgrammeForm, extra=3, max_num=10, min_num=1, validate_min=True)


class EndorseForm(forms.Form):
    decision = forms.ChoiceField(
        label="Решение",
        choices=[("endorse", "Согласовать"), ("return", "Вернуть на доработку")],
        widget=forms.RadioSelect,
        initial="endorse",
    )
    reason = forms.CharField(
        label="Что доработать (при возврате)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReviseForm(forms.Form):
    experience = ApplicationForm.base_fields["experience"]
    resources = ApplicationForm.base_fields["resources"]


NOT_RATED_CHOICE = "na"


class ScoreForm(forms.Form):
    """One score and one comment per criterion of the call; «не могу оценить» among the scores."""

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for criterion in scheme.criteria:
            choices = [("", "—")] + [(str(n), str(n)) for n in range(criterion.max_score + 1)]
            choices.append((NOT_RATED_CHOICE, "не могу оценить"))
            self.fields[f"score_{criterion.code}"] = forms.ChoiceField(
                label=f"{criterion.title} (вес {criterion.weight}, 0–{criterion.max_score})", choices=choices
            )
            self.fields[f"comment_{criterion.code}"] = forms.CharField(
                label="Комментарий", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def sheet(self) -> dict:
        data = self.cleaned_data
        return {
            c.code: (
                None if data[f"score_{c.code}"] == NOT_RATED_CHOICE else int(data[f"score_{c.code}"]),
                data.get(f"comment_{c.code}", ""),
            )
            for c in self.scheme.criteria
        }


class AppointForm(forms.Form):
    experts = forms.MultipleChoiceField(label="Эксперты", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.person.pk): p.person for p in candidates}
        self.fields["experts"].choices = [
            (str(p.person.pk), f"{p.person.full_name}, {p.person.organization} — на оценке: {p.load}")
            for p in candidates
        ]

    def chosen(self):
        return [self.candidates[pk] for pk in self.cleaned_data["experts"]]


class ReplaceForm(forms.Form):
    expert = forms.ChoiceField(label="Новый эксперт")
    reason = forms.CharField(label="Причина замены", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.person.pk): p.person for p in candidates}
        self.fields["expert"].choices = [
            (str(p.person.pk), f"{p.person.full_name} — на оценке: {p.load}") for p in candidates
        ]


class DecisionForm(forms.Form):
    """The commission's decision: the protocol's requisites and, for every reviewed application
    (best first), «включить» and the reason when not."""

    protocol_date = forms.DateField(
        label="Дата заседания экспертной комиссии", widget=forms.DateInput(attrs={"type": "date"}, format=ISO)
    )
    commission = forms.CharField(
        label="Состав комиссии: по одному в строке, «Фамилия Имя Отчество, должность»; председатель — первым",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    regulation = forms.CharField(
        label="Основание приказа: «В соответствии с …» (положение о площадках, в творительном падеже)",
        widget=forms.Textarea(attrs={"rows": 2}),
        initial=rules.DEFAULT_REGULATION,
    )
    report_due = forms.DateField(
        label="Срок первого отчёта площадок", widget=forms.DateInput(attrs={"type": "date"}, format=ISO)
    )

    def __init__(self, *args, applications, pass_threshold, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewed = [a for a in applications if a.rating is not None]
        self.unfinished = [a for a in applications if a.rating is None]
        for application in self.reviewed:
            name = application.organization.short_name or application.organization.name
            self.fields[f"select_{application.pk}"] = forms.BooleanField(
                label=f"Включить в перечень: {name} (рейтинг {application.rating})",
                required=False,
                initial=bool(application.passed)
                if application.proposed_selected is None
                else application.proposed_selected,
            )
            self.fields[f"reason_{application.pk}"] = forms.CharField(
                label="Причина, если не включена",
                required=False,
                widget=forms.Textarea(attrs={"rows": 1}),
                initial=application.decision_reason
                or ("" if application.passed else rules.not_passed_reason(pass_threshold)),
            )

    def choices(self) -> dict[int, tuple[bool, str]]:
        data = self.cleaned_data
        return {a.pk: (bool(data.get(f"select_{a.pk}")), data.get(f"reason_{a.pk}") or "") for a in self.reviewed}


class DecisionSignForm(forms.Form):
    APPROVE, RETURN = "approve", "return"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(APPROVE, "Утвердить перечень и подписать приказ"), (RETURN, "Вернуть на доработку")],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    comment = forms.CharField(
        label="Замечания (при возврате)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseCallForm(forms.Form):
    confirm = forms.BooleanField(label="Завершить приём заявок: новые заявки приниматься не будут", required=True)


class ReportForm(forms.Form):
    trainees = forms.IntegerField(label="Обучено педагогов (прошли стажировку)", min_value=0, max_value=100000)
    programmes_run = forms.IntegerField(label="Реализовано программ стажировки", min_value=0, max_value=1000)
    summary = forms.CharField(label="Итоги года", widget=forms.Textarea(attrs={"rows": 5}))


class StatusChangeForm(forms.Form):
    """A change of a site's status: only those its state admits are offered (rules.CHANGES_BY_STATUS)."""

    kind = forms.ChoiceField(label="Изменение", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Основание (войдёт в приказ)",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="итоги годового отчёта, проверки, обращение площадки; при испытательном сроке — что устранить",
    )
    new_status_to = forms.DateField(
        label="Продлить статус по", required=False, widget=forms.DateInput(attrs={"type": "date"}, format=ISO)
    )
    probation_until = forms.DateField(
        label="Испытательный срок до", required=False, widget=forms.DateInput(attrs={"type": "date"}, format=ISO)
    )

    def __init__(self, *args, site_status, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = rules.CHANGES_BY_STATUS.get(site_status, ())
        self.fields["kind"].choices = [(value, label) for value, label in StatusChangeKind.choices if value in allowed]


class StatusChangeSignForm(forms.Form):
    APPROVE, REJECT = "approve", "reject"
    decision = forms.ChoiceField(
        label="Решение",
        choices=[(APPROVE, "Подписать приказ"), (REJECT, "Отклонить изменение")],
        widget=forms.RadioSelect,
        initial=APPROVE,
    )
    comment = forms.CharField(
        label="Замечания (при отклонении)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RegisterFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Статус",
        required=False,
        choices=[("", "Все")] + [(value, label) for value, label in _site_statuses()],
    )


class InternshipForm(forms.Form):
    programme = forms.ChoiceField(label="Программа стажировки")
    snils = forms.CharField(
        label="СНИЛС стажёра", max_length=14, help_text="педагог находится по СНИЛС среди педагогов региона"
    )
    date_from = forms.DateField(label="Стажировка с", widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="Стажировка по", widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.CharField(label="Результат стажировки (продукт)", max_length=500)

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = [(str(p.pk), f"{p.theme} ({p.hours} ч.)") for p in programmes]


class ConflictForm(forms.Form):
    organization = forms.ChoiceField(label="Организация")
    reason = forms.CharField(label="Суть конфликта интересов", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {str(o.pk): o for o in organizations}
        self.fields["organization"].choices = [("", "—")] + [(str(o.pk), str(o)) for o in organizations]

    def chosen_organization(self):
        return self.organizations[self.cleaned_data["organization"]]


class DeclineForm(forms.Form):
    reason = forms.CharField(label="Суть конфликта интересов", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
