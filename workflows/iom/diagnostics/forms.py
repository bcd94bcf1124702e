"""Forms of the diagnostics pages: one result by hand, and the .xlsx import."""

from __future__ import annotations

import re

from django import forms

from orgstructure.identifiers import snils_format, snils_is_valid
from orgstructure.models import Person
from programmes.models import CompetencyArea

from .services import entering_organizations


class _OrganizationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.short_name or obj.name


class DiagnosisForm(forms.Form):
    organization = _OrganizationChoice(label="Организация, проводившая диагностику", queryset=None, empty_label=None)
    snils = forms.CharField(label="СНИЛС педагога", max_length=14, help_text="11 цифр, например 123-456-789 01")
    diagnosed_on = forms.DateField(label="Дата диагностики", widget=forms.DateInput(attrs={"type": "date"}))
    instrument = forms.CharField(label="Диагностический инструментарий (ФОС)", max_length=500)
    comment = forms.CharField(label="Примечание", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = entering_organizations(user)
        for area, label in CompetencyArea.choices:
            self.fields[f"score_{area}"] = forms.DecimalField(
                label=f"{label}, %",
                required=False,
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                help_text="пусто — область не диагностировалась",
            )
            self.fields[f"deficits_{area}"] = forms.CharField(
                label=f"Дефициты: {label.lower()}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="каждый с новой строки или через «;»",
            )
        self.fields["comment"] = self.fields.pop("comment")  # after the scores

    def clean_snils(self):
        digits = re.sub(r"[\s-]", "", self.cleaned_data["snils"])
        if not (digits.isdigit() and len(digits) == 11):
            raise forms.ValidationError("СНИЛС — 11 цифр, например 123-456-789 01")
        if not snils_is_valid(digits):
            raise forms.ValidationError(f"Неверная контрольная сумма СНИЛС {snils_format(digits)}")
        person = Person.objects.select_related("organization").filter(snils=snils_format(digits)).first()
        if person is None:
            raise forms.ValidationError(f"Педагог со СНИЛС {snils_format(digits)} не найден в кадровой базе")
        self.person = person
        return snils_format(digits)

    def scores(self) -> dict:
        return {
            area: self.cleaned_data[f"score_{area}"]
            for area in CompetencyArea.values
            if self.cleaned_data.get(f"score_{area}") is not None
        }

    def deficits(self) -> dict:
        found = {}
        for area in CompetencyArea.values:
            items = [" ".join(p.split()) for p in re.split(r"[;\n]", self.cleaned_data.get(f"deficits_{area}") or "")]
            items = [item[:500] for item in items if item]
            if items:
                found[area] = items
        return found


class ImportForm(forms.Form):
    organization = _OrganizationChoice(label="Организация, проводившая диагностику", queryset=None, empty_label=None)
    file = forms.FileField(label="Файл .xlsx")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = entering_organizations(user)
