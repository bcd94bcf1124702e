"""Forms of the collection pages (the school's own form is built from the set in flows.py)."""

from django import forms

from orgstructure.models import Municipality


class CampaignForm(forms.Form):
    title = forms.CharField(label="Название кампании", max_length=300)
    municipality = forms.ModelChoiceField(
        label="Муниципальное образование", queryset=Municipality.objects.none(), required=False,
        empty_label="— весь регион —",
    )
    period_start = forms.DateField(label="Период с", widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label="Период по", widget=forms.DateInput(attrs={"type": "date"}))
    opens_on = forms.DateField(label="Приём данных с", widget=forms.DateInput(attrs={"type": "date"}))
    codes = forms.MultipleChoiceField(label="Показатели", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, municipalities, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["codes"].choices = [
            (code, f"{code}. {title}" + (" — вычисляется системой" if computed else ""))
            for code, title, computed in choices
        ]


class ImportForm(forms.Form):
    file = forms.FileField(label="Файл .xlsx", help_text="Лист «Данные»: строка — школа, столбцы — показатели")
